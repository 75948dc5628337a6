// Tests one token: introspect it, then name its user and sites when its scopes allow. Site tokens
// that introspect refuses get a second chance through GET /v2/sites, because older docs say Site
// tokens cannot use the authorization endpoints (older copies of Webflow's Site token page).
import { AppError, isAppError } from '../core/errors.js';
import { hasScope } from '../core/scopes.js';
import type { TestOutcome, TokenInfo } from '../core/test-outcome.js';
import type { TokenKind } from '../core/token.js';
import type { WebflowConfig } from './config.js';
import { parseJson } from './errors.js';
import { send, type HttpFailure, type HttpReply } from './http.js';
import {
  failureOutcome,
  invalidFormatOutcome,
  malformedOutcome,
  statusOutcome,
  validOutcome,
  type OutcomeContext,
} from './outcomes.js';
import { RateGate, rateHeaders, type RateHeaders } from './rate-limit.js';
import { redact } from './redact.js';
import { readAuthorizedUser, readIntrospection, readSiteList, type ListedSite } from './schemas.js';

export interface TestTokenOptions {
  kind?: TokenKind;
  signal?: AbortSignal;
}

export interface TestTokenInternals extends TestTokenOptions {
  /** Shared by a batch so several calls with one token respect its rate limit together. */
  gate?: RateGate;
}

const INTROSPECT = '/v2/token/introspect';
const AUTHORIZED_BY = '/v2/token/authorized_by';
const SITES = '/v2/sites';

/** Header-safe and what Webflow issues: visible ASCII only. Anything else is not sent at all. */
const SENDABLE = /^[\x21-\x7e]+$/;

export async function testToken(config: WebflowConfig, token: string, opts: TestTokenOptions = {}): Promise<TestOutcome> {
  return testTokenWith(config, token, opts);
}

export async function testTokenWith(config: WebflowConfig, token: string, opts: TestTokenInternals): Promise<TestOutcome> {
  if (!SENDABLE.test(token)) return invalidFormatOutcome();
  try {
    return await runTest(config, token, opts);
  } catch (err) {
    if (opts.signal?.aborted || isAppError(err)) throw err;
    // Anything else is a bug; its text and cause may hold request details, so neither is kept.
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : 'unknown error';
    throw new AppError('failed', `Testing the token failed unexpectedly (${redact(detail, [token])}).`);
  }
}

async function runTest(config: WebflowConfig, token: string, opts: TestTokenInternals): Promise<TestOutcome> {
  const gate = opts.gate ?? new RateGate(config.maxRetryWaitMs);
  const secrets = [token];
  const rate: RateHeaders = { limit: null, remaining: null };
  const ctx = (path: string): OutcomeContext => ({ request: `GET ${path}`, secrets, rate, kind: opts.kind });

  const get = async (path: string): Promise<HttpReply | HttpFailure> => {
    const result = await send(
      config,
      {
        method: 'GET',
        url: config.apiBaseUrl + path,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        signal: opts.signal,
      },
      { secrets, retry: 'idempotent', gate: { gate, key: token } },
    );
    if (result.type === 'reply') {
      // The latest answer tells how much of the window is left.
      const seen = rateHeaders(result.headers);
      if (seen.limit !== null) rate.limit = seen.limit;
      if (seen.remaining !== null) rate.remaining = seen.remaining;
    }
    return result;
  };

  const intro = await get(INTROSPECT);
  if (intro.type === 'failure') return failureOutcome(intro, ctx(INTROSPECT));
  if (intro.status === 200) {
    if (intro.oversized) return malformedOutcome(intro, ctx(INTROSPECT), 'too large');
    const parsed = parseJson(intro.text, secrets);
    if (!parsed.ok) return malformedOutcome(intro, ctx(INTROSPECT), 'not JSON');
    const body = readIntrospection(parsed.value);
    if (!body) return malformedOutcome(intro, ctx(INTROSPECT), 'not the documented shape');
    const { id: _id, ...fields } = body;
    const info: TokenInfo = { ...fields, authorizedUser: null, sites: [], via: 'introspect' };
    if (info.rateLimit !== null && rate.limit === null) rate.limit = info.rateLimit;

    // Extras: a failure here says nothing about the token, so it only leaves the field empty.
    if (hasScope(info.scopes, 'authorized_user:read')) {
      const user = await get(AUTHORIZED_BY);
      if (user.type === 'reply' && user.status === 200) {
        const parsedUser = parseJson(user.text, secrets);
        const named = parsedUser.ok ? readAuthorizedUser(parsedUser.value) : undefined;
        if (named !== undefined) info.authorizedUser = named;
      }
    }
    if (hasScope(info.scopes, 'sites:read')) {
      const listed = await get(SITES);
      const sites = listed.type === 'reply' && listed.status === 200 ? readSites(listed, secrets) : null;
      if (sites) {
        const wanted = new Set(info.siteIds);
        info.sites = (wanted.size > 0 ? sites.filter((s) => wanted.has(s.id)) : sites).map(toSiteInfo);
      }
    }
    return validOutcome(intro, info, ctx(INTROSPECT));
  }

  if (intro.status === 401 && (opts.kind === undefined || opts.kind === 'site')) {
    const listed = await get(SITES);
    if (listed.type === 'failure') return failureOutcome(listed, ctx(SITES));
    if (listed.status === 401) return statusOutcome(intro, ctx(INTROSPECT), `GET ${SITES}`);
    if (listed.status === 200 || listed.status === 403) return sitesFallback(listed, ctx(SITES), secrets);
    return statusOutcome(listed, ctx(SITES));
  }
  return statusOutcome(intro, ctx(INTROSPECT));
}

function readSites(reply: HttpReply, secrets: readonly string[]): ListedSite[] | null {
  if (reply.oversized) return null;
  const parsed = parseJson(reply.text, secrets);
  if (!parsed.ok) return null;
  return readSiteList(parsed.value);
}

function toSiteInfo(site: ListedSite): TokenInfo['sites'][number] {
  const { workspaceId: _ws, ...info } = site;
  return info;
}

/**
 * The token was refused by introspect but accepted by GET /v2/sites. A 403 there (missing
 * `sites:read`) still proves Webflow recognised the token; only a 401 would not.
 */
function sitesFallback(reply: HttpReply, ctx: OutcomeContext, secrets: readonly string[]): TestOutcome {
  let sites: ListedSite[] = [];
  if (reply.status === 200) {
    const read = readSites(reply, secrets);
    if (!read) return malformedOutcome(reply, ctx, reply.oversized ? 'too large' : 'not the documented shape');
    sites = read;
  }
  const info: TokenInfo = {
    scopes: reply.status === 200 ? ['sites:read'] : [],
    siteIds: sites.map((s) => s.id),
    workspaceIds: [...new Set(sites.flatMap((s) => (s.workspaceId ? [s.workspaceId] : [])))],
    userIds: [],
    createdOn: null,
    lastUsed: null,
    grantType: null,
    rateLimit: null,
    application: null,
    authorizedUser: null,
    sites: sites.map(toSiteInfo),
    via: 'sites',
  };
  return validOutcome(reply, info, ctx);
}
