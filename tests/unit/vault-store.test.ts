// The Vault class with the in-memory keychain: create, open, update, and every way opening can
// fail, with the rule that a vault that does not open is never written over.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { newTokenRecord } from '../../main/core/records.js';
import type { VaultData } from '../../main/core/token.js';
import { SCRYPT_DEFAULTS, decryptVaultFile, encodeVaultFile, parseVaultFile, type VaultHeader } from '../../main/vault/format.js';
import { derive } from '../../main/vault/keys.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { BACKUP_FILE, VAULT_FILE } from '../../main/vault/paths.js';
import { Vault } from '../../main/vault/vault.js';
import { TEST_SCRYPT_COST } from '../helpers/test-vault.js';

const PASSPHRASE = 'correct horse battery staple';
const NOW = new Date('2026-06-01T12:00:00Z');

let root: string;
let dir: string;
let file: string;
let keychain: MemoryKeychain;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wfvault-store-'));
  dir = path.join(root, 'vault');
  file = path.join(dir, VAULT_FILE);
  keychain = new MemoryKeychain();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function vault(opts: { passphrase?: string; chain?: MemoryKeychain; onAsk?: (purpose: string) => void } = {}): Vault {
  return new Vault({
    dir,
    keychain: opts.chain ?? keychain,
    getPassphrase: async (purpose) => {
      opts.onAsk?.(purpose);
      return opts.passphrase ?? PASSPHRASE;
    },
    // The key derivation is not what these tests are about (vault-scrypt-cost.test.ts tests it).
    testOnlyScryptCost: TEST_SCRYPT_COST,
  });
}

function token(label: string) {
  return newTokenRecord({ id: randomBytes(5).toString('hex'), label, kind: 'site', secret: randomBytes(32).toString('hex') }, null, NOW);
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
  }
  return 'no error';
}

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

function keyOf(vaultId: string): Buffer {
  return Buffer.from(keychain.entries.get(vaultId)!, 'base64');
}

