// Passphrase vaults are created at the production scrypt cost unless a test asks for less through
// the constructor; the cost is stored in the header either way, so opening never depends on it.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCRYPT_DEFAULTS, parseVaultFile } from '../../main/vault/format.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { VAULT_FILE } from '../../main/vault/paths.js';
import { Vault } from '../../main/vault/vault.js';
import { TEST_SCRYPT_COST } from '../helpers/test-vault.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wfv-cost-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const getPassphrase = async () => 'correct horse battery staple';
const kdfOf = async () => parseVaultFile(await readFile(path.join(dir, VAULT_FILE))).header.kdf;

describe('scrypt cost of new passphrase vaults', () => {
  it('is the production default when nothing asks otherwise', async () => {
    await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase }).init('passphrase');
    expect(await kdfOf()).toMatchObject(SCRYPT_DEFAULTS);
  });

  it('is the lower test cost when a test constructs the vault with it, and such a vault opens without it', async () => {
    await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase, testOnlyScryptCost: TEST_SCRYPT_COST }).init('passphrase');
    expect(await kdfOf()).toMatchObject(TEST_SCRYPT_COST);
    const reopened = new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase });
    expect((await reopened.read()).tokens).toEqual([]);
  });
});
