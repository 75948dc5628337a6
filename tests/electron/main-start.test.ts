// Start-up of a packaged app whose keychain vault asks to launch at login: the setting reaches the
// OS as soon as the vault opens, before anyone touches the window.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'wfv-main-start-'));

vi.mock('electron', async () => (await import('./electron-mock.js')));
vi.mock('../../main/vault/vault.js', async () => {
  const { FakeVault } = await import('../helpers/fake-vault.js');
  // The vault an earlier run left: keychain mode, locked, launch at login on.
  const saved = new FakeVault({ dir, getPassphrase: async () => 'unused' });
  await saved.init('keychain');
  await saved.update((data) => {
    data.settings.launchAtLogin = true;
  });
  await saved.lock();
  return {
    Vault: function Vault() {
      return saved;
    },
  };
});
vi.mock('../../main/vault/keychain.js', () => ({ OsKeychain: class {} }));
vi.mock('../../main/vault/paths.js', () => ({ resolveVaultDir: () => dir }));

const { app } = await import('./electron-mock.js');

async function flush() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('Electron main at start-up', () => {
  it('applies launch at login from the vault it opens', async () => {
    app.isPackaged = true;
    await import('../../main/electron/main.js');
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
    app.fireReady();
    await flush();
    expect(app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }]]);
  });
});
