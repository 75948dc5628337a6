// Builds the services' dependencies from the command line and the environment.
import type { ServiceDeps } from '../services/deps.js';
import { OsKeychain } from '../vault/keychain.js';
import { resolveVaultDir } from '../vault/paths.js';
import { Vault } from '../vault/vault.js';
import { webflowConfigFromEnv } from '../webflow/config.js';
import { readPassphrase } from './terminal-input.js';

export interface GlobalOptions {
  vaultDir?: string;
  json?: boolean;
}

export function buildDeps(options: GlobalOptions): ServiceDeps {
  const vault = new Vault({
    dir: resolveVaultDir(options.vaultDir),
    keychain: new OsKeychain(),
    getPassphrase: readPassphrase,
  });
  return { vault, webflow: webflowConfigFromEnv(), now: () => new Date() };
}
