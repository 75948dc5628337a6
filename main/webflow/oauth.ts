// The OAuth side of Webflow: the consent link, the code exchange (on the API host) and revocation
// (on the OAuth host). Codes, client secrets and access tokens are secrets: none of them appears
// in an error, whatever the server sends back.
import { AppError } from '../core/errors.js';
import type { WebflowConfig } from './config.js';
import { parseJson, readErrorBody, saying, statusLabel } from './errors.js';
import { send, type HttpFailure, type HttpReply } from './http.js';
import { retryAfterMs } from './rate-limit.js';

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
}

export function buildAuthorizeUrl(config: WebflowConfig, p: AuthorizeParams): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    scope: p.scopes.join(' '),
    state: p.state,
  });
  // URLSearchParams writes a space as '+'; the docs spell it %20. A literal '+' is already %2B,
  // so every '+' left is a space.
  return `${config.oauthBaseUrl}/oauth/authorize?${query.toString().replace(/\+/g, '%20')}`;
}

export interface ExchangeParams {
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  signal?: AbortSignal;
}

export async function exchangeCode(config: WebflowConfig, p: ExchangeParams): Promise<{ accessToken: string }> {
  const secrets = [p.clientSecret, p.code];
  const result = await postJson(
    config,
    `${config.apiBaseUrl}/oauth/access_token`,
    {
      client_id: p.clientId,
      client_secret: p.clientSecret,
      code: p.code,
      grant_type: 'authorization_code',
      redirect_uri: p.redirectUri,
    },
    secrets,
    p.signal,
  );
  const what = 'the authorization code exchange';
  if (result.type === 'failure') throw failureError(result, what);
  const token = result.status === 200 ? tokenField(result.text) : null;
  if (token) return { accessToken: token };
  // Some OAuth servers answer 200 with an `error` field; those go through the error mapping too.
  if (result.status === 200 && !readErrorBody(result.text, secrets).code) {
    throw new AppError('malformed_response', `Webflow's answer to ${what} held no access_token (HTTP 200).`, { httpStatus: 200 });
  }
  throw replyError(result, what, secrets, (code, message) => {
    if (code === 'invalid_grant') {
      return (
        'Webflow did not accept the authorization code: it is invalid, already used, expired (codes last 15 minutes) ' +
        `or the redirect URI does not match the one in the authorize link${said(message)}. Start the login again.`
      );
    }
    if (code === 'invalid_client') {
      return (
        `Webflow did not accept the app's client id or secret${said(message)}. Check them in Webflow ` +
        '(Workspace settings → Apps & Integrations → App Development) and update the app profile.'
      );
    }
    if (code === 'unsupported_grant_type') return `Webflow refused the grant type of the exchange${said(message)}.`;
    return null;
  });
}

export interface RevokeParams {
  clientId: string;
  clientSecret: string;
  accessToken: string;
  signal?: AbortSignal;
}

export async function revokeOAuthToken(config: WebflowConfig, p: RevokeParams): Promise<{ didRevoke: boolean }> {
  const secrets = [p.clientSecret, p.accessToken];
  const result = await postJson(
    config,
    `${config.oauthBaseUrl}/oauth/revoke_authorization`,
    { client_id: p.clientId, client_secret: p.clientSecret, access_token: p.accessToken },
    secrets,
    p.signal,
  );
  const what = 'the revoke request';
  if (result.type === 'failure') throw failureError(result, what);
  if (result.status >= 200 && result.status < 300) {
    // A 2xx without a body is success in HTTP terms; callers verify with a test anyway.
    if (result.text.trim() === '') return { didRevoke: true };
    const parsed = parseJson(result.text, secrets);
    const body = parsed.ok && parsed.value && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : null;
    // Current docs answer `did_revoke`; the v1 SDK read `didRevoke`.
    const flag = body?.did_revoke ?? body?.didRevoke;
    if (typeof flag === 'boolean') return { didRevoke: flag };
    throw new AppError('malformed_response', `Webflow's answer to ${what} did not say whether the token was revoked (HTTP ${result.status}).`, {
      httpStatus: result.status,
    });
  }
  throw replyError(result, what, secrets, (code, message) => {
    if (code === 'invalid_client') {
      return `Webflow did not accept the app's client id or secret${said(message)}. Check the app profile's credentials.`;
    }
    if (code === 'invalid_token') return `Webflow says the token is already revoked or unknown (invalid_token)${said(message)}.`;
    if (code === 'invalid_request') return `Webflow says the revoke request lacks a parameter or has a malformed one (invalid_request)${said(message)}.`;
    return null;
  });
}

function said(message: string): string {
  return message ? ` (Webflow said: ${message})` : '';
}

function postJson(config: WebflowConfig, url: string, body: Record<string, string>, secrets: string[], signal?: AbortSignal): Promise<HttpReply | HttpFailure> {
  return send(
    config,
    {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      signal,
    },
    // Neither call may run twice: a code is single-use, and a second revoke answers invalid_token.
    { secrets, retry: 'rate_limit_only' },
  );
}

function tokenField(text: string): string | null {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && 'access_token' in body) {
      const token = (body as { access_token: unknown }).access_token;
      if (typeof token === 'string' && token.trim() !== '') return token;
    }
  } catch {
    // falls through to null: the caller reports a malformed answer
  }
  return null;
}

function failureError(failure: HttpFailure, what: string): AppError {
  if (failure.kind === 'timeout') {
    return new AppError('timeout', `${failure.message} (${what}). Try again, or allow more time with WFVAULT_HTTP_TIMEOUT_MS.`);
  }
  return new AppError('network', `${failure.message} (during ${what}). Check the connection and the Webflow base URLs.`);
}

function replyError(
  reply: HttpReply,
  what: string,
  secrets: readonly string[],
  explain: (code: string | null, message: string) => string | null,
): AppError {
  const { code, message } = readErrorBody(reply.text, secrets);
  const details = { httpStatus: reply.status, oauthError: code };
  if (reply.status === 429) {
    const wait = retryAfterMs(reply.headers);
    const when = wait !== null ? ` Try again in about ${Math.max(1, Math.ceil(wait / 1000))} s.` : ' Try again in a minute.';
    return new AppError('rate_limited', `Webflow is rate-limiting ${what} (${statusLabel(429, code)}).${when}`, details);
  }
  if (reply.status >= 500) {
    return new AppError('network', `Webflow had a server error during ${what} (${statusLabel(reply.status, code)})${saying(message)}. Try again later.`, details);
  }
  // OAuth errors come as 400 or 401 (403 for some servers); anything else means the request
  // did not reach an OAuth endpoint at all, typically a base URL pointing at the wrong host.
  if (code && [400, 401, 403].includes(reply.status)) {
    return new AppError('oauth_error', explain(code, message) ?? `Webflow refused ${what} (${statusLabel(reply.status, code)})${saying(message)}.`, details);
  }
  return new AppError(
    'malformed_response',
    `Webflow answered ${what} with an unexpected ${statusLabel(reply.status, code)}; check WEBFLOW_API_BASE_URL and WEBFLOW_OAUTH_BASE_URL.`,
    details,
  );
}
