// What `exec` and `run` say before handing over a token that is known not to work, or soon not to:
// one line each, and with --strict a reason not to start the program at all.
import { daysUntil } from './expiry.js';
import type { LastTest } from './token.js';

export type UseConcernCode = 'revoke_pending' | 'rejected' | 'expired';

export interface UseConcern {
  code: UseConcernCode;
  message: string;
}

interface Concerning {
  id: string;
  label: string;
  revokePendingSince: string | null;
  lastTest: LastTest | null;
  expiresAt: string | null;
}

/** The one reason a token should not be used, most pressing first; null when none is known. */
export function useConcern(token: Concerning, now: Date): UseConcern | null {
  const name = `"${token.label}" (${token.id})`;
  if (token.revokePendingSince) {
    return { code: 'revoke_pending', message: `${name} is being revoked (pending since ${token.revokePendingSince.slice(0, 10)}); run \`wfvault revoke --confirm ${token.id}\` once it is revoked in Webflow.` };
  }
  const test = token.lastTest;
  // 403 with missing_scopes is Webflow refusing one call, not the token.
  if (test && !test.ok && (test.httpStatus === 401 || (test.httpStatus === 403 && test.code !== 'missing_scopes'))) {
    return { code: 'rejected', message: `Webflow rejected ${name} at its last test (${test.at.slice(0, 10)}, ${test.code ?? `HTTP ${test.httpStatus}`}); \`wfvault test ${token.id}\` checks again.` };
  }
  const days = daysUntil(token.expiresAt, now);
  if (days !== null && days < 0) {
    return { code: 'expired', message: `${name} has expired (Webflow expires tokens unused for 365 days); create a new one and add it.` };
  }
  return null;
}
