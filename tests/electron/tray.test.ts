// The Electron side of the tray: it only renders the pure model, with the right icon file.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { Tray, nativeTheme } = await import('./electron-mock.js');
const { AppTray, toMenuTemplate, trayIconFile } = await import('../../main/electron/tray.js');
const { buildTrayMenu } = await import('../../main/core/tray-menu.js');
const { lastTest, NOW, publicToken } = await import('../helpers/tokens.js');

const ASSETS = new URL('../../assets/', import.meta.url).pathname;

function pngSize(file: string): [number, number] {
  const buf = readFileSync(file);
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

describe('tray rendering', () => {
  it('turns the model into native items whose clicks dispatch the action', () => {
    const dispatch = vi.fn();
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [publicToken({ label: 'R&D site', lastTest: lastTest() })], now: NOW });
    const template = toMenuTemplate(model.items, dispatch, 'linux');
    expect(template[0]).toMatchObject({ label: 'Test all', enabled: true });
    (template[0]!.click as () => void)();
    expect(dispatch).toHaveBeenCalledWith({ type: 'testAll' });
    const sub = template.find((i) => Array.isArray(i.submenu))!;
    // '&' would become a mnemonic on Linux and Windows menus.
    expect(sub.label).toBe('R&&D site — valid · 5 min ago');
    const copy = (sub.submenu as { label: string; click?: () => void }[]).find((i) => i.label === 'Copy')!;
    copy.click!();
    expect(dispatch).toHaveBeenLastCalledWith({ type: 'copy', id: 'tok0000001' });
    expect(template.filter((i) => i.type === 'separator').length).toBeGreaterThan(0);
    expect(template.find((i) => i.label === 'Acme')).toMatchObject({ enabled: false });
    expect(toMenuTemplate(model.items, dispatch, 'darwin').find((i) => Array.isArray(i.submenu))!.label).toBe('R&D site — valid · 5 min ago');
  });

  it('shows the icon for the overall health, light or dark', () => {
    Tray.instances.length = 0;
    const tray = new AppTray(ASSETS, vi.fn());
    const native = Tray.instances[0]!;
    expect(native.image).toEqual({ path: `${ASSETS}tray-locked-light.png` });
    tray.render(buildTrayMenu({ vault: 'unlocked', tokens: [publicToken({ lastTest: lastTest({ ok: false, httpStatus: 401 }) })], now: NOW }));
    expect(native.image).toEqual({ path: `${ASSETS}tray-failing-light.png` });
    expect(native.tooltip).toBe('Webflow Token Vault: 1 token, 1 failing');
    nativeTheme.shouldUseDarkColors = true;
    tray.render(buildTrayMenu({ vault: 'unlocked', tokens: [], now: NOW }));
    expect(native.image).toEqual({ path: `${ASSETS}tray-ok-dark.png` });
    nativeTheme.shouldUseDarkColors = false;
  });

  it('has every tray image (1x and 2x, light and dark) and a 512 px app icon in assets/', () => {
    for (const icon of ['ok', 'warning', 'failing', 'locked'] as const) {
      for (const dark of [false, true]) {
        const file = trayIconFile(ASSETS, icon, dark);
        expect(existsSync(file), file).toBe(true);
        expect(pngSize(file)).toEqual([16, 16]);
        expect(pngSize(file.replace('.png', '@2x.png'))).toEqual([32, 32]);
      }
    }
    expect(pngSize(`${ASSETS}icon.png`)).toEqual([512, 512]);
  });
});
