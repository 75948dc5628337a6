// The cross-process writer lock: waits its turn, says whom it waits for, gives up with vault_busy,
// keeps a stopped holder's lock (a stopped writer must not lose it), frees a dead holder's lock at
// once, and notices when its lock file was replaced.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { LOCK_FILE, withVaultLock } from '../../main/vault/lock.js';

const REPO = path.resolve(import.meta.dirname, '../..');
let dir: string;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wfvault-lock-'));
});

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill('SIGCONT');
      c.kill('SIGKILL');
      await new Promise((r) => c.once('exit', r));
    }
  }
  await rm(dir, { recursive: true, force: true });
});

/** A separate process that takes the lock, says "locked", and holds it until killed. */
async function holderProcess(): Promise<ChildProcess> {
  const script = path.join(dir, 'holder.mts');
  await writeFile(
    script,
    `import { withVaultLock } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'main/vault/lock.ts')).href)};
await withVaultLock(process.argv[2], async () => {
  process.stdout.write('locked\\n');
  await new Promise(() => setInterval(() => undefined, 60_000));
}, { owner: 'test holder' });
`,
  );
  const child = spawn(process.execPath, ['--import', 'tsx', script, dir], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('locked\n')) resolve();
    });
    child.once('exit', (code, signal) => reject(new Error(`holder exited (${code ?? signal}) before locking`)));
  });
  return child;
}

async function busyError(opts: Parameters<typeof withVaultLock>[2]): Promise<AppError> {
  try {
    await withVaultLock(dir, async () => undefined, opts);
  } catch (e) {
    return e as AppError;
  }
  throw new Error('the lock was taken although another held it');
}

describe('withVaultLock', () => {
  it('lets one holder in at a time, and the next one in when the first releases', async () => {
    const events: string[] = [];
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const first = withVaultLock(dir, async () => {
      events.push('first in');
      entered();
      await new Promise<void>((r) => (release = r));
      events.push('first out');
    });
    await inside;
    let waiting!: () => void;
    const announced = new Promise<void>((r) => (waiting = r));
    const second = withVaultLock(
      dir,
      async () => {
        events.push('second in');
      },
      { onWait: () => waiting() },
    );
    await announced; // the second is waiting, after a second
    expect(events).toEqual(['first in']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['first in', 'first out', 'second in']);
  });

  it('says after a second whom it waits for, and gives up with vault_busy naming the holder', async () => {
    const holder = await holderProcess();
    const said: string[] = [];
    const err = await busyError({ waitMs: 1500, onWait: (m) => said.push(m) });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('vault_busy');
    expect(err.message).toContain(`test holder (pid ${holder.pid})`);
    expect(said).toHaveLength(1);
    expect(said[0]).toContain(`Waiting for the vault: test holder (pid ${holder.pid})`);
  });

  it.runIf(process.platform !== 'win32')('keeps the lock with a stopped holder and says it is stopped', async () => {
    const holder = await holderProcess();
    holder.kill('SIGSTOP');
    const err = await busyError({ waitMs: 1200 });
    expect(err.code).toBe('vault_busy');
    expect(err.message).toMatch(/it is stopped: resume it/);
    holder.kill('SIGCONT');
  });

  it('takes a dead holder\'s lock without waiting for any stale time', async () => {
    const holder = await holderProcess();
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    // Far below any heartbeat-based stale time: the kernel freed the lock with its process.
    expect(await withVaultLock(dir, async () => 'got it', { waitMs: 500 })).toBe('got it');
  });

  it('refuses to commit when its lock file was replaced while it was held', async () => {
    await expect(
      withVaultLock(dir, async (lock) => {
        await rm(path.join(dir, LOCK_FILE));
        await writeFile(path.join(dir, LOCK_FILE), '');
        lock.assertHeld();
      }),
    ).rejects.toMatchObject({ code: 'vault_busy' });
  });
});
