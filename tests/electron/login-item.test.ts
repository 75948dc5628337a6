// The OS login item: set through Electron by a packaged app, left alone by an unpackaged run.
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { app } = await import('./electron-mock.js');
const { electronLoginItem } = await import('../../main/electron/login-item.js');

describe('login item', () => {
  afterEach(() => {
    app.isPackaged = false;
    app.setLoginItemSettings.mockClear();
  });

  it('a packaged app sets openAtLogin on and off', () => {
    app.isPackaged = true;
    electronLoginItem.setOpenAtLogin(true);
    electronLoginItem.setOpenAtLogin(false);
    expect(app.setLoginItemSettings.mock.calls).toEqual([[{ openAtLogin: true }], [{ openAtLogin: false }]]);
  });

  it('an unpackaged run does not register the bare Electron binary', () => {
    electronLoginItem.setOpenAtLogin(true);
    expect(app.setLoginItemSettings).not.toHaveBeenCalled();
  });
});
