// A packaged app started with a debugger switch quits before it opens a vault or a window, with
// app.isPackaged mocked the way an installed build reports it.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));
const vaultCreated = vi.fn();
vi.mock('../../main/vault/vault.js', () => ({
  Vault: function Vault() {
    vaultCreated();
  },
}));
vi.mock('../../main/vault/keychain.js', () => ({ OsKeychain: class {} }));

const { app, BrowserWindow, dialog } = await import('./electron-mock.js');

describe('packaged Electron main', () => {
  it('quits on --remote-debugging-port before anything starts', async () => {
    app.isPackaged = true;
    const exit = vi.spyOn(app, 'exit');
    const argv = process.argv;
    process.argv = [...argv, '--remote-debugging-port=9222'];
    try {
      await import('../../main/electron/main.js');
    } finally {
      process.argv = argv;
    }
    app.fireReady();
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(exit).toHaveBeenCalledWith(1);
    expect(dialog.showErrorBox).toHaveBeenCalledWith('Webflow Token Vault', expect.stringContaining('--remote-debugging-port'));
    expect(vaultCreated).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);
  });
});
