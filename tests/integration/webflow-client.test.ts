// The Webflow client against the simulator: every answer Webflow may give (including the readings
// Webflow's documentation leaves open), every failure on the way, and never the token in what comes back.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import type { TestOutcome } from '../../main/core/test-outcome.js';
import type { WebflowConfig } from '../../main/webflow/config.js';
import { buildAuthorizeUrl, exchangeCode, revokeOAuthToken } from '../../main/webflow/oauth.js';
import { testTokens } from '../../main/webflow/test-many.js';
import { testToken } from '../../main/webflow/test-token.js';
import { consent } from '../sim/drive-consent.js';
import { startSimulator, type SimApp, type SimSite, type Simulator } from '../sim/simulator.js';

let sim: Simulator;
let siteA: SimSite;
let siteB: SimSite;
let app: SimApp;
const REDIRECT = 'http://localhost:8976/callback';

function config(over: Partial<WebflowConfig> = {}): WebflowConfig {
  return { apiBaseUrl: sim.apiUrl, oauthBaseUrl: sim.oauthUrl, timeoutMs: 3000, maxRetries: 2, maxRetryWaitMs: 2000, ...over };
}

/** Neither the outcome nor anything in it may hold a secret. */
function expectClean(value: unknown, ...secrets: string[]): void {
  const text = value instanceof Error ? `${value.message}\n${value.stack ?? ''}\n${JSON.stringify(value)}` : JSON.stringify(value);
  for (const secret of secrets) expect(text).not.toContain(secret);
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    return err as AppError;
  }
  throw new Error('expected a rejection');
}

function requestsOf(id: string): Array<{ path: string; status: number }> {
  return sim.requests.filter((r) => r.authId === id).map(({ path, status }) => ({ path, status }));
}

beforeAll(async () => {
  sim = await startSimulator();
  siteA = sim.addSite({ displayName: 'Acme Marketing', shortName: 'acme-marketing' });
  siteB = sim.addSite({ displayName: 'Acme Docs', shortName: 'acme-docs', workspaceId: siteA.workspaceId });
  app = sim.addApp({ name: 'Vault Dev App', redirectUris: [REDIRECT], scopes: ['sites:read', 'cms:read', 'authorized_user:read'], siteIds: [siteA.id, siteB.id] });
});

afterAll(async () => {
  await sim.close();
});

afterEach(() => {
  sim.clearFaults();
  sim.options.siteTokensOnIntrospect = 'accept';
  sim.options.revokeAnswerStyle = 'did_revoke';
  sim.options.revokeIsNoop = false;
  sim.options.exchangeSendsTokenType = true;
});

