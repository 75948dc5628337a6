// Where the vault lives. The default is the folder Electron's app.getPath('userData') gives the
// desktop app, so the app and the CLI share one vault; it is computed here without Electron.
import { homedir } from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Webflow Token Vault';
export const VAULT_FILE = 'vault.wfv';
export const BACKUP_FILE = 'vault.wfv.bak';

export function defaultVaultDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = homedir()): string {
  if (platform === 'win32') {
    const appData = env.APPDATA && path.win32.isAbsolute(env.APPDATA) ? env.APPDATA : path.win32.join(home, 'AppData', 'Roaming');
    return path.win32.join(appData, PRODUCT_NAME);
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const config = env.XDG_CONFIG_HOME && path.posix.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(config, PRODUCT_NAME);
}

/** `--vault-dir`, else WFVAULT_DIR, else the app's folder; always absolute. */
export function resolveVaultDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env.WFVAULT_DIR);
  if (chosen === undefined) return defaultVaultDir(env);
  return path.resolve(expandHome(chosen));
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

// The shell leaves `--vault-dir=~/x` and a quoted WFVAULT_DIR unexpanded.
function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/') || (process.platform === 'win32' && p.startsWith('~\\'))) return path.join(homedir(), p.slice(2));
  return p;
}
