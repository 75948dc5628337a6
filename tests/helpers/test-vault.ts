// The real Vault for browser end-to-end tests, in a temp folder, with the OS keychain (inside
// scripts/with-test-keyring.sh's private gnome-keyring) or the in-memory keychain.
import type { PassphraseBroker } from '../../main/services/app-passphrase.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { MemoryKeychain, OsKeychain, type Keychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';

/**
 * The lowest scrypt cost a vault header may carry: tests that are not about the key derivation
 * create passphrase vaults with it, so a busy machine does not spend seconds per unlock. A wrong
 * passphrase on such a vault reads as a tampered header (wfvault writes only its defaults), so
 * tests of the wrong-passphrase path ask for the production cost.
 */
export const TEST_SCRYPT_COST = { N: 2 ** 10, r: 8, p: 1 } as const;

export function makeVault(
  dir: string,
  passphrase: PassphraseBroker,
  keychain: 'os' | 'memory' | Keychain = 'os',
  scrypt: 'test' | 'production' = 'test',
): ServiceDeps['vault'] {
  const chain = keychain === 'os' ? new OsKeychain() : keychain === 'memory' ? new MemoryKeychain() : keychain;
  return new Vault({ dir, keychain: chain, getPassphrase: passphrase.getPassphrase, ...(scrypt === 'test' ? { testOnlyScryptCost: TEST_SCRYPT_COST } : {}) });
}
