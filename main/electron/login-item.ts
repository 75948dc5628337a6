// The OS login item through Electron. Only a packaged app registers itself: an unpackaged run would
// register the bare Electron binary, which starts Electron's default app at login instead of this one.
// Electron supports login items on macOS and Windows; elsewhere the call does nothing.
import { app } from 'electron';
import type { LoginItemPort } from '../services/app-ports.js';

export const electronLoginItem: LoginItemPort = {
  setOpenAtLogin(openAtLogin) {
    if (app.isPackaged) app.setLoginItemSettings({ openAtLogin });
  },
};
