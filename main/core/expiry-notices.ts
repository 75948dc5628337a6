// Which tokens deserve an "expiring soon" notification: Site and Workspace tokens close to their
// 365-day inactivity limit. Revoke-pending tokens are left out; they are on their way out anyway.
import { daysUntil, EXPIRY_WARNING_DAYS } from './expiry.js';
import type { PublicToken } from './token.js';

export interface ExpiryNotice {
  id: string;
  title: string;
  body: string;
}

export function expiryNotices(tokens: readonly PublicToken[], now: Date): ExpiryNotice[] {
  const out: ExpiryNotice[] = [];
  for (const token of tokens) {
    if (token.revokePendingSince) continue;
    const days = daysUntil(token.expiresAt, now);
    if (days === null || days > EXPIRY_WARNING_DAYS) continue;
    out.push({
      id: token.id,
      title: days < 0 ? `${token.label} has expired` : `${token.label} expires in ${days} d`,
      body:
        days < 0
          ? 'Webflow expires tokens unused for 365 days. Create a new one and add it to the vault.'
          : 'Webflow expires tokens unused for 365 days; any API call (a test counts) resets the clock.',
    });
  }
  return out;
}
