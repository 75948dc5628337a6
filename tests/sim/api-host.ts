// The simulated API host (api.webflow.com): the three /v2 endpoints a token test needs and the
// OAuth code exchange, which Webflow serves from the API host rather than the OAuth host.
import { apiError, oauthError, readFields, sendJson, type SimContext } from './http-util.js';
import { CODE_LIFETIME_MS, type SimOptions, type SimState, type SimToken } from './state.js';

const DEFAULT_RATE_LIMIT = 60;

interface ApiRoute {
  scope: string | null;
  answer: (token: SimToken, state: SimState) => unknown;
}

const ROUTES: Record<string, ApiRoute> = {
  '/v2/token/introspect': { scope: null, answer: introspect },
  '/v2/token/authorized_by': { scope: 'authorized_user:read', answer: authorizedBy },
  '/v2/sites': { scope: 'sites:read', answer: listSites },
};

export async function handleApi(ctx: SimContext, state: SimState, options: SimOptions): Promise<void> {
  if (ctx.path === '/oauth/access_token') {
    if (ctx.req.method !== 'POST') return sendJson(ctx.res, 405, oauthError('invalid_request', 'Use POST.'), { Allow: 'POST' });
    return exchangeCode(ctx, state, options);
  }
  const route = ROUTES[ctx.path];
  if (!route || ctx.req.method !== 'GET') {
    return sendJson(ctx.res, 404, apiError('route_not_found', `Requested route not found: ${ctx.req.method} ${ctx.path}`));
  }

  const token = state.findToken(ctx.bearer);
  const live = token && !token.revoked ? token : undefined;
  // Unknown strings get a window of their own so a flood of bad tokens is limited too.
  const rate = state.consumeRate(live ? `id:${live.id}` : `bearer:${ctx.bearer ?? ''}`, live?.rateLimit ?? DEFAULT_RATE_LIMIT);
  const headers = {
    'X-RateLimit-Limit': String(rate.limit),
    'X-RateLimit-Remaining': String(rate.remaining),
    // The docs show this header on every answer, even a 200; its value is the window length.
    'Retry-After': String(Math.max(1, Math.ceil(state.rateWindowMs / 1000))),
  };
  if (!rate.allowed) {
    return sendJson(ctx.res, 429, { message: 'Too Many Requests', code: 'too_many_requests', externalReference: null, details: [] }, {
      ...headers,
      'Retry-After': String(rate.resetSeconds),
    });
  }
  if (!live || (ctx.path === '/v2/token/introspect' && live.kind === 'site' && options.siteTokensOnIntrospect === 'reject401')) {
    return sendJson(ctx.res, 401, apiError('not_authorized', 'Request not authorized'), headers);
  }
  if (route.scope && !live.scopes.includes(route.scope)) {
    return sendJson(
      ctx.res,
      403,
      apiError('missing_scopes', `OAuthForbidden: You are missing the following scopes - ${route.scope}`),
      headers,
    );
  }
  const body = route.answer(live, state);
  live.lastUsed = state.nowIso();
  sendJson(ctx.res, 200, body, headers);
}

function introspect(token: SimToken, state: SimState): unknown {
  const authorization = {
    id: token.id,
    createdOn: token.createdOn,
    lastUsed: token.lastUsed,
    grantType: token.kind === 'oauth' ? 'authorization_code' : 'client_credentials',
    rateLimit: token.rateLimit,
    scope: token.scopes.join(token.scopeStyle === 'comma' ? ',' : ' '),
    authorizedTo: { siteIds: token.siteIds, workspaceIds: token.workspaceIds, userIds: [token.userId] },
  };
  if (token.kind !== 'oauth') return { authorization };
  const app = token.clientId ? state.apps.get(token.clientId) : undefined;
  return {
    authorization,
    application: app
      ? { id: app.id, description: app.description, homepage: app.homepage, displayName: app.name }
      : { id: null, description: null, homepage: null, displayName: null },
  };
}

function authorizedBy(token: SimToken, state: SimState): unknown {
  const user = state.users.get(token.userId) ?? state.defaultUser;
  return { id: user.id, email: user.email, firstName: user.firstName, lastName: user.lastName };
}

function listSites(token: SimToken, state: SimState): unknown {
  return { sites: state.sitesFor(token).map((s) => ({ ...s })) };
}

async function exchangeCode(ctx: SimContext, state: SimState, options: SimOptions): Promise<void> {
  const fields = await readFields(ctx.req);
  const fail = (status: number, error: string, description: string): void => sendJson(ctx.res, status, oauthError(error, description));
  if (!fields) return fail(400, 'invalid_request', 'The request body is neither JSON nor form-encoded.');
  const { client_id, client_secret, code, grant_type, redirect_uri } = fields;
  if (!grant_type) return fail(400, 'invalid_request', 'grant_type is required.');
  if (grant_type !== 'authorization_code') return fail(400, 'unsupported_grant_type', `Unsupported grant type: ${grant_type}`);
  if (!client_id || !client_secret) return fail(400, 'invalid_request', 'client_id and client_secret are required.');
  const app = state.apps.get(client_id);
  if (!app || app.clientSecret !== client_secret) return fail(401, 'invalid_client', 'Client authentication failed.');
  if (!code) return fail(400, 'invalid_request', 'code is required.');
  const grant = state.codes.get(code);
  if (!grant || grant.clientId !== client_id) return fail(400, 'invalid_grant', 'invalid_code');
  if (grant.used) return fail(400, 'invalid_grant', 'code_already_used');
  if (state.now() - grant.createdAt > CODE_LIFETIME_MS) return fail(400, 'invalid_grant', 'code_expired');
  if (grant.redirectUriSent ? redirect_uri !== grant.redirectUri : redirect_uri !== undefined && redirect_uri !== grant.redirectUri) {
    return fail(400, 'invalid_grant', 'invalid_redirect_uri');
  }
  grant.used = true;
  const token = state.addToken({
    kind: 'oauth',
    scopes: grant.scopes,
    siteIds: grant.siteIds,
    // An app is installed into a workspace: its token reaches the workspaces of its sites.
    workspaceIds: [...new Set(grant.siteIds.flatMap((id) => state.sites.get(id)?.workspaceId ?? []))],
    userId: grant.userId,
    clientId: app.clientId,
  });
  const body: Record<string, string> = { access_token: token.token };
  if (options.exchangeSendsTokenType) body.token_type = 'bearer';
  sendJson(ctx.res, 200, body, { 'Cache-Control': 'no-store' });
}
