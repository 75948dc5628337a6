// The tray menu as data. Built from the vault's public state only, so it is tested on plain Node
// and the Electron side does nothing but turn it into native menu items. It never sees a secret.
import { formatAge } from './age.js';
import { daysUntil } from './expiry.js';
import { overallHealth, tokenHealth, type Health, type OverallHealth } from './health.js';
import type { PublicToken } from './token.js';

/** A token the tray acts on: its id, and the team for a team token. */
export interface TrayTokenRef {
  id: string;
  team?: string;
}

/** The id and, for a team token, the team: what the handlers take to find a token. */
export function trayRef(t: TrayTokenRef): TrayTokenRef {
  return t.team ? { id: t.id, team: t.team } : { id: t.id };
}

export type TrayAction =
  | { type: 'testAll' }
  | ({ type: 'test' } & TrayTokenRef)
  | ({ type: 'copy' } & TrayTokenRef)
  | ({ type: 'revoke' } & TrayTokenRef)
  | ({ type: 'open' } & TrayTokenRef)
  | { type: 'openVault' }
  | { type: 'lock' }
  | { type: 'quit' };

export type TrayItem =
  | { kind: 'action'; label: string; action: TrayAction; enabled: boolean }
  /** A line of text that cannot be clicked: group headings, last test results. */
  | { kind: 'info'; label: string }
  | { kind: 'submenu'; label: string; items: TrayItem[] }
  | { kind: 'separator' };

export type TrayIcon = OverallHealth | 'locked';

export interface TrayModel {
  icon: TrayIcon;
  tooltip: string;
  items: TrayItem[];
}

export type TrayVaultState = 'uninitialized' | 'locked' | 'unlocked';

/** A personal token, or a team's with the team named and the removed members who could read it. */
export type TrayToken = PublicToken & { team?: string; exposedTo?: readonly string[] };

export interface TrayInput {
  vault: TrayVaultState;
  tokens: readonly TrayToken[];
  now: Date;
  /** A "Test all" is running: the item is disabled so a second click cannot double the requests. */
  testing?: boolean;
  /** Teams whose tokens cannot be read now (a refused change, their keys); the window says why. */
  unreadableTeams?: readonly string[];
}

export const APP_NAME = 'Webflow Token Vault';
/** Native menus do not wrap; long labels are cut so the menu stays usable. */
export const MAX_LABEL = 48;
/**
 * Native menus do not scroll well, and an agency's vault with its teams' tokens can hold
 * hundreds: beyond this many, the tray shows the tokens that need attention first, then the ones
 * used last, and the window has the rest.
 */
export const MAX_TRAY_TOKENS = 60;
const NO_SITE = 'No single site';

export function buildTrayMenu(input: TrayInput): TrayModel {
  const tail: TrayItem[] = [{ kind: 'separator' }];
  if (input.vault !== 'unlocked') {
    const line = input.vault === 'locked' ? 'Vault locked' : 'No vault yet';
    tail.push({ kind: 'action', label: input.vault === 'locked' ? 'Unlock…' : 'Set up vault…', action: { type: 'openVault' }, enabled: true });
    tail.push({ kind: 'separator' }, { kind: 'action', label: 'Quit', action: { type: 'quit' }, enabled: true });
    return { icon: 'locked', tooltip: `${APP_NAME}: ${line.toLowerCase()}`, items: [{ kind: 'info', label: line }, ...tail] };
  }

  const tokens = input.tokens;
  const items: TrayItem[] = [
    {
      kind: 'action',
      label: input.testing ? 'Testing all tokens…' : 'Test all',
      action: { type: 'testAll' },
      enabled: !input.testing && tokens.length > 0,
    },
    { kind: 'separator' },
  ];
  if (tokens.length === 0) items.push({ kind: 'info', label: 'No tokens yet' });
  const shown = mostRelevant(tokens, input.now);
  for (const [group, members] of groupBySite(shown)) {
    items.push({ kind: 'info', label: truncate(group) });
    for (const token of members) items.push(tokenSubmenu(token, input.now));
  }
  const more = tokens.length - shown.length;
  if (more > 0) items.push({ kind: 'action', label: `${more} more token${more === 1 ? '' : 's'} in the window…`, action: { type: 'openVault' }, enabled: true });
  const unreadable = input.unreadableTeams ?? [];
  for (const team of unreadable) items.push({ kind: 'action', label: truncate(`Team ${team} cannot be read: see the window…`), action: { type: 'openVault' }, enabled: true });
  items.push(
    { kind: 'separator' },
    { kind: 'action', label: 'Open vault', action: { type: 'openVault' }, enabled: true },
    { kind: 'action', label: 'Lock', action: { type: 'lock' }, enabled: true },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit', action: { type: 'quit' }, enabled: true },
  );
  const exposed = tokens.filter((t) => (t.exposedTo?.length ?? 0) > 0).length;
  const health = overallHealth(tokens, input.now);
  // An exposed token may still work for whoever left with it, and an unreadable team's tokens are
  // not known: never an all-clear icon.
  const icon = health === 'ok' && (exposed > 0 || unreadable.length > 0) ? 'warning' : health;
  return { icon, tooltip: tooltipFor(tokens, exposed, unreadable.length, input.now), items };
}

function tooltipFor(tokens: readonly PublicToken[], exposed: number, unreadable: number, now: Date): string {
  const teams = unreadable ? `, ${unreadable} team${unreadable === 1 ? '' : 's'} unreadable` : '';
  if (tokens.length === 0) return `${APP_NAME}: no tokens${teams}`;
  const failing = tokens.filter((t) => tokenHealth(t, now) === 'failing').length;
  const noun = tokens.length === 1 ? 'token' : 'tokens';
  return `${APP_NAME}: ${tokens.length} ${noun}${failing ? `, ${failing} failing` : ''}${exposed ? `, ${exposed} exposed` : ''}${teams}`;
}

