// What every use case needs. The CLI, the Electron main process and the browser harness each
// build one of these and call the same functions.
import type { Keychain } from '../vault/keychain.js';
import type { Vault } from '../vault/vault.js';
import type { WebflowConfig } from '../webflow/config.js';

export interface ServiceDeps {
  vault: Vault;
  webflow: WebflowConfig;
  now: () => Date;
  /** The keychain that holds team members' keys; the OS keychain when absent. */
  keychain?: Keychain;
  /** An age identity for team tokens given to this run (CI), instead of the keychain. */
  teamIdentity?: () => string | null;
  /** Set by `--team NAME`: token lookups for local use (exec, run, reveal) read that team's tokens. */
  team?: string;
}
