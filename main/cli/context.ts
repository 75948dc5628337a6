// Builds the services' dependencies from the command line and the environment.
import type { ServiceDeps } from '../services/deps.js';
import { OsKeychain } from '../vault/keychain.js';
import { resolveVaultDir } from '../vault/paths.js';
import { Vault, type VaultOptions } from '../vault/vault.js';
import { webflowConfigFromEnv } from '../webflow/config.js';
import { info } from './style.js';
import { readPassphrase } from './terminal-input.js';

export interface GlobalOptions {
  vaultDir?: string;
  json?: boolean;
}

/** What every vault the CLI opens shares: where it is, the keychain, and how it tells of waits. */
export function vaultOptions(options: GlobalOptions, command?: string): VaultOptions {
  return {
    dir: resolveVaultDir(options.vaultDir),
    keychain: new OsKeychain(),
    getPassphrase: readPassphrase,
    onLockWait: (message) => info(message),
    lockOwner: command ? `wfvault ${command}` : 'wfvault',
  };
}

export function buildDeps(options: GlobalOptions, command?: string): ServiceDeps {
  const vault = new Vault(vaultOptions(options, command));
  return { vault, webflow: webflowConfigFromEnv(), now: () => new Date() };
}