describe('Vault (in-memory keychain)', () => {
  it('creates a vault: key in the keychain, folder 0700, file 0600, empty data', async () => {
    const v = vault();
    const status = await v.init('keychain');
    expect(status).toMatchObject({ initialized: true, dir, path: file, mode: 'keychain', formatVersion: 1, unlocked: true, warnings: [] });
    expect(status.vaultId).toMatch(/^[0-9a-f-]{36}$/);
    expect(keyOf(status.vaultId!)).toHaveLength(32);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const data = await vault().read();
    expect(data).toEqual({ tokens: [], tombstones: [], apps: [], settings: expect.any(Object) });
  });

  it('refuses a second init and leaves the vault as it was', async () => {
    await vault().init('keychain');
    const before = await readFile(file);
    expect(await codeOf(vault().init('keychain'))).toBe('already_initialized');
    expect(await codeOf(vault().init('passphrase'))).toBe('already_initialized');
    expect(Buffer.compare(await readFile(file), before)).toBe(0);
    expect(keychain.entries.size).toBe(1);
  });

  it('a keychain init without a keychain fails naming --passphrase and leaves nothing behind', async () => {
    keychain.unavailable = true;
    const err = await errorOf(vault().init('keychain'));
    expect(err.code).toBe('keychain_unavailable');
    expect(err.message).toContain('--passphrase');
    await expect(stat(dir)).rejects.toThrow();
  });

  it('says there is no vault yet, naming `wfvault init`', async () => {
    const err = await errorOf(vault().read());
    expect(err.code).toBe('vault_not_initialized');
    expect(err.message).toContain('wfvault init');
    expect(await codeOf(vault().update(() => undefined))).toBe('vault_not_initialized');
    const status = await vault().status();
    expect(status).toMatchObject({ initialized: false, mode: null, vaultId: null, formatVersion: null, unlocked: false });
  });

  it('round-trips updates and reads the keychain once per instance', async () => {
    await vault().init('keychain');
    const v = vault();
    const a = token('alpha');
    const result = await v.update((data) => {
      data.tokens.push(a);
      return data.tokens.length;
    });
    expect(result).toBe(1);
    await v.update((data) => {
      data.tokens.push(token('beta'));
    });
    expect((await v.read()).tokens.map((t) => t.label)).toEqual(['alpha', 'beta']);
    expect((await v.read()).tokens[0]).toEqual(a);
    expect(keychain.reads).toBe(1);
    v.lock();
    expect((await v.status()).unlocked).toBe(false);
    await v.read();
    expect(keychain.reads).toBe(2);
  });

  it('status reads only the header: no keychain, no passphrase', async () => {
    await vault().init('keychain');
    keychain.unavailable = true;
    const status = await vault().status();
    expect(status).toMatchObject({ initialized: true, mode: 'keychain', unlocked: false, formatVersion: 1 });
    expect(keychain.reads).toBe(0);
  });

  it('sees what another instance (another process) wrote: no lost update', async () => {
    await vault().init('keychain');
    const one = vault();
    const two = vault();
    await one.update((d) => void d.tokens.push(token('one-1')));
    await two.update((d) => void d.tokens.push(token('two-1')));
    await one.update((d) => void d.tokens.push(token('one-2')));
    await Promise.all([one.update((d) => void d.tokens.push(token('one-3'))), two.update((d) => void d.tokens.push(token('two-2')))]);
    expect((await vault().read()).tokens.map((t) => t.label).sort()).toEqual(['one-1', 'one-2', 'one-3', 'two-1', 'two-2']);
  });

  it('serialises concurrent updates within one instance', async () => {
    await vault().init('keychain');
    const v = vault();
    await Promise.all(Array.from({ length: 20 }, (_, i) => v.update((d) => void d.tokens.push(token(`t${i}`)))));
    expect((await vault().read()).tokens).toHaveLength(20);
  });

  it('writes nothing when the change throws, and forgets the half-made change', async () => {
    await vault().init('keychain');
    const v = vault();
    await v.update((d) => void d.tokens.push(token('kept')));
    const before = await readFile(file);
    const boom = v.update((d) => {
      d.tokens.push(token('half'));
      throw new Error('boom');
    });
    await expect(boom).rejects.toThrow('boom');
    expect(Buffer.compare(await readFile(file), before)).toBe(0);
    await v.update((d) => void d.tokens.push(token('next')));
    expect((await v.read()).tokens.map((t) => t.label)).toEqual(['kept', 'next']);
  });

  it('refuses to save data that would not open again', async () => {
    await vault().init('keychain');
    const v = vault();
    const before = await readFile(file);
    const err = await errorOf(
      v.update((d) => {
        (d.tokens as unknown[]).push({ id: 'x', label: '' });
      }),
    );
    expect(err.code).toBe('failed');
    expect(err.message).toMatch(/tokens\[0\]/);
    expect(Buffer.compare(await readFile(file), before)).toBe(0);
  });

  it('keeps the previous generation as vault.wfv.bak', async () => {
    const { vaultId } = await vault().init('keychain');
    await expect(stat(path.join(dir, BACKUP_FILE))).rejects.toThrow();
    const v = vault();
    await v.update((d) => void d.tokens.push(token('first')));
    await v.update((d) => void d.tokens.push(token('second')));
    const key = keyOf(vaultId!);
    const backup = JSON.parse(decryptVaultFile(parseVaultFile(await readFile(path.join(dir, BACKUP_FILE))), key).toString('utf8')) as VaultData;
    expect(backup.tokens.map((t) => t.label)).toEqual(['first']);
    expect((await stat(path.join(dir, BACKUP_FILE))).mode & 0o777).toBe(0o600);
  });

  it('removes temp files a killed writer left behind, once they are old', async () => {
    await vault().init('keychain');
    const old = path.join(dir, `${VAULT_FILE}.tmp-999999-deadbeef`);
    const fresh = path.join(dir, `${VAULT_FILE}.tmp-999999-cafebabe`);
    await writeFile(old, 'x');
    await writeFile(fresh, 'x');
    const past = new Date(Date.now() - 10 * 60_000);
    await utimes(old, past, past);
    await vault().update(() => undefined);
    await expect(stat(old)).rejects.toThrow();
    expect((await stat(fresh)).isFile()).toBe(true);
  });

  describe('a vault that does not open is never written over', () => {
    async function setUp(): Promise<{ v: Vault; original: Buffer }> {
      await vault().init('keychain');
      const v = vault();
      await v.update((d) => void d.tokens.push(token('a')));
      await v.update((d) => void d.tokens.push(token('b')));
      return { v, original: await readFile(file) };
    }

    it('one flipped byte: read and update both say vault_tampered, bytes untouched', async () => {
      const { v, original } = await setUp();
      for (const at of [0, 9, 15, 30, 60, Math.floor(original.length / 2), original.length - 40, original.length - 1]) {
        const broken = Buffer.from(original);
        broken[at]! ^= 0x20;
        await writeFile(file, broken);
        expect({ at, read: await codeOf(vault().read()), update: await codeOf(v.update((d) => void d.tokens.push(token('lost')))) }).toEqual({
          at,
          read: 'vault_tampered',
          update: 'vault_tampered',
        });
        expect(Buffer.compare(await readFile(file), broken)).toBe(0);
      }
    });

    it('cut short: vault_truncated, bytes untouched', async () => {
      const { v, original } = await setUp();
      for (const cut of [0, 5, 20, 100, original.length - 1]) {
        const broken = original.subarray(0, cut);
        await writeFile(file, broken);
        expect({ cut, read: await codeOf(vault().read()), update: await codeOf(v.update(() => undefined)) }).toEqual({ cut, read: 'vault_truncated', update: 'vault_truncated' });
        expect(Buffer.compare(await readFile(file), broken)).toBe(0);
      }
    });

    it('a newer format version: vault_unknown_version, bytes untouched', async () => {
      const { v, original } = await setUp();
      const newer = Buffer.from(original);
      newer.writeUInt16BE(2, 8);
      const { createHash } = await import('node:crypto');
      createHash('sha256').update(newer.subarray(0, newer.length - 32)).digest().copy(newer, newer.length - 32);
      await writeFile(file, newer);
      const err = await errorOf(vault().read());
      expect(err.code).toBe('vault_unknown_version');
      expect(err.message).toMatch(/version 2.*newer wfvault/);
      expect(await codeOf(v.update(() => undefined))).toBe('vault_unknown_version');
      expect(Buffer.compare(await readFile(file), newer)).toBe(0);
      expect(await vault().status()).toMatchObject({ initialized: true, formatVersion: 2, mode: null });
    });

    it('the wrong key in the keychain: wrong_key, bytes untouched', async () => {
      const { v, original } = await setUp();
      const vaultId = [...keychain.entries.keys()][0]!;
      keychain.entries.set(vaultId, randomBytes(32).toString('base64'));
      expect(await codeOf(vault().read())).toBe('wrong_key');
      v.lock();
      expect(await codeOf(v.update(() => undefined))).toBe('wrong_key');
      expect(Buffer.compare(await readFile(file), original)).toBe(0);
    });

    it('no key in the keychain: keychain_key_missing; no keychain: keychain_unavailable naming --passphrase', async () => {
      await setUp();
      const vaultId = [...keychain.entries.keys()][0]!;
      const saved = keychain.entries.get(vaultId)!;
      keychain.entries.delete(vaultId);
      const missing = await errorOf(vault().read());
      expect(missing.code).toBe('keychain_key_missing');
      expect(missing.message).toContain(vaultId);
      keychain.entries.set(vaultId, saved);
      keychain.unavailable = true;
      const unavailable = await errorOf(vault().read());
      expect(unavailable.code).toBe('keychain_unavailable');
      expect(unavailable.message).toContain('--passphrase');
    });

    it('a tampered file message says what happened and where, without secrets', async () => {
      const { original } = await setUp();
      const broken = Buffer.from(original);
      broken[40]! ^= 1;
      await writeFile(file, broken);
      const err = await errorOf(vault().read());
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/changed outside wfvault|damaged/);
      expect(err.message).toContain('wfvault doctor');
      const key = [...keychain.entries.values()][0]!;
      expect(err.message.includes(key)).toBe(false);
    });
  });

  describe('passphrase mode', () => {
    it('derives the key from the passphrase, never touches the keychain, asks once per instance', async () => {
      keychain.unavailable = true;
      const asked: string[] = [];
      const status = await vault({ onAsk: (p) => asked.push(p) }).init('passphrase');
      expect(status.mode).toBe('passphrase');
      expect(asked).toEqual(['create']);
      const v = vault({ onAsk: (p) => asked.push(p) });
      await v.update((d) => void d.tokens.push(token('p1')));
      await v.update((d) => void d.tokens.push(token('p2')));
      expect((await v.read()).tokens.map((t) => t.label)).toEqual(['p1', 'p2']);
      expect(asked).toEqual(['create', 'unlock']);
      expect(keychain.entries.size).toBe(0);
    });

    it('a wrong passphrase gives wrong_passphrase and changes nothing', async () => {
      await vault().init('passphrase');
      const before = await readFile(file);
      const err = await errorOf(vault({ passphrase: 'not the passphrase' }).read());
      expect(err.code).toBe('wrong_passphrase');
      expect(err.message.includes(PASSPHRASE)).toBe(false);
      expect(err.message.includes('not the passphrase')).toBe(false);
      expect(await codeOf(vault({ passphrase: 'not the passphrase' }).update(() => undefined))).toBe('wrong_passphrase');
      expect(Buffer.compare(await readFile(file), before)).toBe(0);
    });

    it('refuses a passphrase under 12 characters at creation, however it arrives, and leaves nothing behind', async () => {
      // Six emoji are twelve UTF-16 units but six characters; an accent typed as a combining mark is one.
      for (const short of ['', 'a', '12345678', '12345678901', '\u{1F511}'.repeat(6), 'cafe\u0301abcdefg']) {
        const err = await errorOf(vault({ passphrase: short }).init('passphrase'));
        expect({ short, code: err.code }).toEqual({ short, code: 'usage' });
        expect(err.message).toMatch(/at least 12 characters/);
        await expect(stat(dir)).rejects.toThrow();
      }
      expect((await vault({ passphrase: '123456789012' }).init('passphrase')).mode).toBe('passphrase');
    });

    it('still opens and saves a vault that was made with a shorter passphrase', async () => {
      const kdf = { alg: 'scrypt' as const, ...SCRYPT_DEFAULTS, N: 2 ** 10, salt: randomBytes(16).toString('base64') };
      const header: VaultHeader = { vaultId: '5e0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b', mode: 'passphrase', kdf };
      const data = { tokens: [token('old')], tombstones: [], apps: [], settings: {} };
      await mkdir(dir, { mode: 0o700 });
      await writeFile(file, encodeVaultFile(header, await derive('abc', kdf), Buffer.from(JSON.stringify(data), 'utf8')), { mode: 0o600 });
      const v = vault({ passphrase: 'abc' });
      expect((await v.read()).tokens.map((t) => t.label)).toEqual(['old']);
      await v.update((d) => void d.tokens.push(token('new')));
      expect((await vault({ passphrase: 'abc' }).read()).tokens.map((t) => t.label)).toEqual(['old', 'new']);
    });
  });

  describe('lock() while a key is on its way', () => {
    /** A passphrase that arrives only when the test says so, as a person typing. */
    function slowTyping() {
      const waiting: Array<(p: string) => void> = [];
      const asked: string[] = [];
      let onAsk: (() => void) | null = null;
      const v = new Vault({
        dir,
        keychain,
        testOnlyScryptCost: TEST_SCRYPT_COST,
        getPassphrase: (purpose) =>
          new Promise<string>((resolve) => {
            asked.push(purpose);
            waiting.push(resolve);
            onAsk?.();
          }),
      });
      const nextQuestion = () =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('the passphrase was not asked for')), 5000);
          onAsk = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      const answer = () => waiting.shift()!(PASSPHRASE);
      return { v, asked, nextQuestion, answer };
    }

    it('a lock during a passphrase unlock leaves the vault locked', async () => {
      await vault().init('passphrase');
      const { v, asked, nextQuestion, answer } = slowTyping();
      const asking = nextQuestion();
      const reading = v.read();
      await asking;
      v.lock();
      answer();
      // The read that was under way finishes; only the key is not kept.
      expect((await reading).tokens).toEqual([]);
      expect((await v.status()).unlocked).toBe(false);
      const again = nextQuestion();
      const next = v.read();
      await again;
      expect(asked).toEqual(['unlock', 'unlock']);
      answer();
      await next;
      expect((await v.status()).unlocked).toBe(true);
    });

    it('a read after lock() asks again instead of joining the unlock already under way', async () => {
      await vault().init('passphrase');
      const { v, asked, nextQuestion, answer } = slowTyping();
      let asking = nextQuestion();
      const before = v.read();
      await asking;
      v.lock();
      asking = nextQuestion();
      const after = v.read();
      await asking;
      expect(asked).toEqual(['unlock', 'unlock']);
      answer();
      answer();
      await Promise.all([before, after]);
      // The second answer came after the lock, so its key is kept.
      expect((await v.status()).unlocked).toBe(true);
    });

    it('a lock while the passphrase of a new vault is being chosen leaves it locked', async () => {
      let v: Vault | undefined = undefined;
      v = new Vault({
        dir,
        keychain,
        testOnlyScryptCost: TEST_SCRYPT_COST,
        getPassphrase: async () => {
          v!.lock();
          return PASSPHRASE;
        },
      });
      const status = await v.init('passphrase');
      expect(status).toMatchObject({ initialized: true, mode: 'passphrase', unlocked: false });
    });

    it('a lock during an update keeps no decrypted data once the update is done', async () => {
      await vault().init('keychain');
      const v = vault();
      await v.update((d) => void d.tokens.push(token('a')));
      // Nothing public shows what an instance keeps in memory, so the field is looked at directly.
      expect(Reflect.get(v, 'saved')).not.toBeNull();
      await v.update((d) => {
        d.tokens.push(token('b'));
        v.lock();
      });
      expect(Reflect.get(v, 'saved')).toBeNull();
      expect((await v.status()).unlocked).toBe(false);
      await v.update((d) => void d.tokens.push(token('c')));
      expect((await vault().read()).tokens.map((t) => t.label)).toEqual(['a', 'b', 'c']);
    });
  });

  describe('permissions', () => {
    it.skipIf(process.platform === 'win32')('tightens a looser folder of ours to 0700 and warns about it in status first', async () => {
      await mkdir(dir, { mode: 0o755 });
      await chmod(dir, 0o755);
      const before = await vault().status();
      expect(before.warnings.join(' ')).toMatch(/0755/);
      await vault().init('keychain');
      expect((await stat(dir)).mode & 0o777).toBe(0o700);
      expect((await vault().status()).warnings).toEqual([]);
    });

    it.skipIf(process.platform === 'win32')('warns about a vault file others can read, and the next save fixes it', async () => {
      await vault().init('keychain');
      await chmod(file, 0o644);
      expect((await vault().status()).warnings.join(' ')).toMatch(/0644/);
      await vault().update(() => undefined);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
    });
  });
});

