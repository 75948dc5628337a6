// Pull, verify, merge and push with the user's git. Different tokens changed on two machines are
// different files, so git merges them; the same token changed on both sides keeps the remote's
// version in the repository and this machine's version aside, until the member picks one.
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { gitReason, TEAM_BRANCH } from './git.js';
import { conflictsDir } from './local-state.js';
import { TOKENS_DIR } from './repo-files.js';
import type { Team } from './team.js';

const REMOTE_REF = `refs/remotes/origin/${TEAM_BRANCH}`;
const MAX_ATTEMPTS = 12;

export interface SyncResult {
  offline: boolean;
  /** git's reason when the remote could not be reached. */
  reason?: string;
  pulled: boolean;
  pushed: boolean;
  /** Token ids changed on both sides; this machine's version is kept aside. */
  conflicts: string[];
  reencrypted: string[];
}

async function fetchRemote(team: Team): Promise<{ ok: true; remote: string | null } | { ok: false; reason: string }> {
  const r = await team.git.raw(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${TEAM_BRANCH}:${REMOTE_REF}`]);
  if (r.code !== 0) {
    // An empty remote has no branch yet: that is not being offline.
    if (/couldn't find remote ref/iu.test(r.stderr)) return { ok: true, remote: null };
    return { ok: false, reason: gitReason(r.stderr) };
  }
  return { ok: true, remote: await team.git.head(REMOTE_REF) };
}

/** Refuses a remote whose history no longer contains what this machine verified before. */
async function checkNotRolledBack(team: Team, remote: string | null): Promise<void> {
  const seen = team.state.gitHead;
  if (!seen) return;
  if (remote && (await team.git.isAncestor(seen, remote))) return;
  throw new AppError(
    'team_rollback',
    `The remote of team ${team.name} no longer holds the history this machine verified (commit ${seen.slice(0, 12)}): it was rolled back or rewritten, for example by a forced push. Nothing from it was used; ask the team who pushed it.`,
    { reason: 'git_rollback', seen },
  );
}

async function mergeRemote(team: Team, remote: string): Promise<string[]> {
  const git = team.git;
  const head = await git.head();
  if (!head) {
    await git.run(['checkout', '--quiet', '-B', TEAM_BRANCH, remote], 'git checkout');
    return [];
  }
  if (await git.isAncestor(remote, head)) return [];
  const r = await git.raw(['merge', '--quiet', '--no-edit', '-m', 'wfvault: merge team changes', remote]);
  if (r.code === 0) return [];
  const unmerged = (await git.run(['diff', '--name-only', '--diff-filter=U'], 'git diff')).split('\n').filter(Boolean);
  if (unmerged.length === 0 || unmerged.some((p) => !p.startsWith(`${TOKENS_DIR}/`))) {
    await git.raw(['merge', '--abort']);
    throw new AppError(
      'team_conflict',
      unmerged.length === 0
        ? `Could not merge the changes of team ${team.name}: ${gitReason(r.stderr)}`
        : `The member list of team ${team.name} was changed here and on the remote at the same time. Your local change was not merged; run the command again after \`wfvault team sync\`.`,
    );
  }
  const aside = conflictsDir(team.ctx.vaultDir, team.name);
  await mkdir(aside, { recursive: true, mode: 0o700 });
  const ids = new Set<string>();
  for (const p of unmerged) {
    const base = path.basename(p);
    ids.add(base.replace(/\.(age|sig)$/u, ''));
    const ours = await git.blob(`:2:${p}`);
    if (ours) await writeFile(path.join(aside, base), ours);
    const theirs = await git.raw(['cat-file', '-e', `:3:${p}`]);
    if (theirs.code === 0) await git.run(['checkout', '--theirs', '--', p], 'git checkout');
    else await git.run(['rm', '--quiet', '--', p], 'git rm');
  }
  await git.run(['add', '-A', '--', TOKENS_DIR], 'git add');
  await git.run(['commit', '--quiet', '--no-verify', '--no-edit'], 'git commit');
  return [...ids].sort();
}

/**
 * One sync: fetch, check for a rollback, merge, verify everything, bring tokens in line with the
 * member list, push. A push that loses a race with another member's push starts over.
 */
