// What this machine remembers about each team it joined, next to the personal vault: the clone,
// and the last member-list head and git head it verified (so a rollback is noticed). No secret
// is kept here; the member's private keys are in the OS keychain or the passphrase vault.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
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
    if (s.v === 1 && s.name === name && typeof s.teamId === 'string') return s;
  } catch {
    // reported below
  }
  throw new AppError('team_tampered', `The local record of team ${name} (${stateFile(vaultDir, name)}) is damaged. Move the folder aside and join the team again.`, { reason: 'state_damaged' });
}

export async function saveState(vaultDir: string, state: TeamState): Promise<void> {
  const file = stateFile(vaultDir, state.name);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
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
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