describe('testToken: valid tokens', () => {
  it('reads comma-separated scopes, names the sites, and skips authorized_by without its scope', async () => {
    const t = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: [siteA.id], scopeStyle: 'comma' });
    const outcome = await testToken(config(), t.token, { kind: 'site' });
    expect(outcome).toMatchObject({ status: 'valid', ok: true, httpStatus: 200, code: null, rateLimit: 60 });
    expect(outcome.rateLimitRemaining).toBeTypeOf('number');
    expect(outcome.info).toMatchObject({
      scopes: ['cms:read', 'sites:read'],
      siteIds: [siteA.id],
      grantType: 'client_credentials',
      application: null,
      authorizedUser: null,
      via: 'introspect',
      sites: [{ id: siteA.id, displayName: 'Acme Marketing', shortName: 'acme-marketing' }],
    });
    expect(outcome.message).toMatch(/^Webflow accepted the token \(Site token; 2 scopes; 1 site\)\.$/);
    expect(requestsOf(t.id).map((r) => r.path)).toEqual(['/v2/token/introspect', '/v2/sites']);
    expectClean(outcome, t.token);
  });

  it('calls a Workspace token a Workspace token even when it was tested as the default Site kind', async () => {
    const t = sim.addToken({ kind: 'workspace', workspaceIds: [siteA.workspaceId], scopes: ['workspace_activity:read'] });
    for (const kind of ['site', undefined] as const) {
      const outcome = await testToken(config(), t.token, kind ? { kind } : {});
      expect(outcome.status).toBe('valid');
      expect(outcome.message).toMatch(/^Webflow accepted the token \(Workspace token; 1 scope; 1 workspace\)\.$/);
      expect(outcome.message).not.toContain('Site token');
    }
  });

  it('reads space-separated scopes of an OAuth token, its app and its user', async () => {
    const t = sim.addToken({ kind: 'oauth', clientId: app.clientId, scopes: ['authorized_user:read', 'cms:read'], scopeStyle: 'space' });
    const outcome = await testToken(config(), t.token, { kind: 'oauth' });
    expect(outcome.status).toBe('valid');
    expect(outcome.info).toMatchObject({
      scopes: ['authorized_user:read', 'cms:read'],
      grantType: 'authorization_code',
      application: { displayName: 'Vault Dev App' },
      authorizedUser: { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
      sites: [],
    });
    expect(outcome.message).toContain('OAuth token of the app Vault Dev App');
    expect(outcome.message).toContain('authorized by ada@example.com');
    expect(requestsOf(t.id).map((r) => r.path)).toEqual(['/v2/token/introspect', '/v2/token/authorized_by']);
    expectClean(outcome, t.token);
  });

  it('lists the sites of a workspace token without a site list of its own', async () => {
    const t = sim.addToken({ kind: 'workspace', scopes: ['sites:read', 'workspace_activity:read'], workspaceIds: [siteA.workspaceId] });
    const outcome = await testToken(config(), t.token, { kind: 'workspace' });
    expect(outcome.info?.workspaceIds).toEqual([siteA.workspaceId]);
    expect(outcome.info?.sites.map((s) => s.shortName).sort()).toEqual(['acme-docs', 'acme-marketing']);
    expectClean(outcome, t.token);
  });

  it('keeps the token valid when authorized_by answers 403 missing_scopes (current or older body)', async () => {
    const t = sim.addToken({ scopes: ['authorized_user:read'] });
    sim.inject({
      path: '/v2/token/authorized_by',
      kind: 'respond',
      status: 403,
      body: { code: 'missing_scopes', message: 'OAuthForbidden: You are missing the following scopes - authorized_user:read', externalReference: null, details: [] },
    });
    const outcome = await testToken(config(), t.token, { kind: 'site' });
    expect(outcome).toMatchObject({ status: 'valid', ok: true });
    expect(outcome.info?.authorizedUser).toBeNull();

    sim.inject({
      path: '/v2/token/authorized_by',
      kind: 'respond',
      status: 403,
      body: { status: 403, message: 'Missing scopes', publicErrorCode: 'missing_scopes', externalReference: null, details: [] },
    });
    const older = await testToken(config(), t.token, { kind: 'site' });
    expect(older.status).toBe('valid');
    expectClean([outcome, older], t.token);
  });

  it('counts the rate limit from the headers, falling back to introspect', async () => {
    const t = sim.addToken({ rateLimit: 120, scopes: ['cms:read'] });
    const outcome = await testToken(config(), t.token);
    expect(outcome.rateLimit).toBe(120);
    expect(outcome.rateLimitRemaining).toBe(119);

    const u = sim.addToken({ rateLimit: 90, scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'respond', status: 200, body: { authorization: { rateLimit: 90, scope: 'cms:read' } } });
    const noHeaders = await testToken(config(), u.token);
    expect(noHeaders.rateLimit).toBe(90);
    expect(noHeaders.rateLimitRemaining).toBeNull();
  });
});

