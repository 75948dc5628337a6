// Builds the services' dependencies from the command line and the environment.
import { readFileSync } from 'node:fs';
import { AppError } from '../core/errors.js';
import type { ServiceDeps } from '../services/deps.js';
import { OsKeychain } from '../vault/keychain.js';
import { resolveVaultDir } from '../vault/paths.js';
import { Vault, type VaultOptions } from '../vault/vault.js';
import { webflowConfigFromEnv } from '../webflow/config.js';
import { info, warn } from './style.js';
import { readPassphrase } from './terminal-input.js';

export interface GlobalOptions {
  vaultDir?: string;
  json?: boolean;
  allowSharedDir?: boolean;
}

/** What every vault the CLI opens shares: where it is, the keychain, and how it tells of waits. */
export function vaultOptions(options: GlobalOptions, command?: string): VaultOptions {
  return {
    dir: resolveVaultDir(options.vaultDir),
    // Ctrl-C or a SIGTERM while the keychain is asked ends the command at once (130 / 143).
    keychain: new OsKeychain({ exitOnSignal: true }),
    getPassphrase: readPassphrase,
    onLockWait: (message) => info(message),
    onWarning: (message) => warn(message),
    allowSharedDir: Boolean(options.allowSharedDir) || process.env.WFVAULT_ALLOW_SHARED_DIR === '1',
    lockOwner: command ? `wfvault ${command}` : 'wfvault',
  };
}

export function buildDeps(options: GlobalOptions, command?: string): ServiceDeps {
  const opts = vaultOptions(options, command);
  const vault = new Vault(opts);
  return { vault, webflow: webflowConfigFromEnv(), now: () => new Date(), keychain: opts.keychain, teamIdentity: teamIdentityFromEnv };
}

let identityFd: number | null = null;

/** `--identity-fd N`: the team identity is read from that descriptor (once) instead of a file. */
export function setTeamIdentityFd(fd: number): void {
  identityFd = fd;
}

let identityText: string | null | undefined;

/** WFVAULT_TEAM_IDENTITY_FILE or --identity-fd: a team member's age identity for CI runs without a keychain. */
function teamIdentityFromEnv(): string | null {
  if (identityText !== undefined) return identityText;
  const file = process.env.WFVAULT_TEAM_IDENTITY_FILE;
  try {
    if (identityFd !== null) identityText = readFileSync(identityFd, 'utf8');
    else identityText = file ? readFileSync(file, 'utf8') : null;
  } catch (e) {
    const where = identityFd !== null ? `descriptor ${identityFd}` : `WFVAULT_TEAM_IDENTITY_FILE (${file})`;
    throw new AppError('usage', `Could not read the team identity from ${where}: ${(e as NodeJS.ErrnoException).code ?? 'unreadable'}.`);
  }
  return identityText;
}
