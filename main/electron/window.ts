// The one app window. Its security options are written out literally so anyone (and any scanner)
// reading this file sees them; the preload is the only bridge to main.
import { app, BrowserWindow, screen } from 'electron';
import { launchPolicy } from '../core/launch-policy.js';
import { placeWindow, MIN_SIZE, type WindowPlace } from '../core/window-bounds.js';
import { hardenWebContents, type OpenExternal } from './hardening.js';
import { APP_START_URL } from './origin.js';

export interface WindowOptions {
  preload: string;
  icon: string;
  saved: WindowPlace | null;
  openExternal: OpenExternal;
  onPlaceChanged(place: WindowPlace): void;
}

export function createMainWindow(opts: WindowOptions): BrowserWindow {
  const place = placeWindow(
    opts.saved,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    x: place.x,
    y: place.y,
    width: place.width,
    height: place.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Webflow Token Vault',
    icon: opts.icon,
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      // Middle-click (auxclick) is another way to open links in new windows; the app needs none.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      // A console inside the window is a debugging aid, not something a packaged app hands out.
      devTools: launchPolicy({ packaged: app.isPackaged, argv: process.argv, env: process.env }).devTools,
    },
  });
  hardenWebContents(win.webContents, opts.openExternal);
  if (place.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  const remember = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    const b = win.getNormalBounds();
    opts.onPlaceChanged({ x: b.x, y: b.y, width: b.width, height: b.height, maximized: win.isMaximized() });
  };
  let pending: NodeJS.Timeout | null = null;
  const soon = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(remember, 500);
  };
  win.on('resize', soon);
  win.on('move', soon);
  win.on('close', () => {
    if (pending) clearTimeout(pending);
    remember();
  });

  void win.loadURL(APP_START_URL);
  return win;
}