describe('testToken: refused tokens', () => {
  it('rejects an unknown token with 401 not_authorized after also trying /v2/sites', async () => {
    const token = 'a'.repeat(64);
    const outcome = await testToken(config(), token, { kind: 'site' });
    expect(outcome).toMatchObject({ status: 'rejected', ok: false, httpStatus: 401, code: 'not_authorized', info: null });
    expect(outcome.requests).toEqual(['GET /v2/token/introspect', 'GET /v2/sites']);
    expect(outcome.message).toBe(
      'Webflow rejected the token (401 not_authorized): Request not authorized. GET /v2/sites refused it too. ' +
        'It may be revoked, expired after 365 days unused, or mistyped.',
    );
    expectClean(outcome, token);
  });

  it('rejects a revoked OAuth token without the Site-token fallback', async () => {
    const t = sim.addToken({ kind: 'oauth', clientId: app.clientId });
    sim.revokeToken(t.token);
    const outcome = await testToken(config(), t.token, { kind: 'oauth' });
    expect(outcome).toMatchObject({ status: 'rejected', httpStatus: 401, code: 'not_authorized' });
    expect(outcome.message).toContain('revoked');
    expect(requestsOf(t.id).map((r) => r.path)).toEqual(['/v2/token/introspect']);
    expectClean(outcome, t.token);
  });

  it('rejects on a 403 from introspect, reading the older body and the OAuth-style body', async () => {
    const t = sim.addToken({ kind: 'workspace' });
    sim.inject({ path: '/v2/token/introspect', kind: 'respond', status: 403, body: { status: 403, message: 'Forbidden', publicErrorCode: 'forbidden' } });
    const older = await testToken(config(), t.token, { kind: 'workspace' });
    expect(older).toMatchObject({ status: 'rejected', httpStatus: 403, code: 'forbidden' });

    sim.inject({ path: '/v2/token/introspect', kind: 'respond', status: 401, body: { error: 'invalid_token', error_description: 'The access token is invalid' } });
    const oauthStyle = await testToken(config(), t.token, { kind: 'oauth' });
    expect(oauthStyle).toMatchObject({ status: 'rejected', httpStatus: 401, code: 'invalid_token' });
    expect(oauthStyle.message).toContain('The access token is invalid');
    expectClean([older, oauthStyle], t.token);
  });

  it('scrubs the token from server text that echoes it', async () => {
    const token = 'b'.repeat(64);
    sim.inject({
      path: '/v2/token/introspect',
      kind: 'respond',
      status: 401,
      body: ({ bearer }: { bearer: string | null }) => ({ code: 'not_authorized', message: `Token ${bearer} is not valid (Authorization: Bearer ${bearer})` }),
    });
    const outcome = await testToken(config(), token, { kind: 'oauth' });
    expect(outcome.status).toBe('rejected');
    expect(outcome.message).toContain('[redacted]');
    expectClean(outcome, token);

    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({
      path: '/v2/token/introspect',
      kind: 'respond',
      status: 200,
      body: ({ bearer }: { bearer: string | null }) => ({
        authorization: { scope: `cms:read,${bearer}`, authorizedTo: { siteIds: [bearer] } },
        application: { displayName: `App ${bearer}` },
      }),
    });
    const echoed = await testToken(config(), t.token, { kind: 'oauth' });
    expect(echoed.status).toBe('valid');
    expectClean(echoed, t.token);
  });

  it('does not send a token with characters no token has', async () => {
    const start = sim.now();
    const token = 'abc def\u0007ghi';
    const outcome = await testToken(config(), token);
    expect(outcome).toMatchObject({ status: 'rejected', ok: false, httpStatus: null, code: 'invalid_token_format' });
    expect(sim.requests.filter((r) => r.at >= start)).toEqual([]);
    expectClean(outcome, token);
  });
});

