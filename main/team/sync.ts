// Pull, verify, merge and push with the user's git. Different tokens changed on two machines are
// different files, so git merges them; the same token changed on both sides keeps the remote's
// version in the repository and this machine's version aside, until the member picks one.
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { gitReason, TEAM_BRANCH } from './git.js';
import { conflictsDir } from './local-state.js';
import { MEMBERS_DIR, readTokenFileAt, TOKENS_DIR } from './repo-files.js';
import { verifyTokenFile, type Team } from './team.js';

const REMOTE_REF = `refs/remotes/origin/${TEAM_BRANCH}`;
const MAX_ATTEMPTS = 12;
/** git's words for a push refused because the remote moved on, as opposed to one that did not reach it. */
const PUSH_REFUSED = /rejected|fetch first|non-fast-forward|failed to update ref|cannot lock ref/iu;

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

async function fetchRemote(team: Team): Promise<{ ok: true; empty: boolean } | { ok: false; reason: string }> {
  const r = await team.git.raw(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${TEAM_BRANCH}:${REMOTE_REF}`]);
  if (r.code !== 0) {
    // An empty remote has no branch yet: that is not being offline.
    if (/couldn't find remote ref/iu.test(r.stderr)) return { ok: true, empty: true };
    return { ok: false, reason: gitReason(r.stderr) };
  }
  return { ok: true, empty: false };
}

/**
 * Refuses a remote whose history no longer contains what this machine verified before. `base`
 * is where this clone and the remote meet; when this clone is the verified head and the remote
 * only adds to it, that already answers the question without asking git again.
 */
async function checkNotRolledBack(team: Team, remote: string | null, before: string | null, base: string | null): Promise<void> {
  const seen = team.state.gitHead;
  if (!seen) return;
  if (remote && (seen === remote || (seen === before && base === before) || (await team.git.isAncestor(seen, remote)))) return;
  throw new AppError(
    'team_rollback',
    `The remote of team ${team.name} no longer holds the history this machine verified (commit ${seen.slice(0, 12)}): it was rolled back or rewritten, for example by a forced push. Nothing from it was used; ask the team who pushed it.`,
    { reason: 'git_rollback', seen },
  );
}

/** Brings the remote's commits in; returns the new head and the tokens changed on both sides. */
async function mergeRemote(team: Team, remote: string, before: string | null, base: string | null): Promise<{ head: string; conflicts: string[] }> {
  const git = team.git;
  if (!before) {
    await git.run(['checkout', '--quiet', '-B', TEAM_BRANCH, remote], 'git checkout');
    return { head: remote, conflicts: [] };
  }
  if (base === before) {
    // Nothing here that the remote lacks: a fast-forward, whatever merge.ff says.
    await git.run(['merge', '--quiet', '--ff-only', remote], 'git merge');
    return { head: remote, conflicts: [] };
  }
  const r = await git.raw(['merge', '--quiet', '--no-edit', '-m', 'wfvault: merge team changes', remote]);
  if (r.code === 0) return { head: (await git.head())!, conflicts: [] };
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
  return { head: (await git.head())!, conflicts: [...ids].sort() };
}

/**
 * One sync: fetch, check for a rollback, merge, verify what changed, bring tokens in line with
 * the member list, push. A push that loses a race with another member's push starts over. Only
 * the files the merge changed are read and verified again; the rest were verified before and
 * are checked against the signature cache.
 */
export function syncTeam(team: Team): Promise<SyncResult> {
  return team.change(() => syncNow(team));
}

async function syncNow(team: Team): Promise<SyncResult> {
  const git = team.git;
  let pulled = false;
  const conflicts: string[] = [];
  const reencrypted: string[] = [];
  const ahead = await pushAhead(team, reencrypted);
  if (ahead) return ahead;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const fetched = await fetchRemote(team);
    if (!fetched.ok) return { offline: true, reason: fetched.reason, pulled, pushed: false, conflicts, reencrypted };
    const [before, tracking] = await git.heads(['HEAD', REMOTE_REF]);
    const remote = fetched.empty ? null : (tracking ?? null);
    const base = before && remote ? (before === remote ? remote : await git.mergeBase(before, remote)) : null;
    await checkNotRolledBack(team, remote, before ?? null, base);
    let head = before ?? null;
    if (remote && remote !== base) {
      const merged = await mergeRemote(team, remote, before ?? null, base);
      conflicts.push(...merged.conflicts);
      try {
        await team.reverify(before ? await git.changedPaths(before, merged.head) : undefined);
      } catch (e) {
        // What came in does not verify: go back to what this machine had, and use none of it.
        if (before) await git.run(['reset', '--quiet', '--hard', before], 'git reset');
        await team.reverify().catch(() => undefined);
        throw e;
      }
      head = merged.head;
      pulled = true;
    }
    head = (await reconcileAndCommit(team, reencrypted)) ?? head;
    if (!head || head === remote) {
      await team.rememberVerified(remote);
      return { offline: false, pulled, pushed: false, conflicts, reencrypted };
    }
    // A successful push also moves the remote-tracking branch (the clone's fetch refspec).
    const push = await git.raw(['push', '--quiet', 'origin', `HEAD:refs/heads/${TEAM_BRANCH}`]);
    if (push.code === 0) {
      await team.rememberVerified(head);
      return { offline: false, pulled, pushed: true, conflicts, reencrypted };
    }
    if (!PUSH_REFUSED.test(push.stderr)) {
      return { offline: true, reason: gitReason(push.stderr), pulled, pushed: false, conflicts, reencrypted };
    }
    // Someone pushed first: fetch and merge their change, then try again.
  }
  throw new AppError('team_git', `Team ${team.name}: other members kept pushing while this sync ran; run \`wfvault team sync\` again.`);
}

