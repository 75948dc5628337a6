// Renders the pure tray model (core/tray-menu.ts) into Electron's Tray. No decisions here beyond
// platform spelling: which icon file, and escaping '&' where menus treat it as a mnemonic.
import { join } from 'node:path';
import { Menu, nativeImage, nativeTheme, Tray, type MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayIcon, TrayItem, TrayModel } from '../core/tray-menu.js';

export function trayIconFile(assetsDir: string, icon: TrayIcon, dark: boolean): string {
  // "dark" images are light glyphs for dark panels, and the other way round.
  return join(assetsDir, `tray-${icon}-${dark ? 'dark' : 'light'}.png`);
}

export function toMenuTemplate(items: readonly TrayItem[], dispatch: (action: TrayAction) => void, platform: NodeJS.Platform): MenuItemConstructorOptions[] {
  const label = (text: string) => (platform === 'darwin' ? text : text.replace(/&/g, '&&'));
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'info':
        return { label: label(item.label), enabled: false };
      case 'submenu':
        return { label: label(item.label), submenu: toMenuTemplate(item.items, dispatch, platform) };
      case 'action':
        return { label: label(item.label), enabled: item.enabled, click: () => dispatch(item.action) };
    }
  });
}

export class AppTray {
  private readonly tray: Tray;

  constructor(
    private readonly assetsDir: string,
    private readonly dispatch: (action: TrayAction) => void,
  ) {
    this.tray = new Tray(nativeImage.createFromPath(trayIconFile(assetsDir, 'locked', nativeTheme.shouldUseDarkColors)));
  }

  render(model: TrayModel): void {
    const image = nativeImage.createFromPath(trayIconFile(this.assetsDir, model.icon, nativeTheme.shouldUseDarkColors));
    this.tray.setImage(image);
    this.tray.setToolTip(model.tooltip);
    this.tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(model.items, this.dispatch, process.platform)));
  }

  destroy(): void {
    this.tray.destroy();
  }
}
