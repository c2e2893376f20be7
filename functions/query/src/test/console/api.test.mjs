// The console's sign-in and API client (api.js) under node's test runner, against stand-ins for the
// browser's fetch and sessionStorage: the requests it sends to Cognito and the API, and what it keeps.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';

const store = new Map();
globalThis.sessionStorage = {
  getItem: (k) => (store.has(k) ? store.get(k) : null),
  setItem: (k, v) => store.set(k, String(v)),
  removeItem: (k) => store.delete(k),
};
let calls = [];
let answers = [];
globalThis.fetch = async (url, init = {}) => {
  calls.push({ url, init, body: init.body ? JSON.parse(init.body) : undefined });
  const [status, body] = answers.shift() ?? [500, {}];
  return { status, ok: status >= 200 && status < 300, json: async () => body };
};

const { api, session, signInWithCognito, signInWithKey, SignInRequired, ApiError } =
  await import(new URL('../../main/console/api.js', import.meta.url));
const POOL = { mode: 'cognito', clientId: 'client-123', region: 'eu-west-1' };

beforeEach(() => {
  store.clear();
  calls = [];
  answers = [];
});

test('a Cognito sign-in sends USER_PASSWORD_AUTH for the app client and keeps the ID token for its lifetime', async () => {
  answers.push([200, { AuthenticationResult: { IdToken: 'id.jwt', AccessToken: 'access.jwt', ExpiresIn: 3600 } }]);

  const result = await signInWithCognito(POOL, 'ana@example.com', 'pw-123456789', null);

  assert.equal(result.needsNewPassword, false);
  assert.equal(calls[0].url, 'https://cognito-idp.eu-west-1.amazonaws.com/');
  assert.equal(calls[0].init.headers['X-Amz-Target'], 'AWSCognitoIdentityProviderService.InitiateAuth');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/x-amz-json-1.1');
  assert.deepEqual(calls[0].body, { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: 'client-123',
    AuthParameters: { USERNAME: 'ana@example.com', PASSWORD: 'pw-123456789' } });
  const kept = session.token();
  assert.equal(kept.value, 'id.jwt', 'the ID token: it carries the tenant claim the API needs');
  assert.ok(kept.expiresAt > Date.now() + 3000 * 1000 && kept.expiresAt < Date.now() + 3600 * 1000);
  assert.ok(![...store.values()].some((v) => v.includes('pw-123456789')), 'the password is not kept');
});

test('a configured endpoint (the local stack\'s user pool) is called instead of the region\'s', async () => {
  answers.push([200, { AuthenticationResult: { IdToken: 'id.jwt', ExpiresIn: 3600 } }]);

  await signInWithCognito({ ...POOL, endpoint: 'http://127.0.0.1:9229/' }, 'ana@example.com', 'pw-123456789', null);

  assert.equal(calls[0].url, 'http://127.0.0.1:9229/');
});

test('a first sign-in asks for a new password, then answers the challenge with it', async () => {
  answers.push([200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'sess-1' }]);
  assert.deepEqual(await signInWithCognito(POOL, 'ana@example.com', 'temporary', null), { needsNewPassword: true });
  assert.equal(session.token(), null);

  answers.push([200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'sess-2' }],
    [200, { AuthenticationResult: { IdToken: 'id.jwt', ExpiresIn: 3600 } }]);
  await signInWithCognito(POOL, 'ana@example.com', 'temporary', 'a-new-password-1');

  assert.equal(calls[2].init.headers['X-Amz-Target'], 'AWSCognitoIdentityProviderService.RespondToAuthChallenge');
  assert.deepEqual(calls[2].body, { ChallengeName: 'NEW_PASSWORD_REQUIRED', ClientId: 'client-123', Session: 'sess-2',
    ChallengeResponses: { USERNAME: 'ana@example.com', NEW_PASSWORD: 'a-new-password-1' } });
  assert.equal(session.token().value, 'id.jwt');
});

test('a wrong password says so and keeps nothing', async () => {
  answers.push([400, { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' }]);

  await assert.rejects(signInWithCognito(POOL, 'ana@example.com', 'wrong', null), (e) => e instanceof ApiError && /Wrong email or password/.test(e.message));
  assert.equal(session.token(), null);
});

test('an expired token is not sent: the console asks to sign in again', async () => {
  session.save('old.jwt', 'ana@example.com', Date.now() - 1000);

  await assert.rejects(api('GET', '/v1/documents'), SignInRequired);
  assert.equal(calls.length, 0);
});

test('a token the API refuses is dropped, with the reason', async () => {
  session.save('id.jwt', 'ana@example.com', Date.now() + 60_000);
  answers.push([401, { error: 'unauthorized' }]);

  await assert.rejects(api('GET', '/v1/documents'), (e) => e instanceof SignInRequired && /expired/.test(e.message));
  assert.equal(calls[0].init.headers.Authorization, 'Bearer id.jwt');
  assert.equal(session.token(), null);
});

test('an API key is checked at sign-in and a wrong one is refused and forgotten', async () => {
  answers.push([401, { error: 'unauthorized' }]);
  await assert.rejects(signInWithKey('not-a-key'), (e) => e instanceof SignInRequired && /not accepted/.test(e.message));
  assert.equal(session.token(), null);

  answers.push([200, { documents: [], total: 0 }]);
  await signInWithKey(' local-demo-key ');
  assert.equal(calls[1].init.headers.Authorization, 'Bearer local-demo-key');
  assert.equal(session.token().value, 'local-demo-key');
});

test('an API error keeps its status, code and message', async () => {
  session.save('k', 'key', null);
  answers.push([404, { error: 'not_found', message: "No document with id 'x'." }]);

  await assert.rejects(api('GET', '/v1/documents/x'), (e) => e instanceof ApiError && e.status === 404 && e.code === 'not_found');
});