describe('testToken: the Site-token fallback when introspect refuses Site tokens', () => {
  it('accepts a Site token through /v2/sites', async () => {
    sim.options.siteTokensOnIntrospect = 'reject401';
    const t = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: [siteB.id] });
    for (const kind of ['site', undefined] as const) {
      const outcome = await testToken(config(), t.token, { kind });
      expect(outcome).toMatchObject({ status: 'valid', ok: true, httpStatus: 200, code: null });
      expect(outcome.info).toMatchObject({
        via: 'sites',
        siteIds: [siteB.id],
        workspaceIds: [siteB.workspaceId],
        sites: [{ id: siteB.id, displayName: 'Acme Docs', shortName: 'acme-docs' }],
      });
      expect(outcome.info?.scopes).toContain('sites:read');
      expect(outcome.message).toContain('GET /v2/sites');
      expect(outcome.requests).toEqual(['GET /v2/sites']);
      expectClean(outcome, t.token);
    }
  });

  it('treats a 403 missing_scopes from /v2/sites as recognised, and only two 401s as rejected', async () => {
    sim.options.siteTokensOnIntrospect = 'reject401';
    const noSites = sim.addToken({ kind: 'site', scopes: ['cms:read'] });
    const recognised = await testToken(config(), noSites.token, { kind: 'site' });
    expect(recognised).toMatchObject({ status: 'valid', info: { via: 'sites', scopes: [], siteIds: [] } });

    const gone = sim.addToken({ kind: 'site', scopes: ['sites:read'] });
    sim.revokeToken(gone.token);
    const rejected = await testToken(config(), gone.token, { kind: 'site' });
    expect(rejected).toMatchObject({ status: 'rejected', httpStatus: 401, code: 'not_authorized' });

    const flaky = sim.addToken({ kind: 'site', scopes: ['sites:read'] });
    sim.inject({ path: '/v2/sites', kind: 'status500', count: 3 });
    const unsure = await testToken(config({ maxRetryWaitMs: 20 }), flaky.token, { kind: 'site' });
    expect(unsure).toMatchObject({ status: 'server_error', ok: false });
    expectClean([recognised, rejected, unsure], noSites.token, gone.token, flaky.token);
  });

  it('does not try /v2/sites for a Workspace token', async () => {
    sim.options.siteTokensOnIntrospect = 'reject401';
    const t = sim.addToken({ kind: 'workspace', scopes: ['sites:read'] });
    const outcome = await testToken(config(), t.token, { kind: 'workspace' });
    expect(outcome.status).toBe('valid');
    expect(outcome.info?.via).toBe('introspect');
  });
});

