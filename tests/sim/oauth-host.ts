// The simulated OAuth host (webflow.com): the consent screen and the revoke endpoint.
import { consentPage, errorPage } from './consent-page.js';
import { oauthError, readFields, redirect, sendHtml, sendJson, type SimContext } from './http-util.js';
import { KNOWN_SCOPES, type SimOptions, type SimState } from './state.js';

export interface Revocation {
  clientId: string;
  at: number;
}

export async function handleOAuth(ctx: SimContext, state: SimState, options: SimOptions, revocations: Revocation[]): Promise<void> {
  const method = ctx.req.method ?? 'GET';
  if (ctx.path === '/oauth/authorize' && method === 'GET') return authorize(ctx, state);
  if (ctx.path === '/oauth/authorize/decision' && method === 'POST') return decide(ctx, state);
  if (ctx.path === '/oauth/revoke_authorization' && method === 'POST') return revoke(ctx, state, options, revocations);
  sendHtml(ctx.res, 404, errorPage('Page not found', `Nothing is served at ${method} ${ctx.path} on this host.`));
}

function withParams(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

function authorize(ctx: SimContext, state: SimState): void {
  const q = ctx.url.searchParams;
  const clientId = q.get('client_id');
  const app = clientId ? state.apps.get(clientId) : undefined;
  if (!app) {
    return sendHtml(ctx.res, 400, errorPage('Bad Request', 'The client_id is missing or does not belong to a registered app.'));
  }
  const sentRedirect = q.get('redirect_uri');
  if (sentRedirect !== null && !app.redirectUris.includes(sentRedirect)) {
    return sendHtml(
      ctx.res,
      400,
      errorPage('Bad Request', `The redirect_uri "${sentRedirect}" does not match the redirect URI registered for ${app.name}.`),
    );
  }
  const redirectUri = sentRedirect ?? app.redirectUris[0]!;
  const stateParam = q.get('state');
  const back = (error: string, description: string): void =>
    redirect(ctx.res, withParams(redirectUri, { error, error_description: description, state: stateParam }));

  if (q.get('response_type') !== 'code') return back('unsupported_response_type', 'response_type must be code.');
  const scopes = (q.get('scope') ?? '').split(/[\s,]+/).filter(Boolean);
  if (scopes.length === 0) return back('invalid_request', 'No scope was requested.');
  const invalid = scopes.filter((s) => !KNOWN_SCOPES.includes(s) || !app.scopes.includes(s));
  if (invalid.length > 0) return back('invalid_scope', `The following scopes are invalid: ${invalid.join(', ')}`);

  const consent = state.addConsent({
    clientId: app.clientId,
    redirectUri,
    redirectUriSent: sentRedirect !== null,
    scopes: [...new Set(scopes)],
    state: stateParam,
  });
  sendHtml(ctx.res, 200, consentPage(app, consent));
}

async function decide(ctx: SimContext, state: SimState): Promise<void> {
  const fields = (await readFields(ctx.req)) ?? {};
  const consent = fields.request ? state.takeConsent(fields.request) : undefined;
  if (!consent) {
    return sendHtml(ctx.res, 400, errorPage('Bad Request', 'This consent form has expired or was already answered. Start again.'));
  }
  if (fields.decision === 'allow') {
    const code = state.issueCode(consent);
    return redirect(ctx.res, withParams(consent.redirectUri, { code: code.code, state: consent.state }));
  }
  redirect(
    ctx.res,
    withParams(consent.redirectUri, {
      error: 'access_denied',
      error_description: 'The user denied the authorization request.',
      state: consent.state,
    }),
  );
}

async function revoke(ctx: SimContext, state: SimState, options: SimOptions, revocations: Revocation[]): Promise<void> {
  const fields = await readFields(ctx.req);
  const fail = (status: number, error: string, description: string): void => sendJson(ctx.res, status, oauthError(error, description));
  if (!fields) return fail(400, 'invalid_request', 'The request body is not valid JSON.');
  const { client_id, client_secret, access_token } = fields;
  if (!client_id || !client_secret || !access_token) {
    return fail(400, 'invalid_request', 'client_id, client_secret and access_token are required.');
  }
  const app = state.apps.get(client_id);
  if (!app || app.clientSecret !== client_secret) return fail(401, 'invalid_client', 'Client authentication failed.');
  const token = state.findToken(access_token);
  if (!token || token.revoked || token.clientId !== app.clientId) {
    return fail(400, 'invalid_token', 'The access token is unknown or already revoked.');
  }
  if (!options.revokeIsNoop) token.revoked = true;
  revocations.push({ clientId: app.clientId, at: state.now() });
  sendJson(ctx.res, 200, options.revokeAnswerStyle === 'didRevoke' ? { didRevoke: true } : { did_revoke: true });
}
