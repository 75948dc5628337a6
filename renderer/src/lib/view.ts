// What the list shows, computed from public records only. Kept free of Svelte and the DOM so it
// can be tested on Node and stays cheap at 10,000 tokens: everything a keystroke needs is
// precomputed once per record, and a keystroke only runs `filterRows` over an already sorted array.
import { formatAge } from '../../../main/core/age.js';
import { daysUntil, EXPIRY_WARNING_DAYS } from '../../../main/core/expiry.js';
import { lastCheckFailure, tokenHealth, type Health } from '../../../main/core/health.js';
import { groupScopes, type ScopeGroup } from '../../../main/core/scopes.js';
import type { PublicToken, TokenKind } from '../../../main/core/token.js';
import { formatVaultRef } from '../../../main/core/vault-ref.js';

export type { Health, ScopeGroup };

export const KIND_LABEL: Record<TokenKind, string> = { site: 'Site', workspace: 'Workspace', oauth: 'OAuth' };

export const HEALTH_LABEL: Record<Health, string> = {
  valid: 'Valid',
  failing: 'Failing',
  rate_limited: 'Rate limited',
  unreachable: 'Unreachable',
  expiring: 'Expiring',
  revoke_pending: 'Revoke pending',
  untested: 'Untested',
};

/** Worst first, for sorting by health. */
const HEALTH_RANK: Record<Health, number> = {
  failing: 0,
  expiring: 1,
  revoke_pending: 2,
  rate_limited: 3,
  unreachable: 4,
  untested: 5,
  valid: 6,
};

/** A record in the list: a personal token, or a team's token (with `team` set). */
export type ListToken = PublicToken & {
  team?: string;
  /** Removed members who could read this team token; flagged until it is rotated. */
  exposedTo?: string[];
  only?: string[];
  changedBy?: string;
  changedAt?: string;
};

/** Ids are unique within the vault and within each team; a team token's key names its team too. */
export function tokenKey(t: { id: string; team?: string | undefined }): string {
  return t.team ? `${t.team}/${t.id}` : t.id;
}

export interface Row {
  token: ListToken;
  key: string;
  /** The team this token belongs to; null for a personal token. */
  team: string | null;
  /** Removed members who could read it (team tokens only; empty once rotated). */
  exposedTo: string[];
  health: Health;
  /** Why the latest check failed while an earlier verdict still stands (`network`, ...), else null. */
  lastCheckFailed: string | null;
  groups: ScopeGroup[];
  siteNames: string[];
  /** Days until Webflow expires an unused Site or Workspace token; null for OAuth or unknown. */
  expiresInDays: number | null;
  /** Age in days when past the rotation reminder, else null. */
  rotateAfterDays: number | null;
  /** Lower-cased text the search box matches against. */
  haystack: string;
}

export function siteName(site: { id: string; displayName?: string | undefined; shortName?: string | undefined }): string {
  return site.displayName || site.shortName || site.id;
}

export function siteNamesOf(token: PublicToken): string[] {
  if (token.sites.length > 0) return token.sites.map(siteName);
  return token.siteIds;
}

const DAY_MS = 86_400_000;

/** Days since the token was created at Webflow (or added here, when Webflow did not say). */
export function ageInDays(token: PublicToken, now: Date): number | null {
  const from = Date.parse(token.createdOn ?? token.addedAt);
  if (Number.isNaN(from)) return null;
  return Math.floor((now.getTime() - from) / DAY_MS);
}

export function toRow(token: ListToken, now: Date, rotationReminderDays: number): Row {
  const siteNames = siteNamesOf(token);
  const age = ageInDays(token, now);
  const expiresInDays = token.kind === 'oauth' ? null : daysUntil(token.expiresAt, now);
  const team = token.team ?? null;
  return {
    token,
    key: tokenKey(token),
    team,
    exposedTo: token.exposedTo ?? [],
    health: tokenHealth(token, now),
    lastCheckFailed: lastCheckFailure(token),
    groups: groupScopes(token.scopes),
    siteNames,
    expiresInDays,
    rotateAfterDays: rotationReminderDays > 0 && age !== null && age >= rotationReminderDays ? age : null,
    haystack: [token.label, token.id, KIND_LABEL[token.kind], team ? `team ${team}` : 'personal', ...siteNames, ...token.siteIds, ...token.scopes, ...token.tags, token.notes]
      .join('\n')
      .toLowerCase(),
  };
}

export type SortKey = 'label' | 'health' | 'expiry' | 'lastUsed' | 'lastLocalUse' | 'added';

