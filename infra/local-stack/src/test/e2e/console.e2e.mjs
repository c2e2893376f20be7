// End-to-end test of the web console in headless Chromium against a running local stack:
// sign in, upload, READY, ask, open a citation, see the quote highlighted on the rendered page, delete.
// Also: a PDF whose name and text hold <script> and <img onerror> renders inert, the pages work at
// 1280x800 and 390 px wide, every control has a label. Screenshots and metrics go to QUARRY_E2E_OUT.
//
// Signing in: first as an invited user of the local Cognito user pool (a wrong password, the new-password challenge
// with a weak and then a good password, the documents listed with the ID token, which travels only in headers and
// sessionStorage), then, after signing out, with an API key ("Use an API key instead", offered only locally).
//
// Environment: QUARRY_API (http://127.0.0.1:8080), QUARRY_API_KEY (a key of a tenant of its own),
// QUARRY_TENANT (that tenant), QUARRY_COGNITO_EMAIL + QUARRY_COGNITO_PASSWORD (an invited user of that tenant and
// the temporary password), QUARRY_COGNITO_ENDPOINT (the local user pool),
// QUARRY_SAMPLE_PDF, QUARRY_HOSTILE_PDF, QUARRY_QUESTION, QUARRY_E2E_OUT, CHROMIUM (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import assert from 'node:assert/strict';

const env = (name, fallback) => {
  const v = process.env[name] ?? fallback;
  if (v === undefined) throw new Error(`Set ${name}`);
  return v;
};
const API = env('QUARRY_API', 'http://127.0.0.1:8080');
const KEY = env('QUARRY_API_KEY');
const TENANT = env('QUARRY_TENANT');
const EMAIL = env('QUARRY_COGNITO_EMAIL');
const TEMPORARY = env('QUARRY_COGNITO_PASSWORD');
const COGNITO = env('QUARRY_COGNITO_ENDPOINT');
const NEW_PASSWORD = `e2e-${Math.random().toString(36).slice(2)}-${Date.now()}`;
const SAMPLE = env('QUARRY_SAMPLE_PDF');
const HOSTILE = env('QUARRY_HOSTILE_PDF');
const QUESTION = env('QUARRY_QUESTION');
const OUT = env('QUARRY_E2E_OUT');
const READY_TIMEOUT = 240_000;
mkdirSync(OUT, { recursive: true });

const results = [];
const metrics = {};
let shot = 0;
async function screenshot(page, name) {
  shot += 1;
  const file = join(OUT, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  return file;
}
async function step(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    results.push({ name, ok: true, ms: Date.now() - t0 });
    console.log(`ok   ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - t0, error: String(e.stack || e) });
    console.log(`FAIL ${name}: ${e.stack || e}`);
    throw e;
  }
}

const browser = await chromium.launch({
  executablePath: env('CHROMIUM', '/usr/bin/chromium'),
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
const page = await context.newPage();
const problems = []; // CSP violations, uncaught errors, console errors
page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()} @ ${m.location()?.url}`); });
const requests = []; // every request the page made: URL and Authorization header
context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), authorization: r.headers().authorization }));
page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
const transfers = [];
context.on('requestfinished', async (request) => {
  const sizes = await request.sizes().catch(() => null);
  if (sizes) transfers.push({ url: request.url(), bytes: sizes.responseBodySize + sizes.responseHeadersSize, at: Date.now() });
});
page.on('dialog', (d) => { problems.push(`unexpected dialog: ${d.message()}`); d.dismiss(); });

const sampleName = basename(SAMPLE);
const hostileName = basename(HOSTILE);
const rowOf = (name) => page.locator('#doc-rows tr').filter({ has: page.locator('th.name', { hasText: name }) });
const uploadOf = (name) => page.locator('#uploads li').filter({ has: page.locator('.name', { hasText: name }) });
let exitCode = 0;

