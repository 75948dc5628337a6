// Which tokens deserve an "expiring soon" notification: Site and Workspace tokens close to their
// 365-day inactivity limit. Revoke-pending tokens are left out; they are on their way out anyway.
import { daysUntil, EXPIRY_WARNING_DAYS } from './expiry.js';
import type { PublicToken } from './token.js';

export interface ExpiryNotice {
  /** The token's id, with its team's name before it for a team token: announced once each. */
  key: string;
  title: string;
  body: string;
}

/** Personal tokens, and team tokens with their team named. */
export function expiryNotices(tokens: readonly (PublicToken & { team?: string })[], now: Date): ExpiryNotice[] {
  const out: ExpiryNotice[] = [];
  for (const token of tokens) {
    if (token.revokePendingSince) continue;
    const days = daysUntil(token.expiresAt, now);
    if (days === null || days > EXPIRY_WARNING_DAYS) continue;
    const name = token.team ? `${token.label} (team ${token.team})` : token.label;
    out.push({
      key: token.team ? `${token.team}/${token.id}` : token.id,
      title: days < 0 ? `${name} has expired` : `${name} expires in ${days} d`,
      body:
        days < 0
          ? `Webflow expires tokens unused for 365 days. Create a new one and add it to ${token.team ? `team ${token.team}` : 'the vault'}.`
          : 'Webflow expires tokens unused for 365 days; any API call (a test counts) resets the clock.',
    });
  }
  return out;
}