/**
 * Brings the tokens in line with the member list (see Team.reconcile) and commits what that
 * changed; the ids re-encrypted are added to `reencrypted`. Returns the new head, or null when
 * nothing was committed.
 */
async function reconcileAndCommit(team: Team, reencrypted: string[]): Promise<string | null> {
  const changed = await team.reconcile();
  reencrypted.push(...changed.reencrypted);
  if (!changed.reencrypted.length && !changed.resigned.length) return null;
  return (await team.git.commitAll('wfvault: re-encrypt tokens for the member list')) ? team.git.head() : null;
}

/**
 * The usual sync after a change here: this clone has commits on top of the one it verified last,
 * and the remote is still at that commit. Then there is nothing to fetch, and the push goes first,
 * leased on the remote being exactly there: another member's push or a rollback since makes it
 * fail, and the full sync runs as before (fetch, rollback check, merge, verify). With a remote on
 * a network, that is one round trip less per change. Null when the full sync is to run.
 */
async function pushAhead(team: Team, reencrypted: string[]): Promise<SyncResult | null> {
  const git = team.git;
  const seen = team.state.gitHead;
  if (!seen) return null;
  const [head, tracking] = await git.heads(['HEAD', REMOTE_REF]);
  // The ancestry check keeps the lease from ever forcing: a lease that holds lets git replace
  // the remote's branch, which must only ever be a fast-forward.
  if (!head || head === seen || tracking !== seen || !(await git.isAncestor(seen, head))) return null;
  const pushed = (await reconcileAndCommit(team, reencrypted)) ?? head;
  const push = await git.raw(['push', '--quiet', `--force-with-lease=refs/heads/${TEAM_BRANCH}:${seen}`, 'origin', `HEAD:refs/heads/${TEAM_BRANCH}`]);
  if (push.code === 0) {
    await team.rememberVerified(pushed);
    return { offline: false, pulled: false, pushed: true, conflicts: [], reencrypted };
  }
  // Refused, unreachable, or not allowed to push (a member with read-only access to the remote):
  // the full sync still brings in what the others pushed, and says why the push failed.
  return null;
}

