// Human-readable renderings of records. JSON output bypasses these entirely.
import { daysUntil } from '../core/expiry.js';
import { tokenHealth, type Health } from '../core/health.js';
import { groupScopes } from '../core/scopes.js';
import type { PublicToken, Tombstone } from '../core/token.js';
import { formatAge } from '../core/age.js';
import { out, table } from './style.js';

const HEALTH_TEXT: Record<Health, (s: string) => string> = {
  valid: out.green,
  failing: out.red,
  rate_limited: out.yellow,
  unreachable: out.yellow,
  expiring: out.yellow,
  revoke_pending: out.yellow,
  untested: out.dim,
};

export function healthText(token: PublicToken, now: Date): string {
  const h = tokenHealth(token, now);
  return HEALTH_TEXT[h](h.replace('_', ' '));
}

export function scopeSummary(scopes: readonly string[]): string {
  if (scopes.length === 0) return '-';
  return groupScopes(scopes)
    .map((g) => (g.read || g.write ? `${g.resource}:${g.read ? 'r' : ''}${g.write ? 'w' : ''}` : g.other.join(',')))
    .join(' ');
}

function siteSummary(token: PublicToken): string {
  if (token.sites.length > 0) return token.sites.map((s) => s.shortName ?? s.displayName ?? s.id).join(', ');
  if (token.siteIds.length > 0) return token.siteIds.join(', ');
  return token.workspaceIds.length > 0 ? `workspace ${token.workspaceIds.join(', ')}` : '-';
}

function expiryText(token: PublicToken, now: Date): string {
  const days = daysUntil(token.expiresAt, now);
  if (days === null) return '-';
  if (days < 0) return out.red('expired');
  return days <= 30 ? out.yellow(`${days}d`) : `${days}d`;
}

export function tokenTable(tokens: readonly PublicToken[], tombstones: readonly Tombstone[], now: Date): string {
  const rows = [['ID', 'LABEL', 'KIND', 'HEALTH', 'SCOPES', 'SITES', 'EXPIRES IN', 'LAST USED'].map(out.bold)];
  for (const t of tokens) {
    rows.push([t.id, t.label, t.kind, healthText(t, now), scopeSummary(t.scopes), siteSummary(t), expiryText(t, now), formatAge(t.lastUsedAt, now)]);
  }
  for (const t of tombstones) rows.push([out.dim(t.id), out.dim(t.label), out.dim(t.kind), out.dim(`revoked ${t.revokedAt.slice(0, 10)}`), '', '', '', '']);
  return table(rows);
}

export function tokenDetails(token: PublicToken | Tombstone, now: Date): string {
  if ('revokedAt' in token) {
    return table([
      ['id', token.id],
      ['label', token.label],
      ['kind', token.kind],
      ['revoked', token.revokedAt],
    ]);
  }
  const user = token.authorizedUser;
  const test = token.lastTest;
  const rows: string[][] = [
    ['id', token.id],
    ['label', token.label],
    ['kind', token.kind],
    ['health', healthText(token, now)],
    ['scopes', token.scopes.join(' ') || '-'],
    ['sites', siteSummary(token)],
    ['workspaces', token.workspaceIds.join(', ') || '-'],
    ['authorized user', user ? [user.firstName, user.lastName, user.email && `<${user.email}>`].filter(Boolean).join(' ') || (user.id ?? '-') : '-'],
    ['created', token.createdOn ?? '-'],
    ['last used at Webflow', token.lastUsedAt ? `${token.lastUsedAt} (${formatAge(token.lastUsedAt, now)})` : '-'],
    ['expires', token.expiresAt ? `${token.expiresAt} (${expiryText(token, now)})` : '-'],
    ['added', token.addedAt],
    ['last local use', token.lastLocalUseAt ?? '-'],
    ['last test', test ? `${test.at}: ${test.ok ? out.green('ok') : out.red(test.code ?? 'failed')} ${test.message} (${test.latencyMs} ms)` : 'never'],
    ['rate limit', test?.rateLimit != null ? `${test.rateLimitRemaining ?? '?'} of ${test.rateLimit} left this minute` : '-'],
  ];
  if (token.revokePendingSince) rows.push(['revoke pending since', token.revokePendingSince]);
  if (token.oauthAppId) rows.push(['oauth app', token.oauthAppId]);
  if (token.tags.length) rows.push(['tags', token.tags.join(', ')]);
  if (token.notes) rows.push(['notes', token.notes]);
  return table(rows);
}

/** A team token's list row: the team's name first, and exposure where a removed member could read it. */
export function teamTokenTable(tokens: readonly (PublicToken & { team: string; exposedTo: string[] })[], now: Date): string {
  const rows = [['TEAM', 'ID', 'LABEL', 'KIND', 'HEALTH', 'SCOPES', 'SITES', 'EXPIRES IN'].map(out.bold)];
  for (const t of tokens) {
    const health = t.exposedTo.length ? out.red('exposed') : healthText(t, now);
    rows.push([t.team, t.id, t.label, t.kind, health, scopeSummary(t.scopes), siteSummary(t), expiryText(t, now)]);
  }
  return table(rows);
}

export function teamTokenDetails(token: PublicToken & { team: string; exposedTo: string[]; only: string[] }, now: Date): string {
  const extra = [
    ['team', token.team],
    ['shared with', token.only.length ? token.only.join(', ') : 'all members'],
  ];
  if (token.exposedTo.length) extra.push(['exposed', out.red(`readable by ${token.exposedTo.join(', ')} after removal: rotate it`)]);
  return `${table(extra)}\n${tokenDetails(token, now)}`;
}
