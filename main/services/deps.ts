// What every use case needs. The CLI, the Electron main process and the browser harness each
// build one of these and call the same functions.
import type { Vault } from '../vault/vault.js';
import type { WebflowConfig } from '../webflow/config.js';

export interface ServiceDeps {
  vault: Vault;
  webflow: WebflowConfig;
  now: () => Date;
}
