// `doctor`: what is wrong, whether the backup would help, and putting the backup back without
// ever deleting the file it replaces.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { newTokenRecord } from '../../main/core/records.js';
import { inspectVault, restoreBackup } from '../../main/vault/doctor.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { BACKUP_FILE, VAULT_FILE } from '../../main/vault/paths.js';
import { FILE_PROBLEMS, Vault, type VaultOptions } from '../../main/vault/vault.js';
import { TEST_SCRYPT_COST } from '../helpers/test-vault.js';

const PASSPHRASE = 'correct horse battery staple';

let root: string;
let opts: VaultOptions;
let keychain: MemoryKeychain;
let file: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wfvault-doctor-'));
  keychain = new MemoryKeychain();
  // The key derivation is not what these tests are about (vault-scrypt-cost.test.ts tests it).
  opts = { dir: path.join(root, 'v'), keychain, getPassphrase: async () => PASSPHRASE, testOnlyScryptCost: TEST_SCRYPT_COST };
  file = path.join(opts.dir, VAULT_FILE);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function withTokens(...labels: string[]): Promise<Vault> {
  return withTokensIn('keychain', ...labels);
}

async function withTokensIn(mode: 'keychain' | 'passphrase', ...labels: string[]): Promise<Vault> {
  const v = new Vault(opts);
  await v.init(mode);
  for (const label of labels) {
    await v.update((d) => void d.tokens.push(newTokenRecord({ id: randomBytes(5).toString('hex'), label, kind: 'site', secret: randomBytes(32).toString('hex') }, null, new Date())));
  }
  return v;
}

async function tamper(): Promise<Buffer> {
  const bytes = await readFile(file);
  bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
  await writeFile(file, bytes);
  return bytes;
}

/** Answers with `answers` in turn (the last one from then on) and records every question. */
function typing(...answers: string[]): { asked: string[]; opts: VaultOptions } {
  const asked: string[] = [];
  return {
    asked,
    opts: {
      ...opts,
      getPassphrase: async (purpose) => {
        asked.push(purpose);
        return answers[Math.min(asked.length, answers.length) - 1]!;
      },
    },
  };
}

/** A change behind an intact checksum, so only AES-GCM, with the right key, can tell. */
async function tamperBehindDigest(): Promise<Buffer> {
  const bytes = await readFile(file);
  bytes[bytes.length - 60]! ^= 0x01;
  createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest().copy(bytes, bytes.length - 32);
  await writeFile(file, bytes);
  return bytes;
}

async function brokenAside(): Promise<string[]> {
  return (await readdir(opts.dir)).filter((n) => n.startsWith(`${VAULT_FILE}.broken-`));
}

function byName(checks: Array<{ name: string; ok: boolean; detail: string }>) {
  return Object.fromEntries(checks.map((c) => [c.name, c]));
}

describe('inspectVault', () => {
  it('passes a healthy vault and says the backup opens', async () => {
    await withTokens('one', 'two');
    const report = await inspectVault(opts);
    expect(report.problem).toBeNull();
    expect(report.backupUsable).toBe(true);
    const checks = byName(report.checks);
    expect(Object.keys(checks)).toEqual(['vault folder', 'vault file', 'format', 'keychain', 'decrypt', 'backup']);
    expect(report.checks.every((c) => c.ok)).toBe(true);
    expect(checks.decrypt!.detail).toContain('2 tokens');
    expect(checks.backup!.detail).toContain('1 token');
  });

  it('explains a tampered vault and offers the backup', async () => {
    await withTokens('one', 'two');
    await tamper();
    const report = await inspectVault(opts);
    expect(report.problem?.code).toBe('vault_tampered');
    expect(report.backupUsable).toBe(true);
    expect(byName(report.checks).format!.ok).toBe(false);
  });

  it('reports a missing vault, a missing keychain and loose permissions', async () => {
    expect((await inspectVault(opts)).problem?.code).toBe('vault_not_initialized');
    await withTokens('one');
    keychain.unavailable = true;
    const noKeychain = await inspectVault(opts);
    expect(noKeychain.problem?.code).toBe('keychain_unavailable');
    expect(byName(noKeychain.checks).decrypt!.ok).toBe(false);
    keychain.unavailable = false;
    if (process.platform !== 'win32') {
      await chmod(file, 0o644);
      await chmod(opts.dir, 0o755);
      const loose = byName((await inspectVault(opts)).checks);
      expect(loose['vault file']).toMatchObject({ ok: false });
      expect(loose['vault file']!.detail).toContain('0644');
      expect(loose['vault folder']).toMatchObject({ ok: false });
    }
  });
  it('does not offer the backup after a mistyped passphrase, and asks only once', async () => {
    await withTokensIn('passphrase', 'one', 'two');
    const { asked, opts: mistyped } = typing('not the passphrase', PASSPHRASE);
    const report = await inspectVault(mistyped);
    expect(report.problem?.code).toBe('wrong_passphrase');
    expect(report.problem?.message).not.toContain('restore-backup');
    expect(report.backupUsable).toBe(false);
    expect(byName(report.checks).backup).toMatchObject({ ok: false, detail: expect.stringMatching(/^not tried: .*passphrase/) });
    expect(asked).toEqual(['unlock']);
  });

  it('does not offer the backup when the keychain holds another key for the vault', async () => {
    const v = await withTokens('one', 'two');
    const { vaultId } = await v.status();
    keychain.entries.set(vaultId!, randomBytes(32).toString('base64'));
    const report = await inspectVault(opts);
    expect(report.problem?.code).toBe('wrong_key');
    expect(report.problem?.message).toContain(vaultId);
    expect(report.problem?.message).not.toContain('restore-backup');
    expect(report.backupUsable).toBe(false);
    expect(byName(report.checks).backup!.detail).toMatch(/^not tried: /);
  });

  it('asks for the passphrase once for the vault and its backup', async () => {
    await withTokensIn('passphrase', 'one', 'two');
    const { asked, opts: once } = typing(PASSPHRASE);
    const report = await inspectVault(once);
    expect(report.problem).toBeNull();
    expect(report.backupUsable).toBe(true);
    expect(asked).toEqual(['unlock']);
  });
});

