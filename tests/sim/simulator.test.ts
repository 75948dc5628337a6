// The simulator is the stand-in for Webflow in every other test, so its own behaviour is pinned
// here: the consent screen, the two hosts, rate windows, fault injection and the request log.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { consent, openAuthorize } from './drive-consent.js';
import { startSimulator, type SimApp, type Simulator } from './simulator.js';

let sim: Simulator;
let app: SimApp;
const REDIRECT = 'http://localhost:8976/callback';

beforeAll(async () => {
  sim = await startSimulator();
  sim.addSite({ displayName: 'Acme <Marketing>', shortName: 'acme-marketing' });
  app = sim.addApp({ name: 'Vault & Friends', redirectUris: [REDIRECT, 'http://localhost:8977/other'], scopes: ['sites:read', 'cms:read', 'authorized_user:read'] });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
});

function authorizeUrl(params: Record<string, string>): string {
  const q = new URLSearchParams({ response_type: 'code', client_id: app.clientId, ...params });
  return `${sim.oauthUrl}/oauth/authorize?${q.toString().replace(/\+/g, '%20')}`;
}

async function api(path: string, token?: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return fetch(sim.apiUrl + path, { ...init, headers });
}

describe('consent screen', () => {
  it('shows the app name and the scopes, and Authorize sends a code and the state back', async () => {
    const url = authorizeUrl({ redirect_uri: REDIRECT, scope: 'sites:read cms:read', state: 'st-123' });
    const result = await consent(url, 'allow');
    expect(result.pageStatus).toBe(200);
    expect(result.html).toContain('Vault &amp; Friends');
    expect(result.html).toContain('<li><code>sites:read</code></li>');
    expect(result.html).toContain('<li><code>cms:read</code></li>');
    expect(result.html).toContain('Authorize');
    expect(result.html).toContain('Deny');
    expect(result.location?.origin + (result.location?.pathname ?? '')).toBe(REDIRECT);
    expect(result.location?.searchParams.get('code')).toMatch(/^[0-9a-f]{64}$/);
    expect(result.location?.searchParams.get('state')).toBe('st-123');
  });

  it('Deny sends access_denied and the state back', async () => {
    const result = await consent(authorizeUrl({ redirect_uri: REDIRECT, scope: 'sites:read', state: 'st-9' }), 'deny');
    expect(result.location?.searchParams.get('error')).toBe('access_denied');
    expect(result.location?.searchParams.get('error_description')).toBeTruthy();
    expect(result.location?.searchParams.get('state')).toBe('st-9');
    expect(result.location?.searchParams.has('code')).toBe(false);
  });

  it('answers an unregistered redirect_uri with a 400 page and no redirect', async () => {
    const page = await openAuthorize(authorizeUrl({ redirect_uri: 'http://localhost:9999/evil', scope: 'sites:read', state: 's' }));
    expect(page.status).toBe(400);
    expect(page.location).toBeNull();
    expect(page.html).toContain('does not match');
  });

  it('answers an unknown client_id with a 400 page', async () => {
    const q = new URLSearchParams({ response_type: 'code', client_id: 'nope', scope: 'sites:read' });
    const page = await openAuthorize(`${sim.oauthUrl}/oauth/authorize?${q}`);
    expect(page.status).toBe(400);
  });

  it('redirects back with invalid_scope for an unknown scope or one the app lacks', async () => {
    const unknown = await openAuthorize(authorizeUrl({ redirect_uri: REDIRECT, scope: 'sites:read openid', state: 'a' }));
    expect(unknown.status).toBe(302);
    expect(unknown.location?.searchParams.get('error')).toBe('invalid_scope');
    expect(unknown.location?.searchParams.get('error_description')).toBe('The following scopes are invalid: openid');
    expect(unknown.location?.searchParams.get('state')).toBe('a');

    const notOnApp = await openAuthorize(authorizeUrl({ redirect_uri: REDIRECT, scope: 'pages:write' }));
    expect(notOnApp.location?.searchParams.get('error')).toBe('invalid_scope');
    expect(notOnApp.location?.searchParams.get('error_description')).toContain('pages:write');
  });

  it('uses the first registered redirect URI when none is sent, and a form answers only once', async () => {
    const url = authorizeUrl({ scope: 'sites:read' });
    const page = await openAuthorize(url);
    const request = /name="request" value="([^"]+)"/.exec(page.html)![1]!;
    const post = (): Promise<Response> =>
      fetch(`${sim.oauthUrl}/oauth/authorize/decision`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request, decision: 'allow' }).toString(),
        redirect: 'manual',
      });
    const first = await post();
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toMatch(/^http:\/\/localhost:8976\/callback\?code=/);
    const again = await post();
    expect(again.status).toBe(400);
  });
});