export const SORT_LABEL: Record<SortKey, string> = {
  label: 'Label (A to Z)',
  health: 'Health (worst first)',
  expiry: 'Expiry (soonest first)',
  lastUsed: 'Last used at Webflow (recent first)',
  lastLocalUse: 'Last used here (recent first)',
  added: 'Added (newest first)',
};

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function time(iso: string | null): number {
  if (!iso) return -Infinity;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? -Infinity : t;
}

export function sortRows(rows: readonly Row[], key: SortKey): Row[] {
  const byLabel = (a: Row, b: Row) => collator.compare(a.token.label, b.token.label);
  const compare: Record<SortKey, (a: Row, b: Row) => number> = {
    label: byLabel,
    health: (a, b) => HEALTH_RANK[a.health] - HEALTH_RANK[b.health] || byLabel(a, b),
    // Tokens that never expire go last.
    expiry: (a, b) => (a.expiresInDays ?? Infinity) - (b.expiresInDays ?? Infinity) || byLabel(a, b),
    lastUsed: (a, b) => time(b.token.lastUsedAt) - time(a.token.lastUsedAt) || byLabel(a, b),
    lastLocalUse: (a, b) => time(b.token.lastLocalUseAt) - time(a.token.lastLocalUseAt) || byLabel(a, b),
    added: (a, b) => time(b.token.addedAt) - time(a.token.addedAt) || byLabel(a, b),
  };
  return [...rows].sort(compare[key]);
}

export interface Filters {
  query: string;
  kind: TokenKind | '';
  site: string;
  scope: string;
  health: Health | '';
  /** '' for every token, `personal` for the vault's own, `team:NAME` for one team's. */
  owner: string;
}

export const NO_FILTERS: Filters = { query: '', kind: '', site: '', scope: '', health: '', owner: '' };

export const PERSONAL_OWNER = 'personal';

export function teamOwner(team: string): string {
  return `team:${team}`;
}

export function isFiltered(f: Filters): boolean {
  return f.query.trim() !== '' || f.kind !== '' || f.site !== '' || f.scope !== '' || f.health !== '' || f.owner !== '';
}

function ownerMatches(r: Row, owner: string): boolean {
  if (owner === '') return true;
  if (owner === PERSONAL_OWNER) return r.team === null;
  return r.team !== null && owner === teamOwner(r.team);
}

/** Keeps the order of `rows`. Every word of the query must match somewhere in the record. */
export function filterRows(rows: readonly Row[], f: Filters): readonly Row[] {
  if (!isFiltered(f)) return rows;
  // Plain locals: `f` may be a reactive proxy, and this loop runs once per token per keystroke.
  const { kind, health, scope, site, owner } = f;
  const words = f.query.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter(
    (r) =>
      ownerMatches(r, owner) &&
      (kind === '' || r.token.kind === kind) &&
      (health === '' || r.health === health) &&
      (scope === '' || r.token.scopes.includes(scope)) &&
      (site === '' || r.token.siteIds.includes(site)) &&
      words.every((w) => r.haystack.includes(w)),
  );
}

export interface FilterChoices {
  sites: { id: string; name: string }[];
  scopes: string[];
  /** Teams with a token in the list, or joined at all; empty hides the team filter. */
  teams: string[];
}

export function filterChoices(tokens: readonly ListToken[], joined: readonly string[] = []): FilterChoices {
  const sites = new Map<string, string>();
  const scopes = new Set<string>();
  const teams = new Set(joined);
  for (const t of tokens) {
    if (t.team) teams.add(t.team);
    for (const id of t.siteIds) if (!sites.has(id)) sites.set(id, id);
    for (const s of t.sites) sites.set(s.id, siteName(s));
    for (const s of t.scopes) scopes.add(s);
  }
  return {
    sites: [...sites].map(([id, name]) => ({ id, name })).sort((a, b) => collator.compare(a.name, b.name)),
    scopes: [...scopes].sort(),
    teams: [...teams].sort(),
  };
}

// ---- Words and dates -----------------------------------------------------------------------

export function relative(iso: string | null, now: Date): string {
  return formatAge(iso, now);
}

/** The exact moment for a title attribute, in the person's locale. */
export function exact(iso: string | null): string {
  if (!iso) return 'Never';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Date(t).toLocaleString(undefined, { dateStyle: 'full', timeStyle: 'long' });
}

