// `doctor`: what is wrong, whether the backup would help, and putting the backup back without
// ever deleting the file it replaces.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { newTokenRecord } from '../../main/core/records.js';
import { inspectVault, restoreBackup } from '../../main/vault/doctor.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { BACKUP_FILE, VAULT_FILE } from '../../main/vault/paths.js';
import { Vault, type VaultOptions } from '../../main/vault/vault.js';

let root: string;
let opts: VaultOptions;
let keychain: MemoryKeychain;
let file: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wfvault-doctor-'));
  keychain = new MemoryKeychain();
  opts = { dir: path.join(root, 'v'), keychain, getPassphrase: async () => 'correct horse battery staple' };
  file = path.join(opts.dir, VAULT_FILE);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function withTokens(...labels: string[]): Promise<Vault> {
  const v = new Vault(opts);
  await v.init('keychain');
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

  it('says so when there is no backup', async () => {
    await withTokens();
    await tamper();
    await expect(restoreBackup(opts)).rejects.toMatchObject({ code: 'not_found' });
  });
});
