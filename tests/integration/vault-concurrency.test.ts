// Many writers at once (the app and several CLI runs): every update lands, none is lost.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptVaultFile, parseVaultFile } from '../../main/vault/format.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { derive } from '../../main/vault/keys.js';
import { BACKUP_FILE } from '../../main/vault/paths.js';
import { Vault, readHead } from '../../main/vault/vault.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const moduleUrl = (rel: string) => JSON.stringify(pathToFileURL(path.join(REPO, rel)).href);
const PROCESSES = 4;
const UPDATES = 25;

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'wfvault-concurrency-'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('concurrent writers', () => {
  it(`${PROCESSES} processes x ${UPDATES} updates each: all ${PROCESSES * UPDATES} tokens present`, async () => {
    const dir = path.join(tmp, 'vault');
    const passphrase = randomBytes(12).toString('hex');
    const getPassphrase = async () => passphrase;
    await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase }).init('passphrase');

    const script = path.join(tmp, 'writer.mts');
    await writeFile(
      script,
      `import { Vault } from ${moduleUrl('main/vault/vault.ts')};
import { MemoryKeychain } from ${moduleUrl('main/vault/keychain.ts')};
import { newTokenRecord } from ${moduleUrl('main/core/records.ts')};
const [dir, name, count] = process.argv.slice(2);
const vault = new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase: async () => process.env.TEST_VAULT_PASSPHRASE });
for (let i = 0; i < Number(count); i++) {
  await vault.update((data) => {
    const id = name + '-' + String(i).padStart(4, '0');
    data.tokens.push(newTokenRecord({ id, label: id, kind: 'site', secret: 's' + Math.random().toString(36).slice(2) }, null, new Date()));
  });
}
`,
    );
    const results = await Promise.all(Array.from({ length: PROCESSES }, (_, p) => run(script, [dir, `w${p}`, String(UPDATES)], { TEST_VAULT_PASSPHRASE: passphrase })));
    for (const r of results) expect(r).toMatchObject({ code: 0, stderr: '' });

    const data = await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase }).read();
    const labels = data.tokens.map((t) => t.label).sort();
    const expected = Array.from({ length: PROCESSES }, (_, p) => Array.from({ length: UPDATES }, (_, i) => `w${p}-${String(i).padStart(4, '0')}`)).flat().sort();
    expect(labels).toEqual(expected);
    // Each writer's own updates stay in order.
    for (let p = 0; p < PROCESSES; p++) {
      const mine = data.tokens.map((t) => t.label).filter((l) => l.startsWith(`w${p}-`));
      expect(mine).toEqual([...mine].sort());
    }
    // The backup is the generation just before: one token fewer.
    const head = await readHead(path.join(dir, 'vault.wfv'));
    const key = await derive(passphrase, head.header!.kdf!);
    const backup = JSON.parse(decryptVaultFile(parseVaultFile(await readFile(path.join(dir, BACKUP_FILE))), key).toString('utf8')) as { tokens: unknown[] };
    expect(backup.tokens).toHaveLength(PROCESSES * UPDATES - 1);
  }, 60_000);
});
