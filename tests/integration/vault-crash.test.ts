// Crash safety: a writer killed with -9 at any moment leaves a vault that opens and holds either
// the generation before the interrupted save or the one it was writing, never a broken file; and
// the lock of a killed writer is free at once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeVaultFileAtomic } from '../../main/vault/atomic.js';
import { decryptVaultFile, encodeVaultFile, parseVaultFile } from '../../main/vault/format.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { LOCK_FILE } from '../../main/vault/lock.js';
import { BACKUP_FILE, VAULT_FILE } from '../../main/vault/paths.js';
import { Vault } from '../../main/vault/vault.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const source = (rel: string) => JSON.stringify(path.join(REPO, rel));
const KILLS = 100;
const HEADER = { vaultId: 'crash-test-vault', mode: 'keychain' as const, kdf: null };

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'wfvault-crash-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** Lines a child prints, as they arrive. */
function lines(child: ChildProcess): { all: string[]; waitFor: (prefix: string, ms: number) => Promise<void> } {
  const all: string[] = [];
  let rest = '';
  const waiters: Array<() => void> = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    rest += chunk;
    const parts = rest.split('\n');
    rest = parts.pop()!;
    all.push(...parts);
    for (const w of waiters.splice(0)) w();
  });
  return {
    all,
    waitFor: (prefix, ms) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child printed no "${prefix}" within ${ms} ms`)), ms);
        const check = () => {
          if (all.some((l) => l.startsWith(prefix))) {
            clearTimeout(timer);
            resolve();
          } else if (child.exitCode !== null || child.signalCode !== null) {
            clearTimeout(timer);
            reject(new Error(`child exited (${child.exitCode ?? child.signalCode}) before printing "${prefix}"`));
          } else waiters.push(check);
        };
        child.once('exit', () => check());
        check();
      }),
  };
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('crash safety', () => {
  it(`survives ${KILLS} kill -9 at random moments during saves`, async () => {
    const dir = path.join(tmp, 'kill');
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { mode: 0o700 });
    const keyFile = path.join(tmp, 'test-key');
    const key = randomBytes(32);
    await writeFile(keyFile, key, { mode: 0o600 });

    // One bundled file, so each of the many children starts in tens of milliseconds.
    const childTs = path.join(tmp, 'saver.ts');
    await writeFile(
      childTs,
      `import { readFileSync } from 'node:fs';
import { encodeVaultFile } from ${source('main/vault/format.ts')};
import { writeVaultFileAtomic } from ${source('main/vault/atomic.ts')};
const [dir, keyFile, start] = process.argv.slice(2);
const key = readFileSync(keyFile);
const pad = 'x'.repeat(256 * 1024);
let n = Number(start);
for (;;) {
  n++;
  process.stdout.write('writing ' + n + '\\n');
  const bytes = encodeVaultFile(${JSON.stringify(HEADER)}, key, Buffer.from(JSON.stringify({ counter: n, pad })));
  await writeVaultFileAtomic(dir, bytes);
  process.stdout.write('wrote ' + n + '\\n');
}
`,
    );
    const bundle = path.join(tmp, 'saver.mjs');
    await build({ entryPoints: [childTs], outfile: bundle, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });

    const counterIn = (bytes: Buffer) => (JSON.parse(decryptVaultFile(parseVaultFile(bytes), key).toString('utf8')) as { counter: number }).counter;
    // Written twice, so that a backup exists before the first kill: a kill that lands before the
    // loop's first save completes must find generation 0 both as the vault and as its backup.
    for (let i = 0; i < 2; i++) await writeVaultFileAtomic(dir, encodeVaultFile(HEADER, key, Buffer.from(JSON.stringify({ counter: 0 }))));
    let current = 0;
    let midSave = 0;
    for (let round = 0; round < KILLS; round++) {
      const child = spawn(process.execPath, [bundle, dir, keyFile, String(current)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const out = lines(child);
      await out.waitFor('writing', 10_000);
      await new Promise((r) => setTimeout(r, Math.random() * 80));
      child.kill('SIGKILL');
      await exited(child);
      const writing = Math.max(...out.all.filter((l) => l.startsWith('writing ')).map((l) => Number(l.slice(8))));
      const last = out.all.at(-1) ?? '';
      if (last.startsWith('writing ')) midSave++;

      let found: number;
      try {
        found = counterIn(await readFile(path.join(dir, VAULT_FILE)));
      } catch (e) {
        throw new Error(`round ${round}: the vault does not open after kill -9 while writing generation ${writing}: ${(e as Error).message}`);
      }
      // The interrupted save either happened completely or not at all.
      expect({ round, ok: found === writing || found === writing - 1 }).toEqual({ round, ok: true });
      expect(found).toBeGreaterThanOrEqual(current);
      const backup = counterIn(await readFile(path.join(dir, BACKUP_FILE)));
      expect({ round, backupOk: backup === found || backup === found - 1 }).toEqual({ round, backupOk: true });
      current = found;
    }
    expect(current).toBeGreaterThan(0);
    // Most kills land inside a save (the loop does little else); at least some must have.
    expect(midSave).toBeGreaterThan(0);
    // A killed writer's temp file is left behind at most once per kill, never as the vault.
    const leftovers = (await readdir(dir)).filter((n) => n !== VAULT_FILE && n !== BACKUP_FILE);
    expect(leftovers.every((n) => n.includes('.tmp-'))).toBe(true);
  }, 120_000);

  it('takes over a lock left by a writer killed while holding it', async () => {
    const dir = path.join(tmp, 'stale');
    const passphrase = randomBytes(12).toString('hex');
    const getPassphrase = async () => passphrase;
    const parent = new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase });
    await parent.init('passphrase');

    const childTs = path.join(tmp, 'holder.mts');
    await writeFile(
      childTs,
      `import { Vault } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'main/vault/vault.ts')).href)};
import { MemoryKeychain } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'main/vault/keychain.ts')).href)};
const vault = new Vault({ dir: process.argv[2], keychain: new MemoryKeychain(), getPassphrase: async () => process.env.TEST_VAULT_PASSPHRASE });
await vault.update(async (data) => {
  data.settings.clipboardClearSeconds = 99;
  process.stdout.write('locked\\n');
  // A pending promise alone lets Node exit; the interval keeps the process alive until the kill,
  // as a hung writer would be.
  await new Promise(() => setInterval(() => undefined, 60_000));
});
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', childTs, dir], {
      cwd: REPO,
      env: { ...process.env, TEST_VAULT_PASSPHRASE: passphrase },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await lines(child).waitFor('locked', 30_000);
    child.kill('SIGKILL');
    await exited(child);
    expect((await readdir(dir)).includes(LOCK_FILE)).toBe(true);

    // The kernel freed the dead writer's lock with its process: taken at once, with nothing to
    // say about waiting.
    const waits: string[] = [];
    const next = new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase, onLockWait: (m) => waits.push(m) });
    await next.update((data) => void (data.settings.clipboardClearSeconds = 42));
    const after = await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase }).read();
    expect(after.settings.clipboardClearSeconds).toBe(42);
    expect(waits).toEqual([]);
  }, 60_000);
});
