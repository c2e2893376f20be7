// The console talks only to the public API (same origin) and, for the bytes of a PDF, to the presigned
// S3 URLs the API hands out. The token lives in sessionStorage: gone when the tab closes, never in a URL.
const TOKEN = 'quarry.token';

export class SignInRequired extends Error {}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message || `The API answered ${status}.`);
    this.status = status;
    this.code = body?.error;
    this.field = body?.field;
  }
}

export const session = {
  token() {
    const saved = JSON.parse(sessionStorage.getItem(TOKEN) || 'null');
    if (!saved) return null;
    if (saved.expiresAt && Date.now() > saved.expiresAt) {
      sessionStorage.removeItem(TOKEN);
      return null;
    }
    return saved;
  },
  save(value, label, expiresAt) {
    sessionStorage.setItem(TOKEN, JSON.stringify({ value, label, expiresAt }));
  },
  clear() {
    sessionStorage.removeItem(TOKEN);
  },
};

export async function api(method, path, body) {
  const token = session.token();
  if (!token) throw new SignInRequired('Sign in to continue.');
  const response = await fetch(path, {
    method,
    headers: {
      Authorization: `Bearer ${token.value}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => null);
  if (response.status === 401) {
    session.clear();
    throw new SignInRequired(token.label === 'key'
      ? 'That API key was not accepted. Check it and sign in again.'
      : 'Your session has expired. Sign in again.');
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Checks an API key by listing one document, so a wrong key is refused at sign-in, not later. */
export async function signInWithKey(key) {
  session.save(key.trim(), 'key', null);
  try {
    await api('GET', '/v1/documents?limit=1');
  } catch (e) {
    session.clear();
    throw e;
  }
}

/**
 * Cognito USER_PASSWORD_AUTH against the user pool's own endpoint (the region's, or the local stack's user
 * pool): the ID token carries the tenant claim the API's JWT authorizer passes on. A first sign-in of an
 * invited user must set a password.
 */
export async function signInWithCognito(settings, email, password, newPassword) {
  const endpoint = settings.endpoint || `https://cognito-idp.${settings.region}.amazonaws.com/`;
  const call = async (target, payload) => {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-amz-json-1.1',
        'X-Amz-Target': `AWSCognitoIdentityProviderService.${target}`,
      },
      body: JSON.stringify(payload),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const kind = String(json.__type || '').split('#').pop();
      throw new ApiError(response.status, {
        error: kind,
        message: kind === 'NotAuthorizedException' ? 'Wrong email or password.' : json.message || 'Sign-in failed.',
      });
    }
    return json;
  };
  let result = await call('InitiateAuth', {
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: settings.clientId,
    AuthParameters: { USERNAME: email, PASSWORD: password },
  });
  if (result.ChallengeName === 'NEW_PASSWORD_REQUIRED') {
    if (!newPassword) return { needsNewPassword: true };
    result = await call('RespondToAuthChallenge', {
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      ClientId: settings.clientId,
      Session: result.Session,
      ChallengeResponses: { USERNAME: email, NEW_PASSWORD: newPassword },
    });
  }
  const auth = result.AuthenticationResult;
  if (!auth?.IdToken) throw new ApiError(400, { message: `Sign-in needs a step this console does not offer (${result.ChallengeName}).` });
  session.save(auth.IdToken, email, Date.now() + (auth.ExpiresIn - 30) * 1000);
  return { needsNewPassword: false };
}

/** PUT the file to its presigned URL with upload progress (fetch reports none). */
export function upload(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('Content-Type', 'application/pdf');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300
      ? resolve()
      : reject(new Error(`The upload was refused (HTTP ${xhr.status}).`)));
    xhr.onerror = () => reject(new Error('The upload failed: network error or the bucket refused this origin (CORS).'));
    xhr.send(file);
  });
}
