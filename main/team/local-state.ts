// What this machine remembers about each team it joined, next to the personal vault: the clone,
// and the last member-list head, git head and token versions it verified (so a rollback is
// noticed), and a cache of the signatures it checked. No secret is kept here; the member's
// private keys are in the OS keychain or the passphrase vault.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';

export interface TeamState {
  v: 1;
  name: string;
  teamId: string;
  remote: string;
  me: { name: string; email: string; fingerprint: string; machine: boolean };
  /** Where the private keys are: the OS keychain, the personal vault (passphrase mode), or an identity given to each run (CI). */
  keys: 'keychain' | 'vault' | 'identity-file';
  chainHead: { seq: number; hash: string } | null;
  gitHead: string | null;
  lastSyncAt: string | null;
  /**
   * The highest version of each token this machine verified, by id; `gone` once the token was
   * deleted at that version. A file older than this, or a deleted token coming back at the
   * version it was deleted at, is a rollback. Missing in states written before versions.
   */
  versions?: Record<string, TokenSeen>;
}

export interface TokenSeen {
  v: number;
  gone?: true;
}

export const TEAM_NAME_RE = /^[a-z0-9][a-z0-9._-]{0,39}$/u;

export function teamsDir(vaultDir: string): string {
  return path.join(vaultDir, 'teams');
}

export function teamDir(vaultDir: string, name: string): string {
  return path.join(teamsDir(vaultDir), name);
}

export function repoDir(vaultDir: string, name: string): string {
  return path.join(teamDir(vaultDir, name), 'repo');
}

export function conflictsDir(vaultDir: string, name: string): string {
  return path.join(teamDir(vaultDir, name), 'conflicts');
}

function stateFile(vaultDir: string, name: string): string {
  return path.join(teamDir(vaultDir, name), 'state.json');
}

function verifiedFile(vaultDir: string, name: string): string {
  return path.join(teamDir(vaultDir, name), 'verified.json');
}

export function checkTeamName(name: string): string {
  if (!TEAM_NAME_RE.test(name)) {
    throw new AppError('usage', `"${name}" is not a valid team name: use 1 to 40 lower-case letters, digits, dots, dashes or underscores, starting with a letter or digit.`);
  }
  return name;
}

export async function loadState(vaultDir: string, name: string): Promise<TeamState> {
  let text: string;
  try {
    text = await readFile(stateFile(vaultDir, name), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      const known = await listTeams(vaultDir);
      const hint = known.length ? ` Teams here: ${known.join(', ')}.` : ' Create one with `wfvault team create NAME --remote URL` or join one with `wfvault team join URL`.';
      throw new AppError('team_not_found', `No team named "${name}" on this machine.${hint}`);
    }
    throw e;
  }
  try {
    const s = JSON.parse(text) as TeamState;
    if (s.v === 1 && s.name === name && typeof s.teamId === 'string' && validVersions(s.versions)) return s;
  } catch {
    // reported below
  }
  throw new AppError('team_tampered', `The local record of team ${name} (${stateFile(vaultDir, name)}) is damaged. Move the folder aside and join the team again.`, { reason: 'state_damaged' });
}

function validVersions(v: unknown): boolean {
  if (v === undefined) return true;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.values(v as Record<string, unknown>).every((x) => {
    const o = x as Record<string, unknown> | null;
    return o !== null && typeof o === 'object' && Number.isSafeInteger(o.v) && (o.gone === undefined || o.gone === true);
  });
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { mode: 0o600 });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function saveState(vaultDir: string, state: TeamState): Promise<void> {
  // The versions map grows with the team: one line per token keeps the file readable and small.
  const { versions, ...rest } = state;
  const head = JSON.stringify(rest, null, 2);
  const text = versions === undefined ? head : `${head.slice(0, -2)},\n  "versions": {${Object.entries(versions).map(([id, seen]) => `\n    ${JSON.stringify(id)}: ${JSON.stringify(seen)}`).join(',')}\n  }\n}`;
  await writeAtomically(stateFile(vaultDir, state.name), `${text}\n`);
}

/**
 * Signatures this machine already checked, each named by a hash of everything the check covered
 * (signer, signed text, signature): content-addressed, so a changed file is never found in it.
 * A cache only: a missing or damaged file means checking again.
 */
export async function loadVerified(vaultDir: string, name: string): Promise<Set<string>> {
  try {
    const o = JSON.parse(await readFile(verifiedFile(vaultDir, name), 'utf8')) as { v?: unknown; keys?: unknown };
    if (o.v === 1 && Array.isArray(o.keys)) return new Set(o.keys.filter((k): k is string => typeof k === 'string'));
  } catch {
    // checked again below
  }
  return new Set();
}

export async function saveVerified(vaultDir: string, name: string, keys: Iterable<string>): Promise<void> {
  await writeAtomically(verifiedFile(vaultDir, name), `${JSON.stringify({ v: 1, keys: [...keys] })}\n`);
}

export async function listTeams(vaultDir: string): Promise<string[]> {
  try {
    const names = await readdir(teamsDir(vaultDir), { withFileTypes: true });
    const found: string[] = [];
    for (const d of names) {
      if (!d.isDirectory() || !TEAM_NAME_RE.test(d.name)) continue;
      try {
        await readFile(stateFile(vaultDir, d.name));
        found.push(d.name);
      } catch {
        // a half-made folder from an interrupted join is not a team
      }
    }
    return found.sort();
  } catch (e) {
    // No teams folder, or a file where it would be: no team was joined here.
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw e;
  }
}