export async function syncTeam(team: Team): Promise<SyncResult> {
  const git = team.git;
  let pulled = false;
  const conflicts: string[] = [];
  const reencrypted: string[] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = await git.head();
    const fetched = await fetchRemote(team);
    if (!fetched.ok) return { offline: true, reason: fetched.reason, pulled, pushed: false, conflicts, reencrypted };
    const remote = fetched.remote;
    await checkNotRolledBack(team, remote);
    if (remote && remote !== before && !(before && (await git.isAncestor(remote, before)))) {
      conflicts.push(...(await mergeRemote(team, remote)));
      try {
        await team.reverify();
      } catch (e) {
        // What came in does not verify: go back to what this machine had, and use none of it.
        if (before) await git.run(['reset', '--quiet', '--hard', before], 'git reset');
        await team.reverify().catch(() => undefined);
        throw e;
      }
      pulled = true;
    }
    const changed = await team.reconcile();
    reencrypted.push(...changed.reencrypted);
    if (changed.reencrypted.length || changed.resigned.length) await git.commitAll('wfvault: re-encrypt tokens for the member list');
    const head = await git.head();
    if (!head || head === remote) {
      await team.rememberVerified(remote);
      return { offline: false, pulled, pushed: false, conflicts, reencrypted };
    }
    const push = await git.raw(['push', '--quiet', 'origin', `HEAD:refs/heads/${TEAM_BRANCH}`]);
    if (push.code === 0) {
      await git.raw(['update-ref', REMOTE_REF, head]);
      await team.rememberVerified(head);
      return { offline: false, pulled, pushed: true, conflicts, reencrypted };
    }
    if (!/rejected|fetch first|non-fast-forward|failed to update ref|cannot lock ref/iu.test(push.stderr)) {
      return { offline: true, reason: gitReason(push.stderr), pulled, pushed: false, conflicts, reencrypted };
    }
    // Someone pushed first: fetch and merge their change, then try again.
  }
  throw new AppError('team_git', `Team ${team.name}: other members kept pushing while this sync ran; run \`wfvault team sync\` again.`);
}

/**
 * Runs a change that must reach the remote before it counts (admitting or removing a member):
 * sync, change, commit, push; when the push loses a race, the change is undone and done again on
 * top of the other member's.
 */
export async function changeAndPush<T>(team: Team, message: string, change: () => Promise<T>): Promise<T> {
  const git = team.git;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const synced = await syncTeam(team);
    if (synced.offline) throw new AppError('network', `Cannot reach the remote of team ${team.name} (${synced.reason ?? 'no answer'}); this change needs it. Nothing was changed.`);
    const before = await git.head();
    const result = await change();
    await git.commitAll(message);
    const head = await git.head();
    const push = await git.raw(['push', '--quiet', 'origin', `HEAD:refs/heads/${TEAM_BRANCH}`]);
    if (push.code === 0) {
      await git.raw(['update-ref', REMOTE_REF, head!]);
      await team.rememberVerified(head);
      return result;
    }
    if (before) await git.run(['reset', '--quiet', '--hard', before], 'git reset');
    await team.reverify();
    if (!/rejected|fetch first|non-fast-forward|failed to update ref|cannot lock ref/iu.test(push.stderr)) {
      throw new AppError('network', `Could not push to the remote of team ${team.name} (${gitReason(push.stderr)}). Nothing was changed.`);
    }
  }
  throw new AppError('team_git', `Team ${team.name}: other members kept pushing; run the command again.`);
}

export async function listConflicts(team: Team): Promise<string[]> {
  try {
    const names = await readdir(conflictsDir(team.ctx.vaultDir, team.name));
    return [...new Set(names.filter((n) => n.endsWith('.age')).map((n) => n.slice(0, -4)))].sort();
  } catch {
    return [];
  }
}

/** Puts this machine's version of a conflicting token back (mine) or drops it (theirs). */
export async function resolveConflict(team: Team, id: string, keep: 'mine' | 'theirs'): Promise<void> {
  const aside = conflictsDir(team.ctx.vaultDir, team.name);
  if (!(await listConflicts(team)).includes(id)) throw new AppError('not_found', `Token ${id} of team ${team.name} has no conflicting version here.`);
  if (keep === 'mine') {
    const dest = path.join(team.repo, TOKENS_DIR);
    await mkdir(dest, { recursive: true });
    await copyFile(path.join(aside, `${id}.age`), path.join(dest, `${id}.age`));
    await copyFile(path.join(aside, `${id}.sig`), path.join(dest, `${id}.sig`));
    try {
      await team.reverify();
    } catch (e) {
      await team.git.run(['checkout', '--quiet', 'HEAD', '--', TOKENS_DIR], 'git checkout').catch(() => undefined);
      throw e;
    }
    await team.reconcile();
    await team.git.commitAll('wfvault: keep one version of a token');
  }
  await rm(path.join(aside, `${id}.age`), { force: true });
  await rm(path.join(aside, `${id}.sig`), { force: true });
}