/**
 * Which tokens need a look first: rejected (and exposed), revoke pending, expiring. The rest,
 * valid or not tested yet or last seen rate-limited or unreachable, go by last use.
 */
const ATTENTION: Record<Health, number> = { failing: 0, revoke_pending: 1, expiring: 2, rate_limited: 3, unreachable: 3, untested: 3, valid: 3 };

/** Up to MAX_TRAY_TOKENS: those that need attention first, then those used last. */
function mostRelevant(tokens: readonly TrayToken[], now: Date): readonly TrayToken[] {
  if (tokens.length <= MAX_TRAY_TOKENS) return tokens;
  const ranked = tokens.map((token) => ({
    token,
    attention: token.exposedTo?.length ? 0 : ATTENTION[tokenHealth(token, now)],
    // Use, not tests: a Test all touches every token at once.
    used: Math.max(...[token.lastLocalUseAt, token.lastUsedAt, token.addedAt].map((at) => (at ? Date.parse(at) || 0 : 0))),
  }));
  ranked.sort((a, b) => a.attention - b.attention || b.used - a.used);
  return ranked.slice(0, MAX_TRAY_TOKENS).map((r) => r.token);
}

/** Groups by the one site a token covers; tokens for no site or several sites get their own groups. */
export function groupBySite<T extends PublicToken & { team?: string }>(tokens: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const token of tokens) {
    const key = siteGroupName(token);
    const list = groups.get(key) ?? [];
    list.push(token);
    groups.set(key, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.label.localeCompare(b.label) || (a.team ?? '').localeCompare(b.team ?? ''));
  // Named sites first, alphabetically; the catch-all groups last.
  return new Map(
    [...groups.entries()].sort(([a], [b]) => {
      const rank = (k: string) => (k === NO_SITE ? 2 : k === 'Several sites' ? 1 : 0);
      return rank(a) - rank(b) || a.localeCompare(b);
    }),
  );
}

function siteGroupName(token: PublicToken): string {
  if (token.siteIds.length === 1) {
    const id = token.siteIds[0]!;
    const site = token.sites.find((s) => s.id === id);
    return site?.displayName || site?.shortName || `Site ${id}`;
  }
  return token.siteIds.length > 1 ? 'Several sites' : NO_SITE;
}

function tokenSubmenu(token: TrayToken, now: Date): TrayItem {
  const health = tokenHealth(token, now);
  const ref = trayRef(token);
  const details: TrayItem[] = [];
  if (token.team) details.push({ kind: 'info', label: truncate(`Team ${token.team}`) });
  const exposedTo = token.exposedTo ?? [];
  // Flagged until rotated, as in the list and `wfvault status`: the leaver may have kept a copy.
  if (exposedTo.length) details.push({ kind: 'info', label: truncate(`Exposed: ${exposedTo.join(', ')} left; rotate it in the window`) });
  details.push({ kind: 'info', label: lastTestLine(token, now) });
  const extra = healthLine(token, health, now);
  if (extra) details.push({ kind: 'info', label: extra });
  const pending = health === 'revoke_pending';
  const name = token.team ? `${truncate(token.label)} · ${truncate(token.team)}` : truncate(token.label);
  const word = healthWord(health, token, now);
  return {
    kind: 'submenu',
    label: `${name} — ${exposedTo.length ? `exposed · ${word}` : word}`,
    items: [
      ...details,
      { kind: 'separator' },
      { kind: 'action', label: 'Test', action: { type: 'test', ...ref }, enabled: true },
      { kind: 'action', label: 'Copy', action: { type: 'copy', ...ref }, enabled: true },
      { kind: 'action', label: pending ? 'Confirm revoke…' : 'Revoke…', action: { type: 'revoke', ...ref }, enabled: true },
      { kind: 'action', label: 'Open in window', action: { type: 'open', ...ref }, enabled: true },
    ],
  };
}

export function healthWord(health: Health, token: PublicToken, now: Date): string {
  switch (health) {
    case 'valid':
      return `valid · ${formatAge(token.lastTest?.at ?? null, now)}`;
    case 'failing':
      return 'rejected';
    case 'rate_limited':
      return 'rate-limited';
    case 'unreachable':
      return 'not reachable';
    case 'expiring': {
      const days = daysUntil(token.expiresAt, now) ?? 0;
      return days < 0 ? 'expired' : `expires in ${days} d`;
    }
    case 'revoke_pending':
      return 'revoke pending';
    case 'untested':
      return 'not tested yet';
  }
}

function lastTestLine(token: PublicToken, now: Date): string {
  const test = token.lastTest;
  if (!test) return 'Never tested';
  const outcome = test.ok ? 'valid' : test.httpStatus ? `failed (HTTP ${test.httpStatus})` : `failed (${test.code ?? 'error'})`;
  return `Last test: ${outcome}, ${formatAge(test.at, now)}`;
}

function healthLine(token: PublicToken, health: Health, now: Date): string | null {
  if (health === 'revoke_pending') return `Revoke pending since ${formatAge(token.revokePendingSince, now)}`;
  const days = daysUntil(token.expiresAt, now);
  if (days === null) return null;
  return days < 0 ? 'Expired: unused for 365 days' : `Expires in ${days} d unless used`;
}

function truncate(label: string): string {
  const flat = label.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_LABEL ? `${flat.slice(0, MAX_LABEL - 1)}…` : flat;
}
