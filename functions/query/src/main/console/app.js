// Quarry's web console. Everything a document or an answer says is put on the page as text
// (textContent, never innerHTML): a PDF named "<img onerror=...>.pdf" stays a name.
import { api, ApiError, session, signInWithCognito, signInWithKey, SignInRequired, upload } from '/console/api.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  node.append(...children);
  return node;
};

const TERMINAL = new Set(['READY', 'FAILED', 'DELETED']);
const PAGE_SIZE = 10;
const state = {
  settings: null,
  cursors: [null], // cursor of each documents page visited
  page: 0,
  conversationId: null,
  citations: [],
  polling: null,
  useKey: false, // the local stack's "Use an API key instead"
};

// ---------- sign-in ----------

// With an app client the console signs in at the user pool. Where the gateway also takes API keys (the local
// stack says so in its settings), a key may be used instead; in AWS that choice is never shown.
const usesCognito = () => state.settings.mode === 'cognito' && !state.useKey;

function showSignIn(message) {
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message || '';
  const cognito = usesCognito();
  const both = state.settings.mode === 'cognito' && state.settings.apiKeys === true;
  $('key-fields').hidden = cognito;
  $('cognito-fields').hidden = !cognito;
  $('switch-sign-in').hidden = !both;
  $('local-users-hint').hidden = !both;
  $('use-key').hidden = !cognito;
  $('use-account').hidden = cognito;
  (cognito ? $('email') : $('api-key')).focus();
}

$('use-key').addEventListener('click', () => { state.useKey = true; showSignIn(); });
$('use-account').addEventListener('click', () => { state.useKey = false; showSignIn(); });

async function showApp() {
  const token = session.token();
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = token.label === 'key' ? 'Signed in with an API key' : `Signed in as ${token.label}`;
  await Promise.all([loadDocuments(), loadHistory()]);
}

/** Runs an API action; a refused or expired token brings back the sign-in form with the reason. */
async function guarded(action, onError) {
  try {
    return await action();
  } catch (e) {
    if (e instanceof SignInRequired) {
      showSignIn(e.message);
    } else if (onError) {
      onError(e);
    } else {
      console.error(e);
    }
    return undefined;
  }
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = event.submitter || event.target.querySelector('button');
  button.disabled = true;
  $('sign-in-error').textContent = '';
  try {
    if (usesCognito()) {
      const result = await signInWithCognito(state.settings, $('email').value.trim(), $('password').value,
        $('new-password-fields').hidden ? null : $('new-password').value);
      if (result.needsNewPassword) {
        $('new-password-fields').hidden = false;
        $('new-password').focus();
        $('sign-in-error').textContent = 'Choose a new password to finish your first sign-in.';
        return;
      }
    } else {
      const key = $('api-key').value;
      if (!key.trim()) {
        $('sign-in-error').textContent = 'Enter an API key.';
        return;
      }
      await signInWithKey(key);
    }
    $('api-key').value = '';
    $('password').value = '';
    $('new-password').value = '';
    $('new-password-fields').hidden = true;
  } catch (e) {
    $('sign-in-error').textContent = e.message;
    return;
  } finally {
    // Enabled again before the documents load: a sign-out meanwhile must leave a form that Enter submits.
    button.disabled = false;
  }
  await showApp();
});

$('sign-out').addEventListener('click', () => {
  clearTimeout(state.polling);
  session.clear();
  showSignIn('Signed out.');
});

// ---------- upload ----------

function refuse(file) {
  if (!/\.pdf$/i.test(file.name)) return 'not a PDF (the name must end with .pdf)';
  if (state.settings.maxUploadBytes && file.size > state.settings.maxUploadBytes) {
    return `too large: ${megabytes(file.size)}, the limit is ${megabytes(state.settings.maxUploadBytes)}`;
  }
  if (file.size === 0) return 'empty file';
  return null;
}

const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
const megabytes = (n) => `${(n / 1048576).toFixed(1)} MB`;

async function isPdf(file) {
  const head = new Uint8Array(await file.slice(0, 1024).arrayBuffer());
  return new TextDecoder('latin1').decode(head).includes('%PDF-');
}

function uploadRow(file) {
  const bar = el('progress', { max: '100', value: '0', 'aria-label': `Progress of ${file.name}` });
  const status = el('span', { class: 'status', text: 'Waiting' });
  const detail = el('span', { class: 'detail muted' });
  const row = el('li', { class: 'upload' }, el('span', { class: 'name', text: file.name }), bar, status, detail);
  $('uploads').prepend(row);
  return {
    set(label, percent, text = '', failed = false) {
      status.textContent = label;
      if (percent !== null) bar.value = percent;
      detail.textContent = text;
      row.classList.toggle('failed', failed);
      row.dataset.status = label;
    },
  };
}

