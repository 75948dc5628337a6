// A closed stdout (the reader of a pipe went away, as with `| head -1`) ends every command quietly
// with status 0; a full one (/dev/full) says so on stderr and exits 1. Never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the CLI with the reading end of its stdout closed before it can write a byte. */
function withClosedStdout(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
}

function toDevFull(args: string[], env: NodeJS.ProcessEnv = {}): Outcome {
  const full = openSync('/dev/full', 'w');
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 20_000 });
    return { code: r.status, signal: r.signal, stderr: r.stderr };
  } finally {
    closeSync(full);
  }
}

const hasDevFull = existsSync('/dev/full');
if (!hasDevFull) console.warn('cli-closed-output: the full-disk cases are skipped, this system has no /dev/full');

/** Every command name, from the CLI's own help. */
function commandNames(): string[] {
  const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' }).stdout;
  const start = help.indexOf('Commands:');
  const section = help.slice(start, help.indexOf('\n\n', start));
  return [...section.matchAll(/^ {2}([a-z][a-z-]*)/gmu)].map((m) => m[1]!).filter((n) => n !== 'help');
}

describe('closed or full stdout', () => {
  it('`--help`, `help CMD` and `CMD --help` for every command end quietly with status 0 when the reader is gone', async () => {
    const names = commandNames();
    expect(names.length).toBeGreaterThan(5);
    const runs = [['--help'], ...names.flatMap((n) => [['help', n], [n, '--help']])];
    for (const args of runs) {
      const r = await withClosedStdout(args);
      expect({ args, code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ args, code: 0, signal: null, stderr: '' });
    }
  }, 120_000);

  it.runIf(hasDevFull)('`--help > /dev/full` says the output could not be written and exits 1', () => {
    const r = toDevFull(['--help']);
    expect(r).toMatchObject({ code: 1, signal: null });
    expect(r.stderr).toContain('could not write the output: the disk it goes to is full');
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });
});

describeWithKeyring('closed or full stdout with a vault', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    tmp = await tempDir('wfvault-output-');
    env = { WFVAULT_DIR: path.join(tmp.path, 'v') };
    expect((await runCli(['init'], { env })).code).toBe(0);
    expect((await runCli(['add', '--offline', '--label', 'one'], { env, input: `${'ef'.repeat(32)}\n` })).code).toBe(0);
  });

  afterAll(async () => {
    await tmp?.cleanup();
  });

  it('list, list --json, show and reveal end quietly with status 0 into a closed pipe', async () => {
    for (const args of [['list'], ['list', '--json'], ['show', 'one'], ['show', 'one', '--json'], ['reveal', 'one']]) {
      const r = await withClosedStdout(args, env);
      expect({ args, code: r.code, signal: r.signal, stderr: r.stderr }).toEqual({ args, code: 0, signal: null, stderr: '' });
    }
  }, 60_000);

  it.runIf(hasDevFull)('`list --json > /dev/full` says so on stderr and exits 1', () => {
    const r = toDevFull(['list', '--json'], env);
    expect(r).toMatchObject({ code: 1, signal: null });
    expect(r.stderr).toContain('could not write the output: the disk it goes to is full, so nothing more was printed; free some space there, or send the output elsewhere, and run the command again.');
    expect(r.stderr).not.toMatch(/\n\s+at /u);
  });
});
