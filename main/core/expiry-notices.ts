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
    if (token.team) {
      // Other members and CI may use it every day without this machine knowing: a maybe, and a test settles it.
      const name = `${token.label} (team ${token.team})`;
      out.push({
        key: `${token.team}/${token.id}`,
        title: days < 0 ? `${name} may have expired` : `${name} may expire in ${days} d`,
        body: `Webflow expires tokens unused for 365 days, and this machine has not seen it used lately. Test it: a test counts as use${days < 0 ? `, and if Webflow rejects it, add a new one to team ${token.team}` : ''}.`,
      });
      continue;
    }
    out.push({
      key: token.id,
      title: days < 0 ? `${token.label} has expired` : `${token.label} expires in ${days} d`,
      body:
        days < 0
          ? 'Webflow expires tokens unused for 365 days. Create a new one and add it to the vault.'
          : 'Webflow expires tokens unused for 365 days; any API call (a test counts) resets the clock.',
    });
  }
  return out;
}