describe('secrets that leave the vault leave its backup too', () => {
  it('after a token or an app profile is removed, neither file holds its secret', async () => {
    const v = vault();
    await v.init('keychain');
    const kept = token('kept');
    const gone = token('gone');
    const appSecret = `app-secret-${randomBytes(16).toString('hex')}`;
    await v.update((d) => void d.tokens.push(kept, gone));
    await v.update((d) => void d.apps.push({ id: 'app1', name: 'App', clientId: 'client-1', clientSecret: appSecret, redirectUri: 'http://127.0.0.1:53682/callback', scopes: ['sites:read'], addedAt: NOW.toISOString() }));
    const plain = async (name: string) => decryptVaultFile(parseVaultFile(await readFile(path.join(dir, name))), keyOf((await v.status()).vaultId!)).toString('utf8');

    await v.update((d) => void (d.tokens = d.tokens.filter((t) => t.id !== gone.id)));
    for (const name of [VAULT_FILE, BACKUP_FILE]) {
      const text = await plain(name);
      expect({ name, holdsRemoved: text.includes(gone.secret), holdsKept: text.includes(kept.secret) }).toEqual({ name, holdsRemoved: false, holdsKept: true });
    }
    await v.update((d) => void (d.apps = []));
    for (const name of [VAULT_FILE, BACKUP_FILE]) expect({ name, holdsApp: (await plain(name)).includes(appSecret) }).toEqual({ name, holdsApp: false });

    // An ordinary change still keeps the generation before it as the backup.
    await v.update((d) => void (d.settings.clipboardClearSeconds = 11));
    expect(await plain(BACKUP_FILE)).not.toContain('"clipboardClearSeconds":11');
  });
});

describe('a forged key-derivation parameter', () => {
  it('is reported as tampering, not as a wrong passphrase', async () => {
    await vault().init('passphrase');
    const bytes = await readFile(file);
    const text = bytes.toString('latin1');
    const at = text.indexOf('"r":8');
    expect(at).toBeGreaterThan(0);
    bytes.write('"r":9', at, 'latin1');
    createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest().copy(bytes, bytes.length - 32);
    await writeFile(file, bytes);
    const err = await errorOf(vault().read());
    expect(err.code).toBe('vault_tampered');
    expect(err.message).toMatch(/scrypt parameters wfvault does not write/);
  });
});