describe('code exchange', () => {
  async function code(params: Record<string, string> = { redirect_uri: REDIRECT }): Promise<string> {
    const result = await consent(authorizeUrl({ scope: 'sites:read authorized_user:read', ...params }), 'allow');
    return result.location!.searchParams.get('code')!;
  }
  const exchange = (body: Record<string, string>, form = false): Promise<Response> =>
    fetch(`${sim.apiUrl}/oauth/access_token`, {
      method: 'POST',
      headers: { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
      body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
    });
  const base = (c: string): Record<string, string> => ({
    client_id: app.clientId,
    client_secret: app.clientSecret,
    code: c,
    grant_type: 'authorization_code',
    redirect_uri: REDIRECT,
  });

  it('accepts form encoding, issues a working OAuth token, and refuses the code a second time', async () => {
    const c = await code();
    const res = await exchange(base(c), true);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; token_type: string };
    expect(body.token_type).toBe('bearer');
    const intro = await api('/v2/token/introspect', body.access_token);
    const json = (await intro.json()) as { authorization: { grantType: string; scope: string }; application: { displayName: string } };
    expect(json.authorization.grantType).toBe('authorization_code');
    expect(json.authorization.scope).toBe('sites:read authorized_user:read');
    expect(json.application.displayName).toBe('Vault & Friends');

    const again = await exchange(base(c));
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('requires redirect_uri when the authorize request had one, and refuses expired codes', async () => {
    const c = await code();
    const { redirect_uri: _r, ...without } = base(c);
    expect(await (await exchange(without)).json()).toMatchObject({ error: 'invalid_grant', error_description: 'invalid_redirect_uri' });
    const c2 = await code();
    sim.advanceClock(15 * 60_000 + 1000);
    expect(await (await exchange(base(c2))).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('answers invalid_client, unsupported_grant_type and invalid_request', async () => {
    const c = await code();
    const bad = await exchange({ ...base(c), client_secret: 'wrong' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    expect(await (await exchange({ ...base(c), grant_type: 'refresh_token' })).json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect(await (await exchange({ grant_type: 'authorization_code' })).json()).toMatchObject({ error: 'invalid_request' });
  });

  it('is served by the API host only', async () => {
    const res = await fetch(`${sim.oauthUrl}/oauth/access_token`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});

describe('API host', () => {
  it('answers 401 not_authorized for unknown and revoked tokens, with rate headers', async () => {
    const res = await api('/v2/token/introspect', 'f'.repeat(64));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 'not_authorized', message: 'Request not authorized', externalReference: null, details: [] });
    expect(res.headers.get('x-ratelimit-limit')).toBe('60');
    expect(res.headers.get('retry-after')).toBe('60');
    const t = sim.addToken();
    sim.revokeToken(t.token);
    expect((await api('/v2/token/introspect', t.token)).status).toBe(401);
  });

  it('alternates comma and space separated scopes for site tokens', async () => {
    const a = sim.addToken({ scopes: ['sites:read', 'cms:read'] });
    const b = sim.addToken({ scopes: ['sites:read', 'cms:read'] });
    const scopes = await Promise.all(
      [a, b].map(async (t) => ((await (await api('/v2/token/introspect', t.token)).json()) as { authorization: { scope: string } }).authorization.scope),
    );
    expect(scopes.sort()).toEqual(['sites:read cms:read', 'sites:read,cms:read']);
  });

  it('checks scopes on authorized_by and sites with a missing_scopes 403', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    const res = await api('/v2/token/authorized_by', t.token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      code: 'missing_scopes',
      message: 'OAuthForbidden: You are missing the following scopes - authorized_user:read',
    });
    expect((await api('/v2/sites', t.token)).status).toBe(403);
  });

  it('limits requests per token per window, and a new window (advanced clock) lets them through', async () => {
    const t = sim.addToken({ rateLimit: 2 });
    expect((await api('/v2/token/introspect', t.token)).headers.get('x-ratelimit-remaining')).toBe('1');
    expect((await api('/v2/token/introspect', t.token)).headers.get('x-ratelimit-remaining')).toBe('0');
    const limited = await api('/v2/token/introspect', t.token);
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ message: 'Too Many Requests', code: 'too_many_requests', externalReference: null, details: [] });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    sim.advanceClock(61_000);
    expect((await api('/v2/token/introspect', t.token)).status).toBe(200);
  });

  it('updates lastUsed on success and never logs the token', async () => {
    const t = sim.addToken();
    expect(t.lastUsed).toBeNull();
    await api('/v2/token/introspect', t.token);
    expect(t.lastUsed).not.toBeNull();
    expect(JSON.stringify(sim.requests)).not.toContain(t.token);
    expect(sim.requests.some((r) => r.authId === t.id && r.path === '/v2/token/introspect' && r.status === 200)).toBe(true);
  });

  it('does not serve the API on the OAuth host', async () => {
    const t = sim.addToken();
    const res = await fetch(`${sim.oauthUrl}/v2/token/introspect`, { headers: { Authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(404);
  });
});

describe('fault injection', () => {
  it('consumes faults in order, per matching path, then answers normally', async () => {
    const t = sim.addToken();
    sim.inject({ path: '/v2/token/introspect', kind: 'status500', count: 2 });
    sim.inject({ path: /introspect/, kind: 'malformed' });
    expect((await api('/v2/sites', t.token)).status).toBe(200);
    expect((await api('/v2/token/introspect', t.token)).status).toBe(500);
    expect((await api('/v2/token/introspect', t.token)).status).toBe(500);
    const malformed = await api('/v2/token/introspect', t.token);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();
    expect((await api('/v2/token/introspect', t.token)).status).toBe(200);
  });

  it('drops the connection, delays, or answers 429 with the Retry-After asked for', async () => {
    const t = sim.addToken();
    sim.inject({ kind: 'drop' });
    await expect(api('/v2/token/introspect', t.token)).rejects.toThrow();
    expect(sim.requests.at(-1)?.status).toBe(0);
    sim.inject({ kind: 'status429', retryAfter: 7 });
    const limited = await api('/v2/token/introspect', t.token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    sim.inject({ kind: 'latency', ms: 50 });
    expect((await api('/v2/token/introspect', t.token)).status).toBe(200);
  });
});

describe('revoke', () => {
  async function oauthToken(): Promise<string> {
    return sim.addToken({ kind: 'oauth', clientId: app.clientId, scopes: ['sites:read'] }).token;
  }
  const revoke = (body: Record<string, string>): Promise<Response> =>
    fetch(`${sim.oauthUrl}/oauth/revoke_authorization`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

  afterEach(() => {
    sim.options.revokeAnswerStyle = 'did_revoke';
    sim.options.revokeIsNoop = false;
  });

  it('revokes, answers in either style, and refuses a second revoke with invalid_token', async () => {
    const token = await oauthToken();
    const res = await revoke({ client_id: app.clientId, client_secret: app.clientSecret, access_token: token });
    expect(await res.json()).toEqual({ did_revoke: true });
    expect((await api('/v2/token/introspect', token)).status).toBe(401);
    expect(sim.revocations.at(-1)?.clientId).toBe(app.clientId);
    const again = await revoke({ client_id: app.clientId, client_secret: app.clientSecret, access_token: token });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_token' });

    sim.options.revokeAnswerStyle = 'didRevoke';
    const other = await oauthToken();
    expect(await (await revoke({ client_id: app.clientId, client_secret: app.clientSecret, access_token: other })).json()).toEqual({ didRevoke: true });
  });

  it('can say yes and leave the token working', async () => {
    sim.options.revokeIsNoop = true;
    const token = await oauthToken();
    expect((await revoke({ client_id: app.clientId, client_secret: app.clientSecret, access_token: token })).status).toBe(200);
    expect((await api('/v2/token/introspect', token)).status).toBe(200);
  });

  it('answers invalid_request and invalid_client', async () => {
    const token = await oauthToken();
    expect(await (await revoke({ client_id: app.clientId, access_token: token })).json()).toMatchObject({ error: 'invalid_request' });
    const bad = await revoke({ client_id: app.clientId, client_secret: 'x', access_token: token });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
  });
});
