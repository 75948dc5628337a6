// One word for how a token is doing, derived from its record; used by the list, the tray icon
// and `wfvault list`. A check that could not reach Webflow keeps the last verdict, and says so.
import { daysUntil, EXPIRY_WARNING_DAYS } from './expiry.js';
import type { LastTest, PublicToken } from './token.js';

export type Health = 'valid' | 'failing' | 'rate_limited' | 'unreachable' | 'expiring' | 'revoke_pending' | 'untested';

/** A check that said something about the token itself: it works, or Webflow refused it. */
function isVerdict(test: LastTest): boolean {
  return test.ok || test.httpStatus === 401 || test.httpStatus === 403;
}

/** A check that never reached a verdict: network, timeout, a server error, a malformed answer. */
function isInconclusive(test: LastTest): boolean {
  return !isVerdict(test) && test.httpStatus !== 429;
}

/** The newest verdict before the latest check, when the latest one was inconclusive. */
function earlierVerdict(token: PublicToken): LastTest | null {
  const test = token.lastTest;
  if (!test || !isInconclusive(test)) return null;
  // testHistory is newest first and starts with lastTest itself.
  const older = token.testHistory[0]?.at === test.at ? token.testHistory.slice(1) : token.testHistory;
  return older.find(isVerdict) ?? null;
}

/**
 * Why the latest check failed (`network`, `timeout`, ...) when an earlier check still decides the
 * health, else null: one dropped connection does not make a working token look broken.
 */
export function lastCheckFailure(token: PublicToken): string | null {
  if (token.revokePendingSince || !earlierVerdict(token)) return null;
  return token.lastTest?.code ?? 'network';
}

export function tokenHealth(token: PublicToken, now: Date): Health {
  if (token.revokePendingSince) return 'revoke_pending';
  const test = token.lastTest;
  if (!test) return 'untested';
  if (!test.ok) {
    if (test.httpStatus === 401 || test.httpStatus === 403) return 'failing';
    if (test.httpStatus === 429) return 'rate_limited';
    const earlier = earlierVerdict(token);
    if (!earlier) return 'unreachable';
    if (!earlier.ok) return 'failing';
  }
  const days = daysUntil(token.expiresAt, now);
  if (days !== null && days <= EXPIRY_WARNING_DAYS) return 'expiring';
  return 'valid';
}

export type OverallHealth = 'ok' | 'warning' | 'failing';

/** The tray icon's state: any failing token wins, then any warning. */
export function overallHealth(tokens: readonly PublicToken[], now: Date): OverallHealth {
  let overall: OverallHealth = 'ok';
  for (const token of tokens) {
    const h = tokenHealth(token, now);
    if (h === 'failing') return 'failing';
    if (h !== 'valid') overall = 'warning';
  }
  return overall;
}