async function uploadFiles(files) {
  for (const file of files) {
    const row = uploadRow(file);
    let reason = refuse(file);
    if (!reason && !(await isPdf(file))) reason = 'not a PDF (no %PDF- header)';
    if (reason) {
      row.set('Refused', 0, `Not uploaded: ${reason}.`, true);
      continue;
    }
    guarded(async () => {
      row.set('Starting', 0);
      const created = await api('POST', '/v1/documents', { name: file.name });
      await upload(created.uploadUrl, file, (f) => row.set('Uploading', Math.round(f * 100), `${Math.round(f * 100)}% of ${megabytes(file.size)}`));
      row.set('QUEUED', 0, 'Uploaded; waiting for the pipeline');
      await follow(created.documentId, row);
    }, (e) => row.set('FAILED', null, e.message, true));
  }
}

async function follow(documentId, row) {
  for (;;) {
    const doc = await api('GET', `/v1/documents/${encodeURIComponent(documentId)}`);
    const parts = doc.progress.parts ? ` · ${doc.progress.partsDone}/${doc.progress.parts} parts` : '';
    if (doc.status === 'FAILED') {
      row.set('FAILED', 100, `${doc.reason || 'Failed'}${doc.errorCode ? ` (${doc.errorCode})` : ''}`, true);
      break;
    }
    if (doc.status === 'READY') {
      const warnings = doc.warnings?.length ? ` · ${doc.warnings.join('; ')}` : '';
      row.set('READY', 100, `${plural(doc.pages, 'page')} · ${plural(doc.chunks, 'chunk')}${warnings}`);
      break;
    }
    if (TERMINAL.has(doc.status)) {
      row.set(doc.status, 100);
      break;
    }
    row.set(doc.status, doc.progress.percent, `${doc.pages ? `${doc.pages} pages` : ''}${parts}`);
    await new Promise((r) => setTimeout(r, 1500));
  }
  loadDocuments();
}

$('files').addEventListener('change', (e) => {
  uploadFiles([...e.target.files]);
  e.target.value = '';
});
const drop = $('drop');
['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => {
  e.preventDefault();
  drop.classList.add('over');
}));
['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('over')));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  uploadFiles([...e.dataTransfer.files]);
});

// ---------- documents ----------

const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' }) : '');