/**
 * Runs a change that must reach the remote before it counts (admitting or removing a member):
 * sync, change, commit, push; when the push loses a race, the change is undone and done again on
 * top of the other member's.
 */
export function changeAndPush<T>(team: Team, message: string, change: () => Promise<T>): Promise<T> {
  return team.change(() => changePushed(team, message, change));
}

async function changePushed<T>(team: Team, message: string, change: () => Promise<T>): Promise<T> {
  const git = team.git;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const synced = await syncTeam(team);
    if (synced.offline) throw new AppError('network', `Cannot reach the remote of team ${team.name} (${synced.reason ?? 'no answer'}); this change needs it. Nothing was changed.`);
    const before = await git.head();
    let result: T;
    try {
      result = await change();
    } catch (e) {
      // The change's own error is what the user needs; an undo that fails too must not hide it.
      await discardUncommitted(team, before).catch(() => undefined);
      throw e;
    }
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
    if (!PUSH_REFUSED.test(push.stderr)) {
      throw new AppError('network', `Could not push to the remote of team ${team.name} (${gitReason(push.stderr)}). Nothing was changed.`);
    }
  }
  throw new AppError('team_git', `Team ${team.name}: other members kept pushing; run the command again.`);
}

/**
 * Drops what a change that failed half-way left in the clone (a member entry written, some tokens
 * re-encrypted): the next command's commit would otherwise take it in as if it had been meant.
 * The clone is wfvault's own, not a working copy of the user's: it goes back to the commit the
 * change started from, and new files in the folders wfvault writes are removed.
 */
async function discardUncommitted(team: Team, before: string | null): Promise<void> {
  await team.git.run(['reset', '--quiet', '--hard', before ?? 'HEAD'], 'git reset');
  await team.git.run(['clean', '--quiet', '-d', '--force', '--', MEMBERS_DIR, TOKENS_DIR], 'git clean');
  await team.reverify();
}

export async function listConflicts(team: Team): Promise<string[]> {
  try {
    const names = await readdir(conflictsDir(team.ctx.vaultDir, team.name));
    return [...new Set(names.filter((n) => n.endsWith('.age')).map((n) => n.slice(0, -4)))].sort();
  } catch {
    return [];
  }
}

/**
 * Puts this machine's version of a conflicting token back (mine) or drops it (theirs). Mine is
 * signed again with a version above the remote's, so every member takes it as the newer one.
 */
export function resolveConflict(team: Team, id: string, keep: 'mine' | 'theirs'): Promise<void> {
  return team.change(() => keepOne(team, id, keep));
}

async function keepOne(team: Team, id: string, keep: 'mine' | 'theirs'): Promise<void> {
  const aside = conflictsDir(team.ctx.vaultDir, team.name);
  if (!(await listConflicts(team)).includes(id)) throw new AppError('not_found', `Token ${id} of team ${team.name} has no conflicting version here.`);
  if (keep === 'mine') {
    const mine = await readTokenFileAt(aside, id);
    if (!mine) throw new AppError('not_found', `This machine's version of token ${id} is incomplete in ${aside}; keep theirs instead.`);
    // Signed again only if it still verifies as it was when this clone held it.
    verifyTokenFile(team.roster, team.state.teamId, mine, team.signatures);
    await team.writeSigned(id, mine.ciphertext, mine.sig.readers, mine.sig.share);
    try {
      await team.reverify([`${TOKENS_DIR}/${id}.age`, `${TOKENS_DIR}/${id}.sig`]);
    } catch (e) {
      await team.git.run(['checkout', '--quiet', 'HEAD', '--', TOKENS_DIR], 'git checkout').catch(() => undefined);
      await team.reverify().catch(() => undefined);
      throw e;
    }
    await team.reconcile();
    await team.git.commitAll('wfvault: keep one version of a token');
  }
  await rm(path.join(aside, `${id}.age`), { force: true });
  await rm(path.join(aside, `${id}.sig`), { force: true });
}
