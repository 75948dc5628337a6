// The window's security options, navigation and window-open denial, and permission refusal.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { app, BrowserWindow, FakeSession, FakeWebContents } = await import('./electron-mock.js');
const { createMainWindow } = await import('../../main/electron/window.js');
const { hardenSession, hardenWebContents } = await import('../../main/electron/hardening.js');

function makeWindow() {
  const openExternal = vi.fn(async () => true);
  const onPlaceChanged = vi.fn();
  const win = createMainWindow({ preload: '/app/dist/electron/preload.cjs', icon: '/app/assets/icon.png', saved: null, openExternal, onPlaceChanged }) as unknown as InstanceType<typeof BrowserWindow>;
  return { win, openExternal, onPlaceChanged };
}

describe('main window', () => {
  beforeEach(() => {
    BrowserWindow.instances.length = 0;
  });

  it('is created with the security baseline and loads the app origin', () => {
    const { win } = makeWindow();
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    expect(win.loadedUrl).toBe('app://vault/index.html');
    expect(win.options).toMatchObject({ show: false, width: 1100, height: 720 });
  });

  it('spells the four options literally inside new BrowserWindow({...}) for readers and scanners', () => {
    const source = readFileSync(new URL('../../main/electron/window.ts', import.meta.url), 'utf8');
    const call = source.slice(source.indexOf('new BrowserWindow({'), source.indexOf('});', source.indexOf('new BrowserWindow({')));
    for (const literal of ['contextIsolation: true,', 'sandbox: true,', 'nodeIntegration: false,', 'webSecurity: true,']) expect(call).toContain(literal);
  });

  describe('DevTools', () => {
    afterEach(() => {
      app.isPackaged = false;
      vi.unstubAllEnvs();
    });
    const devTools = () => (makeWindow().win.options.webPreferences as Record<string, unknown>).devTools;

    it('are on in an unpackaged run', () => {
      vi.stubEnv('WFVAULT_DEVTOOLS', undefined);
      expect(devTools()).toBe(true);
    });

    it('are off in a packaged app, whatever WFVAULT_DEVTOOLS says', () => {
      app.isPackaged = true;
      for (const value of [undefined, '', '0', 'true', 'yes', '1']) {
        vi.stubEnv('WFVAULT_DEVTOOLS', value);
        expect(devTools(), String(value)).toBe(false);
      }
    });
  });

  it('remembers its place when closed', () => {
    const { win, onPlaceChanged } = makeWindow();
    win.emit('close');
    expect(onPlaceChanged).toHaveBeenCalledWith({ x: 10, y: 20, width: 900, height: 600, maximized: false });
  });
});

describe('web contents hardening', () => {
  function harden() {
    const contents = new FakeWebContents();
    const openExternal = vi.fn(async () => true);
    hardenWebContents(contents as never, openExternal);
    return { contents, openExternal };
  }
  const event = () => ({ preventDefault: vi.fn() });

  it('denies every navigation; Webflow links go to the browser instead', () => {
    const { contents, openExternal } = harden();
    for (const url of ['https://evil.example/', 'app://vault/other.html', 'file:///etc/passwd', 'https://webflow.com/dashboard']) {
      const e = event();
      contents.emit('will-navigate', e, url);
      expect(e.preventDefault, url).toHaveBeenCalled();
    }
    expect(openExternal.mock.calls).toEqual([['https://webflow.com/dashboard']]);
    const r = event();
    contents.emit('will-redirect', r, 'https://evil.example/');
    expect(r.preventDefault).toHaveBeenCalled();
  });

  it('denies window.open, opening only Webflow pages in the browser', () => {
    const { contents, openExternal } = harden();
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'https://webflow.com/dashboard/sites/acme/general' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://webflow.com/dashboard/sites/acme/general']]);
  });

  it('refuses to attach webviews', () => {
    const { contents } = harden();
    const e = event();
    contents.emit('will-attach-webview', e, {}, {});
    expect(e.preventDefault).toHaveBeenCalled();
  });

  it('refuses every permission request and check', () => {
    const session = new FakeSession();
    hardenSession(session as never);
    for (const permission of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      const callback = vi.fn();
      session.permissionRequest!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(session.permissionCheck!({}, permission, 'app://vault', {})).toBe(false);
    }
    expect(session.devicePermission!({})).toBe(false);
  });
});
