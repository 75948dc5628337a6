// `wfvault status`: how each token is doing, and which tokens the configs in the current folder
// refer to, with everything that needs the user's attention marked as such.
import { isAppError } from '../core/errors.js';
import { daysUntil, EXPIRY_WARNING_DAYS } from '../core/expiry.js';
import { tokenHealth, type Health } from '../core/health.js';
import type { StoredToken, TokenKind } from '../core/token.js';
import type { ServiceDeps } from './deps.js';
import { folderReferences, type FolderPlaintext, type FolderReference } from './folder-references.js';
import { findLive } from './token-use.js';

export interface StatusToken {
  id: string;
  label: string;
  kind: TokenKind;
  health: Health;
  /** One line on what to do, when something needs doing. */
  attention: string | null;
  /** One line on how it is, when nothing needs doing. */
  note: string;
  expiresAt: string | null;
  revokePendingSince: string | null;
  lastTestAt: string | null;
}

export interface StatusReference extends FolderReference {
  tokenId: string | null;
  label: string | null;
  attention: string | null;
}

export interface StatusPlaintext extends FolderPlaintext {
  attention: string;
}

/** A team this machine joined: what in it needs attention (exposed tokens, conflicts, a refusal). */
export interface StatusTeam {
  team: string;
  exposed: Array<{ id: string; label: string | null; exposedTo: string[]; attention: string }>;
  conflicts: Array<{ id: string; attention: string }>;
  /** Why the team could not be read (not verified, keys missing, not admitted yet); null when it was. */
  problem: string | null;
  /** True while this member waits to be admitted; not a problem. */
  pending: boolean;
}

export interface StatusReport {
  vault: { dir: string; path: string; mode: string | null; warnings: string[] };
  folder: string;
  tokens: StatusToken[];
  teams: StatusTeam[];
  references: StatusReference[];
  plaintext: StatusPlaintext[];
  unreadable: Array<{ file: string; reason: string; attention: string }>;
  /** How many things need attention; 0 means all is well. */
  attention: number;
}

export async function vaultStatus(deps: ServiceDeps, folder: string): Promise<StatusReport> {
  const vaultInfo = await deps.vault.status();
  const data = await deps.vault.read();
  const now = deps.now();
  const tokens = data.tokens.map((t) => tokenStatus(t, now));
  const found = await folderReferences(folder);
  const references = found.references.map((r): StatusReference => {
    if (r.ref === null) return { ...r, tokenId: null, label: null, attention: r.problem ?? 'no reference' };
    try {
      const t = findLive(data, r.ref);
      const health = tokens.find((s) => s.id === t.id);
      return { ...r, tokenId: t.id, label: t.label, attention: health?.attention ? 'needs attention (see above)' : null };
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { ...r, tokenId: null, label: null, attention: e.message };
    }
  });
  const plaintext = found.plaintext.map((p) => ({ ...p, attention: `plaintext token: move it into the vault with \`wfvault import ${p.file} --rewrite\`` }));
  const unreadable = found.unreadable.map((u) => ({ ...u, attention: `could not check it: ${u.reason}` }));
  const teams = await teamsStatus(deps);
  const attention =
    tokens.filter((t) => t.attention).length +
    references.filter((r) => r.attention && r.tokenId === null).length +
    plaintext.length +
    unreadable.length +
    vaultInfo.warnings.length +
    teams.reduce((n, t) => n + t.exposed.length + t.conflicts.length + (t.problem ? 1 : 0), 0);
  return {
    vault: { dir: vaultInfo.dir, path: vaultInfo.path, mode: vaultInfo.mode, warnings: vaultInfo.warnings },
    folder,
    tokens,
    teams,
    references,
    plaintext,
    unreadable,
    attention,
  };
}

async function teamsStatus(deps: ServiceDeps): Promise<StatusTeam[]> {
  const { listTeams } = await import('../team/local-state.js');
  const names = await listTeams(deps.vault.dir);
  if (names.length === 0) return [];
  const { teamStatus } = await import('./team.js');
  const out: StatusTeam[] = [];
  for (const name of names) {
    try {
      const s = await teamStatus(deps, name);
      out.push({
        team: name,
        exposed: s.exposed.map((e) => ({
          ...e,
          attention: `exposed: ${e.exposedTo.join(', ')} could read it before leaving the team; rotate it with \`wfvault team rotate ${e.id} --team ${name}\``,
        })),
        conflicts: s.conflicts.map((id) => ({ id, attention: `changed here and by someone else: \`wfvault team resolve ${id} --team ${name} --keep mine|theirs\`` })),
        problem: null,
        pending: !s.me.admitted,
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      out.push({ team: name, exposed: [], conflicts: [], problem: e.message, pending: false });
    }
  }
  return out;
}

function tokenStatus(t: StoredToken, now: Date): StatusToken {
  const health = tokenHealth(t, now);
  const test = t.lastTest;
  const tested = test ? `tested ${test.at.slice(0, 10)}` : '';
  const days = daysUntil(t.expiresAt, now);
  let attention: string | null = null;
  let note = '';
  // Expiry counts whatever the last test said: an untested token expires all the same.
  if (health === 'revoke_pending') {
    attention = `revoke pending since ${t.revokePendingSince!.slice(0, 10)}: once it is revoked in Webflow, run \`wfvault revoke --confirm ${t.id}\``;
  } else if (health === 'failing') {
    attention = `Webflow rejected it at its last test (${test!.at.slice(0, 10)}, ${test!.code ?? `HTTP ${test!.httpStatus}`}): replace it, or \`wfvault test ${t.id}\` to check again`;
  } else if (days !== null && days < 0) {
    attention = 'expired: Webflow expires tokens unused for 365 days; create a new one and add it';
  } else if (days !== null && days <= EXPIRY_WARNING_DAYS) {
    attention = `expires in ${days} d unless used: \`wfvault test ${t.id}\` counts as a use`;
  } else if (health === 'rate_limited' || health === 'unreachable') {
    note = `the last test got no answer from Webflow (${test?.code ?? 'network'})`;
  } else if (health === 'untested') {
    note = `not tested yet: \`wfvault test ${t.id}\``;
  } else {
    note = days !== null ? `valid, ${tested}, expires in ${days} d unless used` : `valid, ${tested}`;
  }
  return {
    id: t.id,
    label: t.label,
    kind: t.kind,
    health,
    attention,
    note,
    expiresAt: t.expiresAt,
    revokePendingSince: t.revokePendingSince,
    lastTestAt: test?.at ?? null,
  };
}