export function expiryText(days: number | null): string {
  if (days === null) return 'No expiry';
  if (days < 0) return 'Expired';
  if (days === 0) return 'Expires today';
  return `Expires in ${days} d`;
}

export function expiryWarns(days: number | null): boolean {
  return days !== null && days <= EXPIRY_WARNING_DAYS;
}

export function scopeGroupText(g: ScopeGroup): string {
  const access = [g.read ? 'read' : '', g.write ? 'write' : '', ...g.other.map((o) => o.split(':')[1] ?? o)].filter(Boolean);
  return access.length > 0 ? `${g.resource}: ${access.join(' and ')}` : g.resource;
}

// ---- Webflow's answers in plain words --------------------------------------------------------

const CODE_WORDS: Record<string, string> = {
  not_authorized: 'Webflow does not accept this token: it was revoked, expired after 365 days without use, or was copied wrong.',
  token_rejected: 'Webflow does not accept this token: it was revoked, expired after 365 days without use, or was copied wrong.',
  invalid_token_format: 'The stored value has characters a Webflow token never has, so it was not sent to Webflow.',
  missing_scopes: 'The token works, but lacks a scope the request needs. Create a token (or connect the app again) with that scope.',
  forbidden: 'Webflow knows the token but does not allow this request with it.',
  too_many_requests: 'Too many requests with this token in the last minute (Webflow allows 60 or 120 a minute, by plan). Wait, then test again.',
  rate_limited: 'Too many requests with this token in the last minute (Webflow allows 60 or 120 a minute, by plan). Wait, then test again.',
  internal_error: 'Webflow had a problem of its own. Nothing is wrong with the token as far as this says; test again later.',
  server_error: 'Webflow had a problem of its own. Nothing is wrong with the token as far as this says; test again later.',
  network: 'Webflow could not be reached: check the connection (and a proxy or firewall).',
  timeout: 'Webflow did not answer in time. Check the connection, then test again.',
  malformed_response: 'The answer did not look like Webflow’s API. A captive portal or proxy may be in the way.',
};

export function explainCode(code: string | null, ok: boolean): string {
  if (ok) return 'Webflow accepted the token.';
  if (code && CODE_WORDS[code]) return CODE_WORDS[code];
  return 'Webflow refused the request; its own words are above.';
}

/** The scope a 403 `missing_scopes` names ("…missing the following scopes - components:write"). */
export function missingScopes(code: string | null, message: string): string[] {
  if (code !== 'missing_scopes') return [];
  const tail = /missing the following scopes?\s*[-:]\s*(.+)$/i.exec(message)?.[1] ?? message;
  return [...new Set(tail.match(/\b[a-z_]+:(?:read|write)\b/g) ?? [])];
}

/**
 * What a test sent, for troubleshooting: introspect always, and any other request the message
 * names (the Site-token fallback GET /v2/sites, authorized_by). The header is shown with a
 * placeholder: not a single character of a stored secret is ever put into the window.
 */
/** The requests a test rests on: recorded with the test, or read from its message for older tests. */
export function requestsSent(test: { message: string; requests?: string[] }): string[] {
  if (test.requests && test.requests.length > 0) return test.requests;
  return [...new Set(['GET /v2/token/introspect', ...(test.message.match(/\bGET \/v2\/[a-z_/]+[a-z_]/g) ?? [])])];
}

export const AUTH_HEADER_SHOWN = 'Authorization: Bearer <token>';

/** Webflow allows at most five Site tokens per site. */
export const SITE_TOKEN_LIMIT = 5;

/** Live Site tokens in the vault per site id, to show each site against Webflow's limit. */
export function siteTokenCounts(tokens: readonly PublicToken[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokens) {
    if (t.kind !== 'site') continue;
    for (const id of new Set(t.siteIds.length > 0 ? t.siteIds : t.sites.map((s) => s.id))) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/** The site's settings in Webflow's dashboard (Apps & integrations is one of its tabs). */
export function siteSettingsUrl(site: { shortName?: string | undefined }, webflowBaseUrl = 'https://webflow.com'): string | null {
  const base = webflowBaseUrl.replace(/\/+$/, '');
  return site.shortName ? `${base}/dashboard/sites/${encodeURIComponent(site.shortName)}/general` : null;
}

/** Commands and references that name a token by id, ready to paste into a terminal or a .env file. */
export function usageSnippets(token: ListToken): { exec: string; reference: string } {
  const team = token.team ? `--team ${token.team} ` : '';
  return { exec: `wfvault exec ${team}${token.id} -- `, reference: formatVaultRef(token.id) };
}

