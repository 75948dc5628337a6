// Human-readable renderings of records. JSON output bypasses these entirely.
import { daysUntil } from '../core/expiry.js';
import { lastCheckFailure, tokenHealth, type Health } from '../core/health.js';
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
  const failed = lastCheckFailure(token);
  const word = HEALTH_TEXT[h](h.replace('_', ' '));
  return failed ? `${word}, ${out.yellow(`last check failed: ${failed}`)}` : word;
}

export function scopeSummary(scopes: readonly string[]): string {
  if (scopes.length === 0) return '-';
  return groupScopes(scopes)
    .map((g) => (g.read || g.write ? `${g.resource}:${g.read ? 'r' : ''}${g.write ? 'w' : ''}` : g.other.join(',')))
    .join(' ');
}

/** Workspace ids are 24 hex characters; the first 8 tell them apart in a list. */
export function shortId(id: string): string {
  return id.length > 10 ? `${id.slice(0, 8)}…` : id;
}

function siteSummary(token: PublicToken, short = false): string {
  if (token.sites.length > 0) return token.sites.map((s) => s.shortName ?? s.displayName ?? s.id).join(', ');
  if (token.siteIds.length > 0) return token.siteIds.join(', ');
  if (token.workspaceIds.length === 0) return '-';
  return `workspace ${token.workspaceIds.map(short ? shortId : (id: string) => id).join(', ')}`;
}

function expiryText(token: PublicToken, now: Date): string {
  const days = daysUntil(token.expiresAt, now);
  if (days === null) return '-';
  if (days < 0) return out.red('expired');
  return days <= 30 ? out.yellow(`${days}d`) : `${days}d`;
}

/** A cell: its plain text (what is measured and cut) and how it is coloured once cut. */
interface Cell {
  text: string;
  paint?: (s: string) => string;
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Columns that give way, in this order, down to these widths, when the table is wider than the terminal. */
const SHRINK: ReadonlyArray<{ col: number; min: number }> = [
  { col: 5, min: 5 }, // SITES
  { col: 4, min: 6 }, // SCOPES
  { col: 1, min: 8 }, // LABEL
  { col: 3, min: 8 }, // HEALTH
  { col: 0, min: 6 }, // ID: a prefix of 4 or more still works as a REF
];

/** The width to fit: the terminal's, or COLUMNS when set; null (no limit) when output is not a terminal. */
export function outputWidth(stream: NodeJS.WriteStream = process.stdout): number | null {
  const fromEnv = Number(process.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return stream.isTTY && stream.columns ? stream.columns : null;
}

function fitTable(rows: Cell[][], width: number | null): string {
  const n = rows[0]!.length;
  const widths = Array.from({ length: n }, (_, i) => Math.max(...rows.map((r) => [...(r[i]?.text ?? '')].length)));
  if (width !== null) {
    let over = widths.reduce((a, b) => a + b, 0) + 2 * (n - 1) - width;
    for (const { col, min } of SHRINK) {
      if (over <= 0) break;
      const give = Math.min(over, Math.max(0, widths[col]! - min));
      widths[col]! -= give;
      over -= give;
    }
  }
  return rows
    .map((r) =>
      r
        .map((cell, i) => {
          const text = cut(cell.text, widths[i]!);
          const padded = i === n - 1 ? text : text + ' '.repeat(widths[i]! - [...text].length);
          // Colour goes on the text only, so the padding stays plain.
          return cell.paint ? cell.paint(text) + padded.slice(text.length) : padded;
        })
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const HEALTH_PAINT: Record<Health, (s: string) => string> = HEALTH_TEXT;

function healthCell(token: PublicToken, now: Date): Cell {
  const h = tokenHealth(token, now);
  const failed = lastCheckFailure(token);
  const word = h.replace('_', ' ');
  return failed ? { text: `${word}, last check failed: ${failed}`, paint: out.yellow } : { text: word, paint: HEALTH_PAINT[h] };
}

function expiryCell(token: PublicToken, now: Date): Cell {
  const days = daysUntil(token.expiresAt, now);
  if (days === null) return { text: '-' };
  if (days < 0) return { text: 'expired', paint: out.red };
  return { text: `${days}d`, paint: days <= 30 ? out.yellow : undefined };
}

export function tokenTable(tokens: readonly PublicToken[], tombstones: readonly Tombstone[], now: Date, width: number | null = outputWidth()): string {
  const header = ['ID', 'LABEL', 'KIND', 'HEALTH', 'SCOPES', 'SITES', 'EXPIRES', 'WEBFLOW LAST USE'].map((text) => ({ text, paint: out.bold }));
  const rows: Cell[][] = [header];
  for (const t of tokens) {
    rows.push([
      { text: t.id },
      { text: t.label },
      { text: t.kind },
      healthCell(t, now),
      { text: scopeSummary(t.scopes) },
      { text: siteSummary(t, true) },
      expiryCell(t, now),
      { text: formatAge(t.lastUsedAt, now) },
    ]);
  }
  for (const t of tombstones) {
    const dim = (text: string): Cell => ({ text, paint: out.dim });
    rows.push([dim(t.id), dim(t.label), dim(t.kind), dim(`revoked ${t.revokedAt.slice(0, 10)}`), { text: '' }, { text: '' }, { text: '' }, { text: '' }]);
  }
  return fitTable(rows, width);
}

/** "2026-05-31 14:03 (local time), 21 h ago": when something happened, in the reader's own clock. */
export function localTime(iso: string | null, now: Date): string {
  if (!iso) return '-';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  const offset = -t.getTimezoneOffset();
  const zone = `${offset >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(offset) / 60))}:${p(Math.abs(offset) % 60)}`;
  const stamp = `${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())} ${p(t.getHours())}:${p(t.getMinutes())} ${zone}`;
  return `${stamp} (${formatAge(iso, now)})`;
}

export function tokenDetails(token: PublicToken | Tombstone, now: Date): string {
  if ('revokedAt' in token) {
    return table([
      ['id', token.id],
      ['label', token.label],
      ['kind', token.kind],
      ['revoked', localTime(token.revokedAt, now)],
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
    ['created', localTime(token.createdOn, now)],
    ['last used at Webflow', localTime(token.lastUsedAt, now)],
    ['expires', token.expiresAt ? `${localTime(token.expiresAt, now).replace(/ \(.*\)$/, '')} (${expiryText(token, now)})` : '-'],
    ['added', localTime(token.addedAt, now)],
    ['last local use', localTime(token.lastLocalUseAt, now)],
    ['last test', test ? `${localTime(test.at, now)}: ${test.ok ? out.green('ok') : out.red(test.code ?? 'failed')} ${test.message} (${test.latencyMs} ms)` : 'never'],
    ['rate limit', test?.rateLimit != null ? `${test.rateLimitRemaining ?? '?'} of ${test.rateLimit} left this minute` : '-'],
  ];
  if (token.revokePendingSince) rows.push(['revoke pending since', localTime(token.revokePendingSince, now)]);
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
