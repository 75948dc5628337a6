// The user's own `git`, so SSH keys, credential helpers and proxies work as they do for their code.
// Commands run without a terminal prompt: a remote that needs a password the helpers do not have
// fails with git's message instead of hanging a sync.
import { execFile } from 'node:child_process';
import { AppError } from '../core/errors.js';

export const TEAM_BRANCH = 'main';

/**
 * Settings for this clone only, given on every command. Token files are small ciphertexts and
 * signatures that never delta-compress, so no pack is searched for deltas (a push, git's own
 * repacking); for a re-encryption of thousands of files that search would be most of git's time.
 *
 * Each change leaves one small pack, which git's automatic housekeeping merges now and then. It
 * runs in the command that set it off, not detached: no git process is left working in the
 * team's clone after a wfvault command returns (where it would race the next command, or the
 * removal of the clone when a member leaves).
 */
const GIT_TUNING = ['-c', 'pack.window=0', '-c', 'gc.autoDetach=false', '-c', 'maintenance.autoDetach=false'];

/**
 * `git add` alone treats every file as a big one: it then writes the new blobs into one pack
 * instead of a loose object each. Everywhere else that setting costs time (a checkout streams
 * every blob, a refresh hashes each file in pieces), so no other command gets it.
 */
const ADD_TUNING = ['-c', 'core.bigFileThreshold=1'];

/** The arguments that run `git args` in a team clone, with the clone's tuning. */
export function tunedGitArgs(args: readonly string[]): string[] {
  return [...GIT_TUNING, ...(args[0] === 'add' ? ADD_TUNING : []), ...args];
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class Git {
  constructor(
    readonly dir: string,
    private readonly identity: { name: string; email: string } | null = null,
  ) {}

  /** Runs git; a non-zero exit is returned, not thrown. */
  raw(args: readonly string[], opts: { input?: string; cwd?: string | null } = {}): Promise<GitResult> {
    const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    // Commits are made with the user's git identity; a machine with none configured (CI, a fresh
    // account) uses the member's name instead of failing.
    if (this.identity) {
      env.GIT_AUTHOR_NAME ??= this.identity.name;
      env.GIT_AUTHOR_EMAIL ??= this.identity.email;
      env.GIT_COMMITTER_NAME ??= this.identity.name;
      env.GIT_COMMITTER_EMAIL ??= this.identity.email;
    }
    const cwd = opts.cwd === null ? undefined : (opts.cwd ?? this.dir);
    return new Promise((resolve, reject) => {
      const child = execFile('git', tunedGitArgs(args), { cwd, env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === 'string') {
          const e = error as NodeJS.ErrnoException;
          reject(new AppError('team_git', e.code === 'ENOENT' ? 'git is not installed or not on PATH; team vaults use your own git.' : `Could not run git (${e.code}).`));
          return;
        }
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  }

  /** Runs git and throws a readable error when it fails. */
  async run(args: readonly string[], what: string, opts: { input?: string; cwd?: string | null } = {}): Promise<string> {
    const r = await this.raw(args, opts);
    if (r.code !== 0) throw new AppError('team_git', `${what} failed: ${gitReason(r.stderr)}`, { exitCode: r.code });
    return r.stdout;
  }

  /** A blob's bytes (`:2:path` is this side of a conflict), or null when there is none. */
  blob(spec: string): Promise<Buffer | null> {
    return new Promise((resolve) => {
      execFile('git', ['cat-file', 'blob', spec], { cwd: this.dir, encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout) => resolve(error ? null : stdout));
    });
  }

  async head(ref = 'HEAD'): Promise<string | null> {
    const r = await this.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : null;
  }

  /** Several commits at once (one git process): null for each that does not resolve. */
  async heads(refs: readonly string[]): Promise<(string | null)[]> {
    const r = await this.raw(['rev-parse', ...refs.map((ref) => `${ref}^{commit}`)]);
    const lines = r.stdout.split('\n');
    if (r.code === 0 && lines.length > refs.length && lines.slice(0, refs.length).every((l) => /^[0-9a-f]{40,64}$/u.test(l))) return lines.slice(0, refs.length);
    // One of them does not resolve (an unborn branch, an empty remote): ask one by one.
    return Promise.all(refs.map((ref) => this.head(ref)));
  }

  /** The best common ancestor of two commits, or null when they share none. */
  async mergeBase(a: string, b: string): Promise<string | null> {
    const r = await this.raw(['merge-base', a, b]);
    return r.code === 0 ? r.stdout.trim() || null : null;
  }

  /** Paths that differ between two commits; a rename shows as its two paths. */
  async changedPaths(from: string, to: string): Promise<string[]> {
    // Plumbing: the user's diff settings do not change its output.
    const out = await this.run(['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to], 'git diff-tree');
    return out.split('\0').filter(Boolean);
  }

  async isAncestor(older: string, newer: string): Promise<boolean> {
    const r = await this.raw(['merge-base', '--is-ancestor', older, newer]);
    return r.code === 0;
  }

  async hasCommit(sha: string): Promise<boolean> {
    return (await this.raw(['cat-file', '-e', `${sha}^{commit}`])).code === 0;
  }

  /** Stages everything under the working tree and commits; false when there was nothing to commit. */
  async commitAll(message: string): Promise<boolean> {
    await this.run(['add', '-A'], 'git add');
    // Callers commit after a change, so committing first saves a process; a refused commit with
    // nothing staged is the "nothing to commit" case, anything else is git's error.
    const r = await this.raw(['commit', '--quiet', '--no-verify', '-m', message]);
    if (r.code === 0) return true;
    if ((await this.raw(['diff', '--cached', '--quiet'])).code === 0) return false;
    throw new AppError('team_git', `git commit failed: ${gitReason(r.stderr || r.stdout)}`, { exitCode: r.code });
  }
}

/** git's own last meaningful line, without anything that looks like a credential in a URL. */
export function gitReason(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'));
  const text = (lines.find((l) => /^(fatal|error):/u.test(l)) ?? lines[lines.length - 1] ?? 'no message').replace(/\/\/[^/@\s]+@/gu, '//***@');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
