// The Electron entry point with every Electron API faked: start-up order, single instance, the IPC
// wiring through the sender check, lock on screen lock, and quit clearing the clipboard.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'wfv-main-'));

vi.mock('electron', async () => (await import('./electron-mock.js')));
vi.mock('../../main/vault/vault.js', async () => ({ Vault: (await import('../helpers/fake-vault.js')).FakeVault }));
vi.mock('../../main/vault/keychain.js', () => ({ OsKeychain: class {} }));
vi.mock('../../main/vault/paths.js', () => ({ resolveVaultDir: () => dir }));

const electron = await import('./electron-mock.js');
const { app, BrowserWindow, clipboard, ipcMain, powerMonitor, protocol, Tray } = electron;
const SECRET = 'f'.repeat(64);

async function flush() {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

describe('Electron main', () => {
  it('registers the app:// scheme and takes the single-instance lock before ready', async () => {
    await import('../../main/electron/main.js');
    expect(app.name).toBe('Webflow Token Vault');
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(protocol.handle).not.toHaveBeenCalled();
    expect(BrowserWindow.instances).toHaveLength(0);

    app.fireReady();
    await flush();
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(ipcMain.handlers.size).toBeGreaterThan(0);
    expect(BrowserWindow.instances).toHaveLength(1);
    expect(Tray.instances.length).toBeGreaterThan(0);
  });

  it('answers the window but not a foreign frame', async () => {
    const win = BrowserWindow.instances[0]!;
    const trusted = { senderFrame: win.webContents.mainFrame };
    const status = ipcMain.handlers.get('vault:status')!;
    expect(await status(trusted, {})).toMatchObject({ ok: true, value: { state: 'uninitialized', path: join(dir, 'vault.wfv') } });
    const foreign = { senderFrame: { url: 'https://evil.example/', origin: 'https://evil.example', parent: null, top: null } };
    expect(await status(foreign, {})).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(await status({ senderFrame: null }, {})).toMatchObject({ ok: false });
  });

  it('a second launch focuses the existing window', () => {
    const win = BrowserWindow.instances[0]!;
    win.hide();
    win.focused = false;
    app.emit('second-instance');
    expect(win.visible).toBe(true);
    expect(win.focused).toBe(true);
    expect(BrowserWindow.instances).toHaveLength(1);
  });

  it('locks the vault when the screen locks', async () => {
    const win = BrowserWindow.instances[0]!;
    const call = (channel: string, payload: unknown) => ipcMain.handlers.get(channel)!({ senderFrame: win.webContents.mainFrame }, payload);
    expect(await call('vault:init', { mode: 'passphrase', passphrase: 'main test pw' })).toMatchObject({ ok: true });
    powerMonitor.emit('lock-screen');
    await flush();
    expect(await call('vault:status', {})).toMatchObject({ value: { state: 'locked' } });
    expect(await call('vault:unlock', { passphrase: 'main test pw' })).toMatchObject({ value: { state: 'unlocked' } });
  });

  it('applies the launch-at-login setting through setLoginItemSettings when it changes', async () => {
    const win = BrowserWindow.instances[0]!;
    const call = (channel: string, payload: unknown) => ipcMain.handlers.get(channel)!({ senderFrame: win.webContents.mainFrame }, payload);
    app.isPackaged = true;
    app.setLoginItemSettings.mockClear();
    try {
      expect(await call('settings:set', { launchAtLogin: true })).toMatchObject({ ok: true, value: { settings: { launchAtLogin: true } } });
      expect(app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }]]);
      expect(await call('settings:set', { launchAtLogin: false })).toMatchObject({ ok: true });
      expect(app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }], [{ openAtLogin: false }]]);
    } finally {
      app.isPackaged = false;
    }
  });

  it('closing the window hides it to the tray', () => {
    const win = BrowserWindow.instances[0]!;
    win.show();
    const event = { preventDefault: vi.fn() };
    win.emit('close', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(win.visible).toBe(false);
  });

  it('quitting clears the token the app put on the clipboard', async () => {
    const win = BrowserWindow.instances[0]!;
    const call = (channel: string, payload: unknown) => ipcMain.handlers.get(channel)!({ senderFrame: win.webContents.mainFrame }, payload);
    const added = (await call('tokens:add', { label: 'Quit test', secret: SECRET, offline: true })) as { value: { token: { id: string } } };
    expect(await call('tokens:copy', { id: added.value.token.id })).toEqual({ ok: true, value: { clearsInSeconds: 30 } });
    expect(clipboard.text).toBe(SECRET);
    const quitting = vi.fn();
    app.on('quit', quitting);
    app.quit();
    expect(quitting).not.toHaveBeenCalled();
    await flush();
    expect(clipboard.text).toBe('');
    expect(quitting).toHaveBeenCalledTimes(1);
  });
});