try {
  await step('first load: sign-in form, page weight and time to interactive', async () => {
    const start = Date.now();
    await page.goto(`${API}/console`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    metrics.timeToInteractiveMs = await page.evaluate(() => Math.round(performance.getEntriesByName('quarry-interactive')[0].startTime));
    await page.waitForTimeout(200);
    metrics.firstLoadKB = Math.round(transfers.filter((t) => t.at >= start).reduce((s, t) => s + t.bytes, 0) / 102.4) / 10;
    metrics.firstLoadRequests = transfers.length;
    await page.getByLabel('Email').waitFor();
    await page.getByRole('button', { name: 'Use an API key instead' }).waitFor();
    for (const hidden of ['#app', '#sign-out', '#use-account', '#key-fields', '#new-password-fields']) {
      assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is not shown before signing in`);
    }
    await screenshot(page, 'sign-in');
  });

  await step('Cognito: a wrong password is refused with the reason', async () => {
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill(`${TEMPORARY}-wrong`);
    await page.keyboard.press('Enter');
    await page.locator('#sign-in-error', { hasText: 'Wrong email or password.' }).waitFor();
    assert.ok(requests.some((r) => r.url === COGNITO && r.method === 'POST'), 'the console called the local user pool');
    await screenshot(page, 'wrong-password');
  });

  await step('Cognito: the first sign-in asks for a new password and refuses a weak one with the policy', async () => {
    await page.getByLabel('Password', { exact: true }).fill(TEMPORARY);
    await page.keyboard.press('Enter');
    await page.locator('#sign-in-error', { hasText: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password').fill('short1');
    await page.keyboard.press('Enter');
    await page.locator('#sign-in-error', { hasText: 'Password not long enough' }).waitFor();
    await screenshot(page, 'weak-new-password');
  });

  await step('Cognito: the new password signs in; the ID token lists the documents and never enters a URL', async () => {
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.keyboard.press('Enter');
    await page.locator('#documents').waitFor();
    await page.locator('#doc-count', { hasText: /^\d+ documents?$/ }).waitFor();
    assert.equal(await page.locator('#who').textContent(), `Signed in as ${EMAIL}`);
    const saved = JSON.parse(await page.evaluate(() => sessionStorage.getItem('quarry.token')));
    const claims = JSON.parse(Buffer.from(saved.value.split('.')[1], 'base64url').toString());
    assert.equal(claims.token_use, 'id');
    assert.equal(claims['custom:tenant'], TENANT);
    assert.equal(claims.email, EMAIL);
    const listed = requests.filter((r) => r.url.startsWith(`${API}/v1/documents`));
    assert.ok(listed.length > 0 && listed.every((r) => r.authorization === `Bearer ${saved.value}`), 'the API got the ID token in the header');
    for (const secret of [saved.value, saved.value.split('.')[2], TEMPORARY, NEW_PASSWORD]) {
      assert.ok(!requests.some((r) => r.url.includes(secret)), 'no token or password in any URL');
      assert.ok(!page.url().includes(secret));
    }
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing kept beyond the tab');
    await screenshot(page, 'signed-in-cognito');
  });

  await step('sign out, then choose an API key instead', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.locator('#sign-in-error', { hasText: 'Signed out.' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('quarry.token')), null);
    await page.getByRole('button', { name: 'Use an API key instead' }).click();
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.getByLabel('Email').isVisible(), false, 'one way to sign in at a time');
    await page.getByRole('button', { name: 'Sign in with email and password instead' }).waitFor();
  });

  await step('a wrong API key is refused with the reason', async () => {
    await page.getByLabel('API key').fill('not-a-key');
    await page.keyboard.press('Enter');
    await page.locator('#sign-in-error', { hasText: 'not accepted' }).waitFor();
    await screenshot(page, 'wrong-key');
  });

  await step('sign in with the API key (keyboard only)', async () => {
    await page.getByLabel('API key').fill(KEY);
    await page.keyboard.press('Enter');
    await page.locator('#documents').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('quarry.token') !== null), true);
    assert.equal(page.url().includes(KEY), false, 'the key never goes into the URL');
  });

  await step('every control has a label', async () => {
    const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
      .filter((c) => !(c.labels?.length || c.getAttribute('aria-label') || c.textContent.trim()))
      .map((c) => c.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabeled, []);
    // Tab reaches the picker, the question, the mode and Ask, in page order.
    await page.locator('body').focus();
    const reached = [];
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim() || ''));
    }
    for (const id of ['files', 'refresh', 'question', 'mode', 'follow-up', 'ask-button']) {
      assert.ok(reached.includes(id), `Tab reaches #${id} (reached: ${reached.join(', ')})`);
    }
    assert.ok(reached.indexOf('files') < reached.indexOf('question') && reached.indexOf('question') < reached.indexOf('ask-button'));
  });

  await step('a non-PDF is refused before upload, with the reason', async () => {
    await page.locator('#files').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await uploadOf('notes.txt').locator('.detail', { hasText: 'not a PDF' }).waitFor();
  });

  await step('upload a sample PDF: progress, stages, READY with pages and chunks', async () => {
    await page.locator('#files').setInputFiles(SAMPLE);
    const row = uploadOf(sampleName);
    await row.waitFor();
    await screenshot(page, 'uploading');
    await row.locator('.status', { hasText: 'READY' }).waitFor({ timeout: READY_TIMEOUT });
    assert.match(await row.locator('.detail').textContent(), /\d+ pages? · \d+ chunks?/);
    await rowOf(sampleName).locator('.badge', { hasText: 'READY' }).waitFor();
    await screenshot(page, 'ready');
  });

  await step('ask: an answer with numbered citations', async () => {
    await page.getByLabel('Question').fill(QUESTION);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('#citations li').first().waitFor({ timeout: 60_000 });
    assert.ok((await page.locator('#answer-text').textContent()).trim().length > 0, 'the answer is not empty');
    await screenshot(page, 'answer');
  });

  await step('click a citation: the cited page is rendered and the quote highlighted on it', async () => {
    const citation = page.locator('#citations li button').first();
    const quote = (await citation.locator('q').textContent()).trim();
    await citation.click();
    const dialog = page.locator('#viewer');
    await dialog.locator('canvas').waitFor({ timeout: 60_000 });
    await page.locator('#viewer-status', { hasText: 'highlighted' }).waitFor({ timeout: 30_000 });
    const marks = dialog.locator('.textLayer .highlight');
    assert.ok(await marks.count() > 0, 'highlighted spans on the text layer');
    await marks.first().scrollIntoViewIfNeeded();
    assert.ok(await marks.first().isVisible(), 'the first highlighted span is visible');
    const box = await marks.first().boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= 800 && box.x >= 0 && box.x <= 1280, `the highlight is on screen: ${JSON.stringify(box)}`);
    const fold = (s) => s.toLowerCase().replace(/[\s\-‐‑–—.·•…]/gu, '');
    const marked = fold((await marks.allTextContents()).join(''));
    // Only the quote is marked, not the rest of the text-layer fragments (lines) it sits in.
    assert.ok(marked.length >= Math.min(24, fold(quote).length) && fold(quote).includes(marked),
      `highlighted text "${marked.slice(0, 80)}" is the quote "${quote.slice(0, 80)}" and nothing around it`);
    const painted = await marks.first().evaluate((n) => getComputedStyle(n).backgroundColor);
    assert.notEqual(painted, 'rgba(0, 0, 0, 0)', 'the highlight is painted');
    await screenshot(page, 'cited-page');
    const pdfLoads = transfers.filter((t) => t.url.includes('/console/viewer.js') || t.url.includes('/console/vendor/'));
    metrics.viewerLoadKB = Math.round(pdfLoads.reduce((s, t) => s + t.bytes, 0) / 102.4) / 10;
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
  });

  await step('a PDF whose name and text hold <script> and <img onerror> renders inert', async () => {
    await page.locator('#files').setInputFiles(HOSTILE);
    await uploadOf(hostileName).locator('.status', { hasText: 'READY' }).waitFor({ timeout: READY_TIMEOUT });
    await rowOf(hostileName).waitFor();
    await page.getByLabel('Mode').selectOption('bm25');
    await page.getByLabel('Question').fill('zebra quokka script onerror');
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('#hits li', { hasText: '<script>' }).first().waitFor({ timeout: 30_000 });
    await page.locator('#hits-box').evaluate((d) => { d.open = true; });
    assert.equal(await page.evaluate(() => window.__pwned), undefined, 'no injected script ran');
    assert.equal(await page.locator('main img, main script:not([src])').count(), 0, 'no element was created from document text');
    assert.equal((await rowOf(hostileName).locator('th.name').textContent()), hostileName, 'the name is shown as text');
    await screenshot(page, 'hostile-inert');
    await page.getByLabel('Mode').selectOption('answer');
  });

  await step('works on a 390-px-wide phone screen: documents, answer and the cited page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const before = Date.now();
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await rowOf(sampleName).waitFor();
    // A repeat visit, signed in: files revalidated by ETag (304), the documents and history listed.
    metrics.repeatVisitInteractiveMs = await page.evaluate(() => Math.round(performance.getEntriesByName('quarry-interactive')[0].startTime));
    await page.waitForTimeout(200);
    metrics.repeatVisitKB = Math.round(transfers.filter((t) => t.at >= before).reduce((sum, t) => sum + t.bytes, 0) / 102.4) / 10;
    const width = () => page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(await width() <= 390, `no horizontal scrolling (page is ${await width()} px wide)`);
    await screenshot(page, 'phone-documents');
    await page.getByLabel('Question').fill(QUESTION);
    await page.getByRole('button', { name: 'Ask', exact: true }).click();
    await page.locator('#citations li').first().waitFor({ timeout: 60_000 });
    assert.ok(await width() <= 390, `no horizontal scrolling with an answer (page is ${await width()} px wide)`);
    await page.locator('#citations li button').first().click();
    await page.locator('#viewer-status', { hasText: 'highlighted' }).waitFor({ timeout: 30_000 });
    await page.locator('#viewer .textLayer .highlight').first().scrollIntoViewIfNeeded();
    assert.ok(await page.locator('#viewer .textLayer .highlight').first().isVisible());
    await screenshot(page, 'phone-cited-page');
    // Zoom: the page grows inside the dialog, which scrolls; the console itself still does not.
    const canvasWidth = () => page.locator('#viewer canvas').evaluate((c) => c.getBoundingClientRect().width);
    const fitted = await canvasWidth();
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.locator('#zoom-level', { hasText: '150%' }).waitFor();
    await page.locator('#viewer-status', { hasText: 'highlighted' }).waitFor({ timeout: 30_000 });
    const zoomed = await canvasWidth();
    assert.ok(Math.abs(zoomed / fitted - 1.5) < 0.05, `zoomed in 1.5x: ${fitted} -> ${zoomed} px`);
    const wrap = await page.locator('#viewer-page').evaluate((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }));
    assert.ok(wrap.scroll > wrap.client, `the zoomed page scrolls inside the viewer: ${JSON.stringify(wrap)}`);
    assert.ok(await width() <= 390, `no horizontal scrolling of the console when zoomed (${await width()} px)`);
    await page.locator('#viewer .textLayer .highlight').first().scrollIntoViewIfNeeded();
    assert.ok(await page.locator('#viewer .textLayer .highlight').first().isVisible(), 'the quote is still highlighted when zoomed');
    await screenshot(page, 'phone-zoomed');
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await page.locator('#zoom-level', { hasText: '100%' }).waitFor();
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  await step('delete with confirmation', async () => {
    for (const name of [sampleName, hostileName]) {
      await rowOf(name).getByRole('button', { name: `Delete ${name}` }).click();
      const confirm = page.locator('#confirm');
      await confirm.waitFor();
      if (name === sampleName) await screenshot(page, 'confirm-delete');
      await confirm.getByRole('button', { name: 'Delete' }).click();
      await page.waitForFunction((n) => ![...document.querySelectorAll('#doc-rows tr')]
        .some((tr) => tr.querySelector('th.name')?.textContent === n && !tr.textContent.includes('DELETED')), name, { timeout: 60_000 });
    }
    await screenshot(page, 'deleted');
  });

  await step('no CSP violation, script error or console error on the way', async () => {
    // Expected on the way: the API's 401 for the wrong key and the user pool's 400s for the wrong and the weak password.
    const real = problems.filter((p) => !p.includes('401') && !p.includes('Unauthorized')
      && !(p.includes('status of 400') && p.includes(COGNITO)));
    assert.deepEqual(real, []);
  });
} catch (e) {
  exitCode = 1;
  await screenshot(page, 'failure').catch(() => {});
  if (problems.length) console.log(`problems seen: ${problems.join('\n')}`);
} finally {
  await browser.close();
  writeFileSync(join(OUT, 'results.json'), JSON.stringify({ results, metrics, problems }, null, 2));
  console.log(`metrics: ${JSON.stringify(metrics)}`);
  const passed = results.filter((r) => r.ok).length;
  console.log(`${passed} passed, ${results.length - passed} failed`);
}
process.exit(exitCode);
