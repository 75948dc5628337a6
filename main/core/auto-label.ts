// The label a token gets when none is given: named after what Webflow says it reaches, as the
// window names it, else after the moment it was added. Always unique in the vault.
import type { SiteInfo, TokenKind } from './token.js';

const KIND_NAME: Record<TokenKind, string> = { site: 'Site', workspace: 'Workspace', oauth: 'OAuth' };

export interface LabelFacts {
  kind: TokenKind;
  sites: readonly SiteInfo[];
  siteIds: readonly string[];
  workspaceIds: readonly string[];
}

function siteName(s: SiteInfo): string {
  return s.displayName || s.shortName || s.id;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function autoLabel(facts: LabelFacts, taken: ReadonlySet<string>, now: Date): string {
  const names = facts.sites.length > 0 ? facts.sites.map(siteName) : [...facts.siteIds];
  let base: string;
  if (names.length > 0) base = `${names.slice(0, 2).join(', ')}${names.length > 2 ? ` +${names.length - 2}` : ''} (${KIND_NAME[facts.kind]})`;
  else if (facts.workspaceIds.length > 0) base = `Workspace ${facts.workspaceIds[0]}${facts.workspaceIds.length > 1 ? ` +${facts.workspaceIds.length - 1}` : ''} (${KIND_NAME[facts.kind]})`;
  else base = `Token added ${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  let label = base;
  for (let n = 2; taken.has(label); n++) label = `${base} ${n}`;
  return label;
}
