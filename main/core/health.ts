// One word for how a token is doing, derived from its record; used by the list, the tray icon
// and `wfvault list`.
import { daysUntil, EXPIRY_WARNING_DAYS } from './expiry.js';
import type { PublicToken } from './token.js';

export type Health = 'valid' | 'failing' | 'rate_limited' | 'unreachable' | 'expiring' | 'revoke_pending' | 'untested';

export function tokenHealth(token: PublicToken, now: Date): Health {
  if (token.revokePendingSince) return 'revoke_pending';
  const test = token.lastTest;
  if (!test) return 'untested';
  if (!test.ok) {
    if (test.httpStatus === 401 || test.httpStatus === 403) return 'failing';
    if (test.httpStatus === 429) return 'rate_limited';
    return 'unreachable';
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
