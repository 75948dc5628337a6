// The default vault folder matches Electron's userData for the app, so the desktop app and the CLI
// open the same vault; --vault-dir and WFVAULT_DIR override it.
import { homedir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultVaultDir, resolveVaultDir } from '../../main/vault/paths.js';

describe('vault folder', () => {
  it('is Electron userData for "Webflow Token Vault" on each platform', () => {
    expect(defaultVaultDir({}, 'linux', '/home/ada')).toBe('/home/ada/.config/Webflow Token Vault');
    expect(defaultVaultDir({ XDG_CONFIG_HOME: '/cfg' }, 'linux', '/home/ada')).toBe('/cfg/Webflow Token Vault');
    expect(defaultVaultDir({ XDG_CONFIG_HOME: 'relative/cfg' }, 'linux', '/home/ada')).toBe('/home/ada/.config/Webflow Token Vault');
    expect(defaultVaultDir({ XDG_CONFIG_HOME: '' }, 'freebsd', '/home/ada')).toBe('/home/ada/.config/Webflow Token Vault');
    expect(defaultVaultDir({ XDG_CONFIG_HOME: '/cfg' }, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Webflow Token Vault');
    expect(defaultVaultDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\Webflow Token Vault');
    expect(defaultVaultDir({}, 'win32', 'C:\\Users\\ada')).toBe('C:\\Users\\ada\\AppData\\Roaming\\Webflow Token Vault');
  });

  it('takes --vault-dir first, then WFVAULT_DIR, then the default, always absolute', () => {
    const env = { WFVAULT_DIR: '/from/env', XDG_CONFIG_HOME: '/cfg' };
    expect(resolveVaultDir('/from/flag', env)).toBe('/from/flag');
    expect(resolveVaultDir(undefined, env)).toBe('/from/env');
    expect(resolveVaultDir('', env)).toBe('/from/env');
    expect(resolveVaultDir(undefined, { WFVAULT_DIR: '  ' })).toBe(defaultVaultDir({ WFVAULT_DIR: '  ' }));
    expect(resolveVaultDir('rel/dir', {})).toBe(path.resolve('rel/dir'));
    expect(resolveVaultDir('~/vaults/w', {})).toBe(path.join(homedir(), 'vaults/w'));
    if (process.platform === 'linux') expect(resolveVaultDir(undefined, { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/Webflow Token Vault');
  });
});
