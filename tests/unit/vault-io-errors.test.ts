// What a person reads when the file system refuses: one sentence naming the file and the fix for
// every errno, never the errno alone; and a save that half-succeeded says so instead of "nothing
// was changed".
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppError, windowMessage } from '../../main/core/errors.js';
import { newTokenRecord } from '../../main/core/records.js';
import { ioError } from '../../main/vault/atomic.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { BACKUP_FILE, VAULT_FILE } from '../../main/vault/paths.js';
import { Vault } from '../../main/vault/vault.js';

// Fails the n-th vault save from now with ENOSPC, as a disk filling up between two saves would.
const failing = vi.hoisted(() => ({ saveNumber: 0 }));
vi.mock('../../main/vault/atomic.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/vault/atomic.js')>();
  return {
    ...real,
    writeVaultFileAtomic: async (...args: Parameters<typeof real.writeVaultFileAtomic>) => {
      if (failing.saveNumber > 0 && --failing.saveNumber === 0) {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      return real.writeVaultFileAtomic(...args);
    },
  };
});

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: something, open '/x/vault.wfv.tmp-1'`), { code });
}

describe('ioError', () => {
  const where = '/home/me/.config/Webflow Token Vault/vault.wfv';
  const codes = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG', 'ELOOP', 'EIO', 'EMFILE', 'EBUSY', 'EFBIG', 'EXDEV'];

  it.each(codes)('%s: one sentence that names the file, says why in words and what to do', (code) => {
    const e = ioError(errno(code), 'save', where) as AppError;
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('vault_io');
    expect(e.message.startsWith(`Cannot save ${where}: `)).toBe(true);
    expect(e.message).toMatch(/;[^;]+\.$/u); // the reason, then the fix
    expect(e.message).not.toMatch(/\.\s+[A-Z]/u); // one sentence
    // An errno appears only beside words, for codes without their own sentence.
    if (code !== 'EXDEV') expect(e.message).not.toContain(code);
    else expect(e.message).toMatch(/EXDEV \(something\)/u);
    expect(e.message).not.toContain('.tmp-');
    // The window gets the sentence without the command line's flags.
    expect(windowMessage(e)).toContain(where);
    expect(windowMessage(e)).not.toMatch(/--vault-dir|WFVAULT_DIR/u);
  });

  it('names the fix for the cases people meet most', () => {
    const say = (code: string) => (ioError(errno(code), 'save', where) as AppError).message;
    expect(say('EROFS')).toMatch(/read-only file system; mount that file system writable and try again, or choose another folder with --vault-dir or WFVAULT_DIR\.$/u);
    expect(say('ENOSPC')).toMatch(/the disk is full, so nothing was changed; free some space on that disk and try again/u);
    expect(say('EACCES')).toMatch(/permission denied .*fix the permissions/u);
  });

  it('leaves errors that are not the file system\'s alone', () => {
    const app = new AppError('vault_busy', 'busy');
    expect(ioError(app, 'save', where)).toBe(app);
    const plain = new Error('boom');
    expect(ioError(plain, 'save', where)).toBe(plain);
  });
});

describe('a disk that fills between the two saves of a removal', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'wfvault-io-'));
  });
  afterEach(async () => {
    failing.saveNumber = 0;
    await rm(root, { recursive: true, force: true });
  });

  it('says the change was saved and that the backup still holds the removed secret', async () => {
    const dir = path.join(root, 'v');
    const vault = new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase: async () => 'unused' });
    await vault.init('keychain');
    const secret = randomBytes(32).toString('hex');
    const record = newTokenRecord({ id: randomBytes(5).toString('hex'), label: 'gone', kind: 'site', secret }, null, new Date());
    await vault.update((d) => void d.tokens.push(record));
    await vault.update((d) => void d.tokens.push(newTokenRecord({ id: randomBytes(5).toString('hex'), label: 'kept', kind: 'site', secret: randomBytes(32).toString('hex') }, null, new Date())));

    failing.saveNumber = 2; // the removal's first save succeeds, its second fails
    const err = await vault.update((d) => void (d.tokens = d.tokens.filter((t) => t.label !== 'gone'))).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'vault_io', details: { saved: true } });
    expect((err as AppError).message).toBe(
      `The change was saved to ${path.join(dir, VAULT_FILE)}, but its backup ${path.join(dir, BACKUP_FILE)} still holds the secret it dropped, because the disk is full; free some space on that disk and try again (the next change to the vault replaces the backup).`,
    );
    expect((await vault.read()).tokens.map((t) => t.label)).toEqual(['kept']);
    expect((await readFile(path.join(dir, BACKUP_FILE))).length).toBeGreaterThan(0);

    await vault.update(() => undefined);
    expect((await vault.read()).tokens.map((t) => t.label)).toEqual(['kept']);
  });
});
