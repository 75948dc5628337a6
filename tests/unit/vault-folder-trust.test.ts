// A vault folder others control is refused: one that belongs to another user, one that group or
// others may write to, and one inside a folder they may write to that has no sticky bit. The
// refusal names the folder and the way out; --allow-shared-dir (allowSharedDir) lets it be used.
import { chmod, chown, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inspectVault } from '../../main/vault/doctor.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';

const posix = process.platform !== 'win32';
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('vault-folder-trust: the other-owner case is skipped, chown needs root');

let root: string;
let keychain: MemoryKeychain;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'wfvault-trust-'));
  keychain = new MemoryKeychain();
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const vaultIn = (dir: string, allowSharedDir = false) => new Vault({ dir, keychain, getPassphrase: async () => 'unused passphrase', allowSharedDir });

async function made(dir: string): Promise<Vault> {
  const v = vaultIn(dir, true);
  await v.init('keychain');
  return v;
}

describe.runIf(posix)('vault folders that others control', () => {
  it('refuses a folder writable by group or others, with the reason and the way out', async () => {
    const dir = path.join(root, 'v');
    await made(dir);
    await chmod(dir, 0o770);
    await expect(vaultIn(dir).read()).rejects.toMatchObject({ code: 'vault_io', message: expect.stringMatching(/can be written by its group .*--allow-shared-dir/su) });
    await chmod(dir, 0o707);
    await expect(vaultIn(dir).update(() => undefined)).rejects.toMatchObject({ message: expect.stringMatching(/can be written by everyone/u) });
    expect((await vaultIn(dir, true).read()).tokens).toEqual([]);
    const status = await vaultIn(dir).status();
    expect(status.warnings[0]).toMatch(/will not be opened: the vault folder .* can be written by everyone/u);
    const report = await inspectVault({ dir, keychain, getPassphrase: async () => 'unused passphrase' });
    expect(report.checks.find((c) => c.name === 'folder owner')).toMatchObject({ ok: false });
  });

  it('refuses a vault inside a folder others may write to without the sticky bit, accepts one with it', async () => {
    const shared = path.join(root, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o777);
    const dir = path.join(shared, 'v');
    await expect(vaultIn(dir).init('keychain')).rejects.toMatchObject({ message: expect.stringMatching(/inside .*shared, which its group and everyone can write to .* no sticky bit/u) });
    await chmod(shared, 0o1777); // as /tmp
    await vaultIn(dir).init('keychain');
    expect((await vaultIn(dir).read()).tokens).toEqual([]);
  });

  it.runIf(isRoot)('refuses a vault folder that belongs to another user', async () => {
    const dir = path.join(root, 'v');
    await made(dir);
    await chown(dir, 65534, 65534);
    await expect(vaultIn(dir).read()).rejects.toMatchObject({ message: expect.stringMatching(/belongs to another user \(uid 65534\)/u) });
    expect((await vaultIn(dir, true).read()).tokens).toEqual([]);
  });

  it('tells once, on first use, what is loose about the folder', async () => {
    const dir = path.join(root, 'v');
    await made(dir);
    await chmod(dir, 0o750);
    const told: string[] = [];
    const v = new Vault({ dir, keychain, getPassphrase: async () => 'unused passphrase', onWarning: (m) => told.push(m) });
    await v.read();
    await v.read();
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/can be read by other users/u);
  });
});