describe('testToken: rate limits, server errors and broken connections', () => {
  it('retries a 429 after Retry-After and then succeeds', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'status429', retryAfter: 1 });
    const outcome = await testToken(config(), t.token);
    expect(outcome.status).toBe('valid');
    expect(requestsOf(t.id).map((r) => r.status)).toEqual([429, 200]);
    expectClean(outcome, t.token);
  });

  it('gives up with rate_limited after the bounded retries', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'status429', retryAfter: 1, count: 5 });
    const outcome = await testToken(config({ maxRetryWaitMs: 30 }), t.token, { kind: 'workspace' });
    expect(outcome).toMatchObject({ status: 'rate_limited', ok: false, httpStatus: 429, code: 'too_many_requests', rateLimitRemaining: 0 });
    expect(outcome.message).toContain('after 3 attempts');
    expect(outcome.message).toContain('try again in about 1 s');
    expect(requestsOf(t.id).map((r) => r.status)).toEqual([429, 429, 429]);
    expectClean(outcome, t.token);
  });

  it('recovers from one 500 and reports server_error when it persists', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'status500' });
    expect((await testToken(config(), t.token)).status).toBe('valid');

    sim.inject({ path: '/v2/token/introspect', kind: 'status500', count: 5 });
    const outcome = await testToken(config({ maxRetryWaitMs: 20 }), t.token, { kind: 'oauth' });
    expect(outcome).toMatchObject({ status: 'server_error', ok: false, httpStatus: 500, code: 'internal_error' });
    expect(outcome.message).toContain('after 3 attempts');
    sim.clearFaults();
    expectClean(outcome, t.token);
  });

  it('reports a body that is not JSON, or JSON of the wrong shape, as malformed_response', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'malformed' });
    const truncated = await testToken(config(), t.token);
    expect(truncated).toMatchObject({ status: 'malformed_response', ok: false, httpStatus: 200, code: 'malformed_response' });

    sim.inject({ path: '/v2/token/introspect', kind: 'respond', status: 200, body: { token: { scopes: [] } } });
    const wrongShape = await testToken(config(), t.token);
    expect(wrongShape).toMatchObject({ status: 'malformed_response', code: 'malformed_response' });
    expectClean([truncated, wrongShape], t.token);
  });

  it('reports an unexpected status, such as the API base URL pointing at the OAuth host', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    const outcome = await testToken(config({ apiBaseUrl: sim.oauthUrl }), t.token, { kind: 'oauth' });
    expect(outcome).toMatchObject({ status: 'malformed_response', ok: false, httpStatus: 404 });
    expect(outcome.message).toContain('WEBFLOW_API_BASE_URL');
    expectClean(outcome, t.token);
  });

  it('times out when Webflow is slower than timeoutMs', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'latency', ms: 2000 });
    const outcome = await testToken(config({ timeoutMs: 300 }), t.token);
    expect(outcome).toMatchObject({ status: 'timeout', ok: false, httpStatus: null, code: 'timeout' });
    expect(outcome.message).toContain('did not answer within 0.3 s');
    expectClean(outcome, t.token);
  });

  it('reports a dropped connection, after retrying it, as network', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'drop', count: 3 });
    const outcome = await testToken(config({ maxRetryWaitMs: 20 }), t.token);
    expect(outcome).toMatchObject({ status: 'network', ok: false, httpStatus: null, code: 'network' });
    expect(requestsOf(t.id).map((r) => r.status)).toEqual([0, 0, 0]);
    expectClean(outcome, t.token);
  });

  it('reports a refused connection as network', async () => {
    const closed = await startSimulator();
    const url = closed.apiUrl;
    await closed.close();
    const token = 'c'.repeat(64);
    const outcome = await testToken(config({ apiBaseUrl: url, maxRetryWaitMs: 10 }), token);
    expect(outcome).toMatchObject({ status: 'network', code: 'network' });
    expect(outcome.message).toContain('ECONNREFUSED');
    expectClean(outcome, token);
  });

  it('stops when aborted', async () => {
    const t = sim.addToken({ scopes: ['cms:read'] });
    sim.inject({ path: '/v2/token/introspect', kind: 'latency', ms: 2000 });
    const controller = new AbortController();
    const pending = testToken(config(), t.token, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('testTokens', () => {
  it('keeps at most `concurrency` requests in flight and reports every token', async () => {
    const tokens = Array.from({ length: 7 }, (_, i) => sim.addToken({ scopes: ['cms:read'], rateLimit: 60 + i }));
    const items = [
      ...tokens.map((t, i) => ({ id: `tok${i}`, token: t.token, kind: 'workspace' as const })),
      { id: 'bad', token: 'd'.repeat(64), kind: 'oauth' as const },
    ];
    sim.inject({ path: '/v2/token/introspect', kind: 'latency', ms: 60, count: items.length });
    sim.resetStats();
    const seen: string[] = [];
    const results = await testTokens(config(), items, { concurrency: 2, onResult: (id) => seen.push(id) });
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect([...results.keys()]).toEqual(items.map((i) => i.id));
    expect(seen.sort()).toEqual(items.map((i) => i.id).sort());
    tokens.forEach((t, i) => expect(results.get(`tok${i}`)).toMatchObject({ status: 'valid', rateLimit: 60 + i }));
    expect(results.get('bad')).toMatchObject({ status: 'rejected', code: 'not_authorized' });
    expectClean([...results.values()], ...items.map((i) => i.token));
  });

  it('uses 4 at a time by default', async () => {
    const items = Array.from({ length: 9 }, (_, i) => ({ id: `d${i}`, token: sim.addToken({ scopes: ['cms:read'] }).token, kind: 'site' as const }));
    sim.inject({ path: '/v2/token/introspect', kind: 'latency', ms: 40, count: items.length });
    sim.resetStats();
    const results = await testTokens(config(), items);
    expect(sim.stats.maxInFlight).toBeLessThanOrEqual(4);
    expect([...results.values()].every((o) => o.status === 'valid')).toBe(true);
  });

  it('waits for a spent rate window instead of running into a 429', async () => {
    sim.rateWindowMs = 1000;
    try {
      const t = sim.addToken({ scopes: ['sites:read', 'authorized_user:read'], siteIds: [siteA.id], rateLimit: 1 });
      const results = await testTokens(config({ maxRetryWaitMs: 5000 }), [{ id: 'slow', token: t.token, kind: 'site' }]);
      expect(results.get('slow')).toMatchObject({ status: 'valid', info: { authorizedUser: { firstName: 'Ada' } } });
      expect(results.get('slow')?.info?.sites.map((s) => s.id)).toEqual([siteA.id]);
      const log = requestsOf(t.id);
      expect(log.map((r) => r.path)).toEqual(['/v2/token/introspect', '/v2/token/authorized_by', '/v2/sites']);
      expect(log.every((r) => r.status === 200)).toBe(true);
    } finally {
      sim.rateWindowMs = 60_000;
    }
  });

  it('is abortable, keeping the results reported so far', async () => {
    const items = Array.from({ length: 6 }, (_, i) => ({ id: `a${i}`, token: sim.addToken({ scopes: ['cms:read'] }).token, kind: 'site' as const }));
    sim.inject({ path: '/v2/token/introspect', kind: 'latency', ms: 300, count: 3 });
    sim.inject({ path: '/v2/token/introspect', kind: 'latency', ms: 5000, count: 3 });
    const controller = new AbortController();
    const reported: Array<[string, TestOutcome]> = [];
    const pending = testTokens(config(), items, {
      concurrency: 3,
      signal: controller.signal,
      onResult: (id, outcome) => {
        reported.push([id, outcome]);
        if (reported.length === 3) controller.abort();
      },
    });
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(reported.map(([, o]) => o.status)).toEqual(['valid', 'valid', 'valid']);
  });
});

describe('OAuth', () => {
  async function getCode(scopes: string[] = ['sites:read', 'authorized_user:read'], state = 's-1'): Promise<string> {
    const url = buildAuthorizeUrl(config(), { clientId: app.clientId, redirectUri: REDIRECT, scopes, state });
    const result = await consent(url, 'allow');
    expect(result.location?.searchParams.get('state')).toBe(state);
    return result.location!.searchParams.get('code')!;
  }
  const creds = (): { clientId: string; clientSecret: string } => ({ clientId: app.clientId, clientSecret: app.clientSecret });

  it('builds an authorize link the consent screen accepts, exchanges the code, and the token tests valid', async () => {
    const code = await getCode();
    const { accessToken } = await exchangeCode(config(), { ...creds(), code, redirectUri: REDIRECT });
    expect(accessToken).toMatch(/^[0-9a-f]{64}$/);
    const outcome = await testToken(config(), accessToken, { kind: 'oauth' });
    expect(outcome).toMatchObject({
      status: 'valid',
      info: { grantType: 'authorization_code', scopes: ['authorized_user:read', 'sites:read'], application: { displayName: 'Vault Dev App' } },
    });
    expect(outcome.info?.sites.map((s) => s.shortName).sort()).toEqual(['acme-docs', 'acme-marketing']);
    expectClean(outcome, accessToken, app.clientSecret, code);
  });

  it('accepts an answer without token_type', async () => {
    sim.options.exchangeSendsTokenType = false;
    const code = await getCode();
    const { accessToken } = await exchangeCode(config(), { ...creds(), code, redirectUri: REDIRECT });
    expect(accessToken).toMatch(/^[0-9a-f]{64}$/);
  });

  it('maps a reused, expired or mismatched code to invalid_grant', async () => {
    const code = await getCode();
    await exchangeCode(config(), { ...creds(), code, redirectUri: REDIRECT });
    const reused = await rejection(exchangeCode(config(), { ...creds(), code, redirectUri: REDIRECT }));
    expect(reused.code).toBe('oauth_error');
    expect(reused.details).toMatchObject({ oauthError: 'invalid_grant', httpStatus: 400 });
    expect(reused.message).toContain('already used, expired (codes last 15 minutes) or the redirect URI does not match');

    const late = await getCode();
    sim.advanceClock(16 * 60_000);
    const expired = await rejection(exchangeCode(config(), { ...creds(), code: late, redirectUri: REDIRECT }));
    expect(expired.details).toMatchObject({ oauthError: 'invalid_grant' });

    const other = await getCode();
    const mismatch = await rejection(exchangeCode(config(), { ...creds(), code: other, redirectUri: 'http://localhost:8976/elsewhere' }));
    expect(mismatch.details).toMatchObject({ oauthError: 'invalid_grant' });
    expect(mismatch.message).toContain('invalid_redirect_uri');
    for (const err of [reused, expired, mismatch]) expectClean(err, app.clientSecret, code, late, other);
  });

  it('maps a wrong client secret to invalid_client', async () => {
    const code = await getCode();
    const secret = 'e'.repeat(64);
    const err = await rejection(exchangeCode(config(), { clientId: app.clientId, clientSecret: secret, code, redirectUri: REDIRECT }));
    expect(err.code).toBe('oauth_error');
    expect(err.details).toMatchObject({ oauthError: 'invalid_client', httpStatus: 401 });
    expect(err.message).toContain("Webflow did not accept the app's client id or secret");
    expectClean(err, secret, code);
  });

  it('reports network failures and timeouts of the exchange as AppErrors', async () => {
    sim.inject({ path: '/oauth/access_token', kind: 'drop' });
    const code = 'f0'.repeat(32);
    const dropped = await rejection(exchangeCode(config(), { ...creds(), code, redirectUri: REDIRECT }));
    expect(dropped.code).toBe('network');
    sim.inject({ path: '/oauth/access_token', kind: 'latency', ms: 2000 });
    const slow = await rejection(exchangeCode(config({ timeoutMs: 300 }), { ...creds(), code, redirectUri: REDIRECT }));
    expect(slow.code).toBe('timeout');
    expectClean([dropped, slow], app.clientSecret, code);
  });

  it('revokes with either answer style, and the token then fails its test', async () => {
    for (const style of ['did_revoke', 'didRevoke'] as const) {
      sim.options.revokeAnswerStyle = style;
      const t = sim.addToken({ kind: 'oauth', clientId: app.clientId, scopes: ['cms:read'] });
      const before = sim.revocations.length;
      expect(await revokeOAuthToken(config(), { ...creds(), accessToken: t.token })).toEqual({ didRevoke: true });
      expect(sim.revocations.length).toBe(before + 1);
      expect((await testToken(config(), t.token, { kind: 'oauth' })).status).toBe('rejected');
    }
  });

  it('shows when Webflow says yes but the token keeps working', async () => {
    sim.options.revokeIsNoop = true;
    const t = sim.addToken({ kind: 'oauth', clientId: app.clientId, scopes: ['cms:read'] });
    expect(await revokeOAuthToken(config(), { ...creds(), accessToken: t.token })).toEqual({ didRevoke: true });
    expect((await testToken(config(), t.token, { kind: 'oauth' })).status).toBe('valid');
  });

  it('maps invalid_token, invalid_client and invalid_request on revoke', async () => {
    const t = sim.addToken({ kind: 'oauth', clientId: app.clientId });
    sim.revokeToken(t.token);
    const already = await rejection(revokeOAuthToken(config(), { ...creds(), accessToken: t.token }));
    expect(already).toMatchObject({ code: 'oauth_error', details: { oauthError: 'invalid_token' } });
    expect(already.message).toContain('already revoked or unknown');

    const live = sim.addToken({ kind: 'oauth', clientId: app.clientId });
    const secret = '9'.repeat(64);
    const badClient = await rejection(revokeOAuthToken(config(), { clientId: app.clientId, clientSecret: secret, accessToken: live.token }));
    expect(badClient).toMatchObject({ code: 'oauth_error', details: { oauthError: 'invalid_client', httpStatus: 401 } });

    const missing = await rejection(revokeOAuthToken(config(), { ...creds(), accessToken: '' }));
    expect(missing).toMatchObject({ code: 'oauth_error', details: { oauthError: 'invalid_request' } });
    expectClean([already, badClient, missing], t.token, live.token, secret, app.clientSecret);
  });

  it('sends revoke to the OAuth host, not the API host', async () => {
    const t = sim.addToken({ kind: 'oauth', clientId: app.clientId });
    const swapped = config({ oauthBaseUrl: sim.apiUrl });
    const err = await rejection(revokeOAuthToken(swapped, { ...creds(), accessToken: t.token }));
    expect(err.code).toBe('malformed_response');
    expect(err.message).toContain('WEBFLOW_OAUTH_BASE_URL');
    expect(t.revoked).toBe(false);
    expectClean(err, t.token, app.clientSecret);
  });
});
