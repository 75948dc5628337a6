// What testing a token against Webflow yields. The Webflow client produces it; services turn it
// into the record's `lastTest` and refresh scopes, sites and dates from `info`.
import type { AuthorizedUser, LastTest, SiteInfo } from './token.js';

export type TestStatus =
  | 'valid' // Webflow accepted the token
  | 'rejected' // 401, or 403 where the token itself is refused
  | 'rate_limited' // 429 after the bounded retries
  | 'server_error' // 5xx after the bounded retries
  | 'network' // unreachable, connection reset
  | 'timeout'
  | 'malformed_response';

export interface ApplicationInfo {
  id: string | null;
  displayName: string | null;
  description: string | null;
  homepage: string | null;
}

export interface TokenInfo {
  scopes: string[];
  siteIds: string[];
  workspaceIds: string[];
  userIds: string[];
  createdOn: string | null;
  lastUsed: string | null;
  grantType: string | null;
  rateLimit: number | null;
  application: ApplicationInfo | null;
  authorizedUser: AuthorizedUser | null;
  sites: SiteInfo[];
  /** `introspect` normally; `sites` when a Site token was only accepted by GET /v2/sites. */
  via: 'introspect' | 'sites';
}

export interface TestOutcome {
  status: TestStatus;
  ok: boolean;
  httpStatus: number | null;
  /** Webflow's code as sent (`not_authorized`, ...) or ours (`network`, `timeout`, `malformed_response`). */
  code: string | null;
  /** A human sentence; never contains the token. */
  message: string;
  latencyMs: number;
  rateLimit: number | null;
  rateLimitRemaining: number | null;
  /** The requests the result rests on (`GET /v2/token/introspect`), each sent with the token as a Bearer header. */
  requests?: string[];
  info: TokenInfo | null;
}

/** The fields of an outcome that are kept and shown, with the latency in whole milliseconds. */
export function outcomeFacts(outcome: TestOutcome): Omit<LastTest, 'at' | 'requests'> {
  return {
    ok: outcome.ok,
    httpStatus: outcome.httpStatus,
    code: outcome.code,
    message: outcome.message,
    latencyMs: Math.round(outcome.latencyMs),
    rateLimit: outcome.rateLimit,
    rateLimitRemaining: outcome.rateLimitRemaining,
  };
}

export function toLastTest(outcome: TestOutcome, at: Date): LastTest {
  return { at: at.toISOString(), ...outcomeFacts(outcome), ...(outcome.requests ? { requests: outcome.requests } : {}) };
}
