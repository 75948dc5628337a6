// The tray menu as data. Built from the vault's public state only, so it is tested on plain Node
// and the Electron side does nothing but turn it into native menu items. It never sees a secret.
import { formatAge } from './age.js';
import { daysUntil } from './expiry.js';
import { overallHealth, tokenHealth, type Health, type OverallHealth } from './health.js';
import type { PublicToken } from './token.js';

export type TrayAction =
  | { type: 'testAll' }
  | { type: 'test'; id: string }
  | { type: 'copy'; id: string }
  | { type: 'revoke'; id: string }
  | { type: 'open'; id: string }
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

export interface TrayInput {
  vault: TrayVaultState;
  tokens: readonly PublicToken[];
  now: Date;
  /** A "Test all" is running: the item is disabled so a second click cannot double the requests. */
  testing?: boolean;
}

export const APP_NAME = 'Webflow Token Vault';
/** Native menus do not wrap; long labels are cut so the menu stays usable. */
export const MAX_LABEL = 48;
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
  for (const [group, members] of groupBySite(tokens)) {
    items.push({ kind: 'info', label: truncate(group) });
    for (const token of members) items.push(tokenSubmenu(token, input.now));
  }
  items.push(
    { kind: 'separator' },
    { kind: 'action', label: 'Open vault', action: { type: 'openVault' }, enabled: true },
    { kind: 'action', label: 'Lock', action: { type: 'lock' }, enabled: true },
    { kind: 'separator' },
    { kind: 'action', label: 'Quit', action: { type: 'quit' }, enabled: true },
  );
  const icon = overallHealth(tokens, input.now);
  return { icon, tooltip: tooltipFor(tokens, input.now), items };
}

function tooltipFor(tokens: readonly PublicToken[], now: Date): string {
  if (tokens.length === 0) return `${APP_NAME}: no tokens`;
  const failing = tokens.filter((t) => tokenHealth(t, now) === 'failing').length;
  const noun = tokens.length === 1 ? 'token' : 'tokens';
  return `${APP_NAME}: ${tokens.length} ${noun}${failing ? `, ${failing} failing` : ''}`;
}

/** Groups by the one site a token covers; tokens for no site or several sites get their own groups. */
export function groupBySite(tokens: readonly PublicToken[]): Map<string, PublicToken[]> {
  const groups = new Map<string, PublicToken[]>();
  for (const token of tokens) {
    const key = siteGroupName(token);
    const list = groups.get(key) ?? [];
    list.push(token);
    groups.set(key, list);
  }
  for (const list of groups.values()) list.sort((a, b) => a.label.localeCompare(b.label));
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

function tokenSubmenu(token: PublicToken, now: Date): TrayItem {
  const health = tokenHealth(token, now);
  const id = token.id;
  const details: TrayItem[] = [{ kind: 'info', label: lastTestLine(token, now) }];
  const extra = healthLine(token, health, now);
  if (extra) details.push({ kind: 'info', label: extra });
  const pending = health === 'revoke_pending';
  return {
    kind: 'submenu',
    label: `${truncate(token.label)} — ${healthWord(health, token, now)}`,
    items: [
      ...details,
      { kind: 'separator' },
      { kind: 'action', label: 'Test', action: { type: 'test', id }, enabled: true },
      { kind: 'action', label: 'Copy', action: { type: 'copy', id }, enabled: true },
      { kind: 'action', label: pending ? 'Confirm revoke…' : 'Revoke…', action: { type: 'revoke', id }, enabled: true },
      { kind: 'action', label: 'Open in window', action: { type: 'open', id }, enabled: true },
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
