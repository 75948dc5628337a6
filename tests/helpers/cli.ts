// Runs the built `wfvault` (dist/) as a user would, capturing everything it prints so tests can
// assert on exit codes, output, and the absence of secrets.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runnableAs } from './run-as-user.js';

export const CLI = resolve(import.meta.dirname, '../../dist/cli/wfvault.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  input?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
  /** The command line before `args`, instead of node and the CLI (e.g. a wrapper that measures it). */
  via?: readonly string[];
  /** Run as another user (root only): file modes mean nothing to root. */
  user?: { uid: number; gid: number };
}

/** Root ignores file modes, so checks of unreadable or unwritable places run as `nobody` there. */
export const NOT_ROOT = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;


export async function runCli(args: readonly string[], opts: CliOptions = {}): Promise<CliResult> {
  const running = startCli(args, opts);
  const timer = setTimeout(() => running.child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
  try {
    return await running.done;
  } finally {
    clearTimeout(timer);
  }
}

export async function tempDir(prefix = 'wfvault-test-'): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) };
}

export interface RunningCli {
  child: import('node:child_process').ChildProcessWithoutNullStreams;
  /** The first line printed on stdout (login prints the authorize URL there). */
  firstLine: Promise<string>;
  done: Promise<CliResult>;
}

/** Starts the CLI without waiting for it, for commands that run until something else happens. */
export function startCli(args: readonly string[], opts: CliOptions = {}): RunningCli {
  let node = process.execPath;
  let cli = CLI;
  let cwd = opts.cwd;
  if (opts.user) {
    const copy = runnableAs(opts.user);
    if ('reason' in copy) throw new Error(`cannot run the CLI as uid ${opts.user.uid}: ${copy.reason}`);
    ({ node, cli } = copy);
    cwd ??= copy.cwd;
  }
  const child = spawn(node, [cli, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', WFVAULT_DEBUG: '', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...opts.user,
  });
  let stdout = '';
  let stderr = '';
  let onLine: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => (onLine = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    const nl = stdout.indexOf('\n');
    if (nl >= 0) onLine(stdout.slice(0, nl));
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => {
    /* the CLI may stop reading early, e.g. on an oversized secret */
  });
  child.stdin.end(opts.input ?? '');
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      onLine('');
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, firstLine, done };
}
