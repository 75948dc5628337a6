// Site and Workspace tokens expire after 365 days without use; any API call resets the clock.
import type { TokenKind } from './token.js';

export const INACTIVITY_EXPIRY_DAYS = 365;
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;

export function computeExpiresAt(kind: TokenKind, lastUsed: string | null, createdOn: string | null): string | null {
  if (kind === 'oauth') return null;
  const from = lastUsed ?? createdOn;
  if (!from) return null;
  const t = Date.parse(from);
  if (Number.isNaN(t)) return null;
  return new Date(t + INACTIVITY_EXPIRY_DAYS * DAY_MS).toISOString();
}

/** Whole days left until `expiresAt` (negative once expired), or null when it does not expire. */
export function daysUntil(expiresAt: string | null, now: Date): number | null {
  if (!expiresAt) return null;
  const t = Date.parse(expiresAt);
  if (Number.isNaN(t)) return null;
  return Math.floor((t - now.getTime()) / DAY_MS);
}