async function loadDocuments() {
  await guarded(async () => {
    const cursor = state.cursors[state.page];
    const list = await api('GET', `/v1/documents?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const rows = list.documents.map((d) => {
      const status = el('td', { 'data-label': 'Status' }, el('span', { class: `badge s-${d.status.toLowerCase()}`, text: d.status }));
      if (d.status === 'FAILED' && d.reason) status.append(el('span', { class: 'reason', text: d.reason }));
      const actions = el('td', { class: 'actions' });
      if (d.status === 'READY') {
        actions.append(el('button', { type: 'button', text: 'View', 'aria-label': `View ${d.name}`, onclick: () => openViewer([{ documentId: d.documentId, name: d.name, page: 1, quote: '' }], 0) }));
      }
      actions.append(el('button', { type: 'button', class: 'danger', text: 'Delete', 'aria-label': `Delete ${d.name}`, onclick: () => confirmDelete(d) }));
      return el('tr', { 'data-document-id': d.documentId },
        el('th', { scope: 'row', class: 'name', text: d.name }),
        status,
        el('td', { 'data-label': 'Pages', text: String(d.pages || '') }),
        el('td', { 'data-label': 'Chunks', text: String(d.chunks || '') }),
        el('td', { 'data-label': 'Dates' }, el('span', { class: 'date', text: `Added ${when(d.createdAt)}` }),
          el('span', { class: 'date muted', text: `Updated ${when(d.updatedAt)}` })),
        actions);
    });
    $('doc-rows').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: '6', class: 'muted', text: 'No documents yet: drop a PDF above.' }))]));
    $('doc-count').textContent = `${list.total} document${list.total === 1 ? '' : 's'}`;
    state.cursors[state.page + 1] = list.nextCursor;
    $('prev-page').disabled = state.page === 0;
    $('next-page').disabled = !list.nextCursor;
    $('page-info').textContent = `Page ${state.page + 1} of ${Math.max(1, Math.ceil(list.total / PAGE_SIZE))}`;
    clearTimeout(state.polling);
    if (list.documents.some((d) => !TERMINAL.has(d.status))) state.polling = setTimeout(loadDocuments, 3000);
  }, (e) => { $('doc-count').textContent = `Could not list documents: ${e.message}`; });
}

$('refresh').addEventListener('click', loadDocuments);
$('prev-page').addEventListener('click', () => { state.page = Math.max(0, state.page - 1); loadDocuments(); });
$('next-page').addEventListener('click', () => { state.page += 1; loadDocuments(); });

function confirmDelete(doc) {
  const dialog = $('confirm');
  $('confirm-text').textContent = `“${doc.name}” and everything indexed from it will be removed.`;
  dialog.returnValue = '';
  dialog.showModal();
  dialog.addEventListener('close', () => {
    if (dialog.returnValue !== 'delete') return;
    guarded(async () => {
      const path = `/v1/documents/${encodeURIComponent(doc.documentId)}`;
      await api('DELETE', path);
      const badge = document.querySelector(`tr[data-document-id="${doc.documentId}"] .badge`);
      if (badge) badge.textContent = 'DELETING';
      $('doc-count').textContent = `Deleting “${doc.name}”…`;
      // The pipeline removes the chunks and the status record; follow it until the document is gone.
      for (let i = 0; i < 60; i++) {
        const current = await api('GET', path).catch((e) => (e instanceof ApiError && e.status === 404 ? null : Promise.reject(e)));
        if (!current || current.status === 'DELETED') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      await loadDocuments();
    }, (e) => { $('doc-count').textContent = `Could not delete: ${e.message}`; });
  }, { once: true });
}

// ---------- ask ----------

$('new-conversation').addEventListener('click', () => {
  state.conversationId = null;
  $('follow-up').checked = false;
  $('ask-status').textContent = 'New conversation.';
  $('question').focus();
});

$('ask-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const question = $('question').value.trim();
  if (!question) {
    $('ask-status').textContent = 'Type a question first.';
    return;
  }
  const mode = $('mode').value;
  const button = $('ask-button');
  button.disabled = true;
  $('ask-status').textContent = mode === 'answer' ? 'Searching and answering…' : 'Searching…';
  await guarded(async () => {
    if (mode === 'answer') {
      if (!$('follow-up').checked || !state.conversationId) state.conversationId = crypto.randomUUID();
      const started = performance.now();
      const answer = await api('POST', '/v1/query', { question, conversationId: state.conversationId });
      showAnswer(answer);
      showHits(answer.hits);
      $('follow-up').checked = true;
      $('ask-status').textContent = `Answered in ${Math.round(performance.now() - started)} ms.`;
      loadHistory();
    } else {
      const result = await api('POST', '/v1/search', { query: question, mode });
      $('answer').hidden = true;
      showHits(result.hits, true);
      $('hits-box').open = true;
      $('ask-status').textContent = `${result.hits.length} passages (${result.mode}).`;
    }
  }, (e) => { $('ask-status').textContent = e instanceof ApiError ? `Not answered: ${e.message}` : e.message; });
  button.disabled = false;
});

function showAnswer(answer) {
  state.citations = answer.citations || [];
  const text = $('answer-text');
  text.replaceChildren();
  text.classList.toggle('not-found', !answer.found);
  if (!answer.found) {
    text.append(el('strong', { text: 'Not found in your documents. ' }));
  }
  // "[2]" in the answer becomes a button to citation 2; everything else stays text.
  const parts = String(answer.answer || '').split(/(\[\d+\])/);
  for (const part of parts) {
    const n = /^\[(\d+)\]$/.exec(part)?.[1];
    if (n && state.citations[n - 1]) {
      text.append(el('button', { type: 'button', class: 'marker', text: `[${n}]`, 'aria-label': `Show citation ${n}`, onclick: () => openViewer(state.citations, n - 1) }));
    } else if (part) {
      text.append(part);
    }
  }
  if (!answer.found && !answer.answer) text.append('The question was not answered.');
  $('answer-note').textContent = [answer.answerMode && `Mode: ${answer.answerMode}.`, answer.note,
    answer.removedClaims ? `${answer.removedClaims} unverified claim(s) removed.` : '', ...(answer.warnings || [])].filter(Boolean).join(' ');
  $('citations').replaceChildren(...state.citations.map((c, i) => el('li', {},
    el('button', { type: 'button', class: 'citation', 'aria-label': `Citation ${i + 1}: ${c.name}, page ${c.page}`, onclick: () => openViewer(state.citations, i) },
      el('span', { class: 'cite-source', text: `${c.name}, page ${c.page}` }),
      el('q', { text: c.quote })))));
  $('citations-title').hidden = state.citations.length === 0;
  $('answer').hidden = false;
}

function showHits(hits, searchOnly = false) {
  $('hits-box').hidden = !hits?.length;
  $('hits-title').textContent = `Passages (${hits?.length || 0})`;
  $('hits').replaceChildren(...(hits || []).map((h) => {
    const pages = h.pageStart === h.pageEnd ? `page ${h.pageStart}` : `pages ${h.pageStart}-${h.pageEnd}`;
    const head = h.text.split(/(?<=[.!?])\s/)[0].slice(0, 160);
    return el('li', {},
      el('button', { type: 'button', class: 'hit', 'aria-label': `Open ${h.name}, ${pages}`, onclick: () => openViewer([{ documentId: h.documentId, name: h.name, page: h.pageStart, quote: head }], 0) },
        el('span', { class: 'cite-source', text: `${h.name}, ${pages}${searchOnly ? ` · score ${h.score.toFixed(3)}` : ''}` }),
        h.section ? el('span', { class: 'section muted', text: h.section }) : '',
        h.flag ? el('span', { class: 'flag', text: `Reads as instructions to a model (${h.flag}); shown as document text only.` }) : '',
        el('span', { class: 'hit-text', text: h.text.length > 400 ? `${h.text.slice(0, 400)}…` : h.text })));
  }));
}

async function loadHistory() {
  await guarded(async () => {
    const { queries } = await api('GET', '/v1/queries?limit=10');
    $('history').replaceChildren(...queries.map((q) => el('li', {},
      el('span', { class: 'question', text: q.question }),
      el('span', { class: 'muted', text: ` — ${String(q.answer || '').slice(0, 200)}` }))));
  });
}

// ---------- the cited page ----------

let viewerModule = null;
let viewerToken = 0;
const ZOOMS = [1, 1.5, 2, 3];
let viewerZoom = 0; // index in ZOOMS; the page fits the dialog's width at 1
let viewerShown = null; // [citations, index] of the page on screen, for zooming it

async function openViewer(citations, index) {
  const dialog = $('viewer');
  if (!dialog.open) dialog.showModal();
  const c = citations[index];
  const token = ++viewerToken;
  viewerShown = [citations, index];
  $('zoom-level').textContent = `${ZOOMS[viewerZoom] * 100}%`;
  $('zoom-out').disabled = viewerZoom === 0;
  $('zoom-in').disabled = viewerZoom === ZOOMS.length - 1;
  $('viewer-title').textContent = `${c.name}, page ${c.page}`;
  $('viewer-quote').textContent = c.quote ? `“${c.quote}”` : '';
  $('viewer-quote').hidden = !c.quote;
  $('viewer-citations').replaceChildren(...(citations.length > 1 ? citations.map((other, i) => el('button', {
    type: 'button', class: i === index ? 'chip current' : 'chip', text: `[${i + 1}] p. ${other.page}`,
    'aria-label': `Citation ${i + 1}: ${other.name}, page ${other.page}`, 'aria-current': i === index ? 'true' : 'false',
    onclick: () => openViewer(citations, i),
  })) : []));
  $('viewer-status').textContent = 'Loading the page…';
  $('viewer-page').replaceChildren();
  await guarded(async () => {
    viewerModule ||= await import('/console/viewer.js');
    const pdf = await viewerModule.openDocument(c.documentId, (id) => api('GET', `/v1/documents/${encodeURIComponent(id)}/pdf`));
    if (token !== viewerToken) return;
    const shown = await viewerModule.renderPage(pdf, c.page, $('viewer-page'), c.quote, ZOOMS[viewerZoom]);
    if (token !== viewerToken) return;
    $('viewer-status').textContent = `Page ${shown.page} of ${shown.pages}.${c.quote ? (shown.marks.length ? ' The quote is highlighted.' : ' The quote could not be located on the rendered page.') : ''}`;
    shown.marks[0]?.scrollIntoView({ block: 'center' });
  }, (e) => { $('viewer-status').textContent = `Could not show the page: ${e.message}`; });
}

$('viewer-close').addEventListener('click', () => $('viewer').close());
function zoomViewer(step) {
  const next = Math.min(ZOOMS.length - 1, Math.max(0, viewerZoom + step));
  if (next === viewerZoom || !viewerShown) return;
  viewerZoom = next;
  openViewer(...viewerShown);
}
$('zoom-in').addEventListener('click', () => zoomViewer(1));
$('zoom-out').addEventListener('click', () => zoomViewer(-1));

// ---------- start ----------

async function start() {
  try {
    const response = await fetch('/console/config.json');
    const json = await response.json();
    state.settings = { ...json.signIn, maxUploadBytes: json.maxUploadBytes };
  } catch (e) {
    $('loading').textContent = `The console could not load its settings: ${e.message}`;
    return;
  }
  $('loading').hidden = true;
  if (state.settings.maxUploadBytes) {
    $('upload-limits').textContent = `PDF only, up to ${megabytes(Number(state.settings.maxUploadBytes))} each.`;
    state.settings.maxUploadBytes = Number(state.settings.maxUploadBytes);
  }
  if (session.token()) {
    await showApp();
  } else {
    showSignIn();
  }
  document.body.dataset.ready = 'true';
  performance.mark('quarry-interactive');
}

start();
