// A writer stopped in the middle of its save (SIGSTOP, as Ctrl-Z does) keeps the vault lock: a
// second writer waits for it, says whom it waits for, and commits after it, so neither token is
// lost. strace places the stop exactly: after the first writer's new file is on disk, before the
// rename that would commit it.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli, startCli, tempDir } from '../helpers/cli.js';

const hasKeyring = process.env.WFVAULT_TEST_KEYRING === '1';
const hasStrace = spawnSync('strace', ['-V']).status === 0;
const ROUNDS = 10;

if (!hasKeyring) console.warn('vault-stopped-writer: skipped, no test keyring (run through scripts/with-test-keyring.sh)');
if (!hasStrace) console.warn('vault-stopped-writer: skipped, strace is not installed (apt-get install strace)');

let vault: { path: string; cleanup: () => Promise<void> };

beforeAll(async () => {
  vault = await tempDir('wfvault-stopped-');
});

afterAll(async () => {
  await vault?.cleanup();
});

function straceLog(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

async function until<T>(what: string, probe: () => T | null | undefined | false, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const got = probe();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.runIf(hasKeyring && hasStrace && process.platform === 'linux')('a writer stopped inside its save', () => {
  it(`keeps the lock, so the writer that waited for it loses nothing (${ROUNDS} rounds)`, async () => {
    const dir = ['--vault-dir', vault.path];
    expect((await runCli(['init', ...dir])).code).toBe(0);
    for (let round = 0; round < ROUNDS; round++) {
      // Writer A is stopped (strace sends SIGSTOP) as its first fsync returns: the new file is
      // written under the lock, and the backup and the rename that commits it are still to come.
      const log = path.join(vault.path, `strace-${round}.log`);
      const tracer = startStraced(['add', '--offline', '--label', `A${round}`, ...dir], token(), log);
      // strace logs the stop once the whole process is in it.
      await until('writer A to stop inside its save', () => straceLog(log).includes('stopped by SIGSTOP'));

      const b = startCli(['add', '--offline', '--label', `B${round}`, ...dir], { input: token() });
      let bStderr = '';
      b.child.stderr.on('data', (d: Buffer | string) => (bStderr += String(d)));
      let bExited = false;
      void b.done.then(() => (bExited = true));
      // B waits for A (and says so after a second) rather than taking the lock and committing.
      await until('writer B to say it waits for writer A', () => bStderr.includes('Waiting for the vault') || bExited);
      expect({ round, bWaitedWhileAStopped: !bExited, bStderr }).toEqual({ round, bWaitedWhileAStopped: true, bStderr: expect.any(String) });
      // The message names writer A by its pid, and that it is stopped.
      const named = /Waiting for the vault: wfvault add \(pid (\d+)\) is changing it, and it is stopped/u.exec(bStderr);
      expect({ round, bStderr, named: Boolean(named) }).toEqual({ round, bStderr, named: true });
      const nodePid = Number(named![1]);
      expect(readFileSync(`/proc/${nodePid}/cmdline`, 'utf8')).toContain(`A${round}`);

      process.kill(nodePid, 'SIGCONT');
      const [ra, rb] = await Promise.all([tracer.done, b.done]);
      expect({ round, a: ra.code, b: rb.code }).toEqual({ round, a: 0, b: 0 });
      const list = await runCli(['list', '--json', ...dir]);
      const labels = (JSON.parse(list.stdout) as Array<{ label: string }>).map((t) => t.label);
      expect({ round, a: labels.includes(`A${round}`), b: labels.includes(`B${round}`) }).toEqual({ round, a: true, b: true });
    }
  }, 240_000);
});

function token(): string {
  return `${randomBytes(32).toString('hex')}\n`;
}

/**
 * The CLI under strace, which stops it with SIGSTOP when its first fsync returns. One thread-pool
 * thread, so that "first" counts every file operation (strace counts per thread).
 */
function startStraced(args: string[], input: string, log: string): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn('strace', ['-f', '-qq', '-o', log, '-e', 'trace=fsync', '-e', 'inject=fsync:signal=SIGSTOP:when=1', process.execPath, CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', UV_THREADPOOL_SIZE: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout!.resume();
  child.stdin!.end(input);
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done };
}