describe('one notion of a damaged file', () => {
  it('counts damage as damage, and a key that does not fit or a newer format as neither', () => {
    expect([...FILE_PROBLEMS].sort()).toEqual(['vault_corrupt', 'vault_tampered', 'vault_truncated']);
  });

  it('says there is no vault yet in the same words as opening one does', async () => {
    const fromDoctor = (await inspectVault(opts)).problem;
    let fromOpen: unknown;
    try {
      await new Vault(opts).read();
    } catch (e) {
      fromOpen = e;
    }
    expect(fromDoctor).toMatchObject({ code: 'vault_not_initialized' });
    expect(fromOpen).toMatchObject({ code: 'vault_not_initialized', message: fromDoctor!.message, details: fromDoctor!.details });
  });
});

describe('restoreBackup', () => {
  it('puts the backup back and keeps the broken file aside', async () => {
    await withTokens('one', 'two');
    const broken = await tamper();
    await restoreBackup(opts);
    expect((await new Vault(opts).read()).tokens.map((t) => t.label)).toEqual(['one']);
    const aside = (await readdir(opts.dir)).filter((n) => n.startsWith(`${VAULT_FILE}.broken-`));
    expect(aside).toHaveLength(1);
    expect(Buffer.compare(await readFile(path.join(opts.dir, aside[0]!)), broken)).toBe(0);
    expect(await readdir(opts.dir)).toContain(BACKUP_FILE);
    // The restored vault takes updates again.
    await new Vault(opts).update((d) => void (d.settings.clipboardClearSeconds = 20));
  });

  it('refuses when the vault opens, or when the backup is broken too, and changes nothing', async () => {
    await withTokens('one', 'two');
    const healthy = await readFile(file);
    await expect(restoreBackup(opts)).rejects.toMatchObject({ code: 'failed' });
    expect(Buffer.compare(await readFile(file), healthy)).toBe(0);

    const backupPath = path.join(opts.dir, BACKUP_FILE);
    const backup = await readFile(backupPath);
    backup[backup.length - 5]! ^= 1;
    await writeFile(backupPath, backup);
    const broken = await tamper();
    let err: unknown;
    try {
      await restoreBackup(opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('vault_tampered');
    expect((err as AppError).message).toMatch(/backup does not open either/);
    expect(Buffer.compare(await readFile(file), broken)).toBe(0);
    expect((await readdir(opts.dir)).filter((n) => n.includes('broken'))).toEqual([]);
  });

  it('leaves a healthy vault alone after a mistyped passphrase, however the second answer goes', async () => {
    await withTokensIn('passphrase', 'one', 'two');
    const healthy = await readFile(file);
    const { asked, opts: mistyped } = typing('not the passphrase', PASSPHRASE);
    let err: unknown;
    try {
      await restoreBackup(mistyped);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('wrong_passphrase');
    expect((err as AppError).message).toMatch(/backup was not restored/);
    expect(asked).toEqual(['unlock']);
    expect(Buffer.compare(await readFile(file), healthy)).toBe(0);
    expect(await brokenAside()).toEqual([]);
    expect((await new Vault(opts).read()).tokens.map((t) => t.label)).toEqual(['one', 'two']);
  });

  it('leaves the vault alone when the keychain holds another key for it', async () => {
    const v = await withTokens('one', 'two');
    const { vaultId } = await v.status();
    const original = keychain.entries.get(vaultId!)!;
    const healthy = await readFile(file);
    keychain.entries.set(vaultId!, randomBytes(32).toString('base64'));
    await expect(restoreBackup(opts)).rejects.toMatchObject({ code: 'wrong_key', message: expect.stringMatching(/backup was not restored/) });
    expect(Buffer.compare(await readFile(file), healthy)).toBe(0);
    expect(await brokenAside()).toEqual([]);
    keychain.entries.set(vaultId!, original);
    expect((await new Vault(opts).read()).tokens).toHaveLength(2);
  });

  it('leaves a vault written by a newer wfvault alone', async () => {
    await withTokens('one', 'two');
    const newer = await readFile(file);
    newer.writeUInt16BE(2, 8);
    createHash('sha256').update(newer.subarray(0, newer.length - 32)).digest().copy(newer, newer.length - 32);
    await writeFile(file, newer);
    await expect(restoreBackup(opts)).rejects.toMatchObject({ code: 'vault_unknown_version', message: expect.stringMatching(/backup was not restored.*update wfvault/) });
    expect(Buffer.compare(await readFile(file), newer)).toBe(0);
    expect(await brokenAside()).toEqual([]);
  });

  it('restores when the checksum holds but decryption fails with the right key, asking for the passphrase once', async () => {
    await withTokensIn('passphrase', 'one', 'two');
    const broken = await tamperBehindDigest();
    const { asked, opts: once } = typing(PASSPHRASE);
    await restoreBackup(once);
    expect(asked).toEqual(['unlock']);
    expect((await new Vault(opts).read()).tokens.map((t) => t.label)).toEqual(['one']);
    const aside = await brokenAside();
    expect(aside).toHaveLength(1);
    expect(Buffer.compare(await readFile(path.join(opts.dir, aside[0]!)), broken)).toBe(0);
  });

  it('restores a vault cut short without asking for its key, then opens the backup with one question', async () => {
    await withTokensIn('passphrase', 'one', 'two');
    await writeFile(file, (await readFile(file)).subarray(0, 100));
    const { asked, opts: once } = typing(PASSPHRASE);
    await restoreBackup(once);
    expect(asked).toEqual(['unlock']);
    expect((await new Vault(opts).read()).tokens.map((t) => t.label)).toEqual(['one']);
  });

  it('says so when there is no backup', async () => {
    await withTokens();
    await tamper();
    await expect(restoreBackup(opts)).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('a vault file gone missing beside its backup', () => {
  it('says so and points at --restore-backup, in doctor and in every read; init refuses without force', async () => {
    const v = await withTokens('one', 'two');
    await rm(file);
    const expected = /is missing, but its backup .* is there\. Run `wfvault doctor --restore-backup`/u;
    await expect(new Vault(opts).read()).rejects.toMatchObject({ code: 'vault_not_initialized', message: expect.stringMatching(expected) });
    await expect(new Vault(opts).update(() => undefined)).rejects.toMatchObject({ message: expect.stringMatching(expected) });
    const report = await inspectVault(opts);
    expect(report.problem?.message).toMatch(expected);
    expect(report.backupUsable).toBe(true);

    const before = await readFile(path.join(opts.dir, BACKUP_FILE));
    await expect(new Vault(opts).init('keychain')).rejects.toMatchObject({ code: 'already_initialized', message: expect.stringMatching(/init --force/u) });
    expect(await readFile(path.join(opts.dir, BACKUP_FILE))).toEqual(before);
    expect(await readdir(opts.dir)).not.toContain(VAULT_FILE);
    void v;
  });

  it('init --force starts anew and keeps the old backup aside, where a save cannot replace it', async () => {
    await withTokens('one', 'two');
    await rm(file);
    const before = await readFile(path.join(opts.dir, BACKUP_FILE));
    const fresh = new Vault(opts);
    await fresh.init('keychain', { force: true });
    await fresh.update((d) => void (d.settings.clipboardClearSeconds = 7));
    const aside = (await readdir(opts.dir)).filter((n) => n.startsWith(`${BACKUP_FILE}.before-init-`));
    expect(aside).toHaveLength(1);
    expect(await readFile(path.join(opts.dir, aside[0]!))).toEqual(before);
    expect((await fresh.read()).tokens).toEqual([]);
  });

  it('doctor tries the backup of a passphrase vault with the passphrase when there is no keychain', async () => {
    await withTokensIn('passphrase', 'one', 'two');
    await writeFile(file, 'not a vault any more');
    keychain.unavailable = true;
    const { asked, opts: typed } = typing(PASSPHRASE);
    const report = await inspectVault(typed);
    const backup = report.checks.find((c) => c.name === 'backup');
    expect(backup).toMatchObject({ ok: true, detail: expect.stringMatching(/^opens: 1 token,/u) });
    expect(report.checks.find((c) => c.name === 'keychain')).toMatchObject({ ok: true, detail: expect.stringMatching(/not used/u) });
    expect(report.backupUsable).toBe(true);
    expect(asked).toEqual(['unlock']);

    await rm(file);
    const missing = await inspectVault(typed);
    expect(missing.backupUsable).toBe(true);
  });
});
