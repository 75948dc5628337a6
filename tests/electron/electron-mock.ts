// A stand-in for the `electron` module in unit tests (vi.mock('electron', ...)). Requiring the real
// package from Node would try to download the Electron binary; these fakes record what the glue
// asked Electron to do.
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

export class FakeEmitter {
  listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener) {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener) {
    this.listeners.set(event, (this.listeners.get(event) ?? []).filter((l) => l !== listener));
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

export class FakeWebContents extends FakeEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  sent: [string, unknown][] = [];
  mainFrame = { url: 'app://vault/index.html', origin: 'app://vault', parent: null, top: null };
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
}

export class BrowserWindow extends FakeEmitter {
  static instances: BrowserWindow[] = [];
  webContents = new FakeWebContents();
  loadedUrl: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string) {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  visible = false;
  focused = false;
  maximize() {}
  show() {
    this.visible = true;
  }
  hide() {
    this.visible = false;
  }
  focus() {
    this.focused = true;
  }
  restore() {}
  destroy() {}
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  getNormalBounds() {
    return { x: 10, y: 20, width: 900, height: 600 };
  }
}

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };

export const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };

export const shell = { openExternal: vi.fn(async () => undefined), openPath: vi.fn(async (_path: string) => '') };

export class ClipboardItem {
  constructor(readonly items: Record<string, unknown>) {}
  get types() {
    return Object.keys(this.items);
  }
}

export const clipboard = {
  written: [] as ClipboardItem[][],
  text: '',
  write: vi.fn(async (items: ClipboardItem[]) => {
    clipboard.written.push(items);
    clipboard.text = String(items[0]?.items['text/plain'] ?? '');
  }),
  readText: vi.fn(async () => clipboard.text),
  clear: vi.fn(() => {
    clipboard.text = '';
  }),
};

export class Notification {
  static shown: { title: string; body: string }[] = [];
  static isSupported = () => true;
  constructor(readonly options: { title: string; body: string }) {}
  show() {
    Notification.shown.push({ title: this.options.title, body: this.options.body });
  }
}

export const nativeImage = { createFromPath: (path: string) => ({ path }) };
export const nativeTheme = { shouldUseDarkColors: false };

export const Menu = { buildFromTemplate: (template: unknown[]) => ({ template }) };

export class Tray {
  static instances: Tray[] = [];
  image: unknown;
  tooltip = '';
  menu: unknown = null;
  constructor(image: unknown) {
    this.image = image;
    Tray.instances.push(this);
  }
  setImage(image: unknown) {
    this.image = image;
  }
  setToolTip(tooltip: string) {
    this.tooltip = tooltip;
  }
  setContextMenu(menu: unknown) {
    this.menu = menu;
  }
  destroy() {}
}

export const ipcMain = { handlers: new Map<string, Listener>(), handle: vi.fn((channel: string, fn: Listener) => ipcMain.handlers.set(channel, fn)) };

export const ipcRenderer = Object.assign(new FakeEmitter(), { invoke: vi.fn(async (_channel: string, _payload: unknown): Promise<unknown> => ({ ok: true, value: {} })) });

export const contextBridge = { exposed: new Map<string, unknown>(), exposeInMainWorld: vi.fn((key: string, api: unknown) => contextBridge.exposed.set(key, api)) };

export class FakeSession {
  permissionRequest: Listener | null = null;
  permissionCheck: Listener | null = null;
  devicePermission: Listener | null = null;
  setPermissionRequestHandler(h: Listener) {
    this.permissionRequest = h;
  }
  setPermissionCheckHandler(h: Listener) {
    this.permissionCheck = h;
  }
  setDevicePermissionHandler(h: Listener) {
    this.devicePermission = h;
  }
}
export const session = { defaultSession: new FakeSession() };

class FakeApp extends FakeEmitter {
  name = '';
  singleInstance = true;
  quitCalls = 0;
  isPackaged = false;
  setLoginItemSettings = vi.fn((_settings: { openAtLogin?: boolean }) => undefined);
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.readyResolve = resolve));
  setName(name: string) {
    this.name = name;
  }
  requestSingleInstanceLock() {
    return this.singleInstance;
  }
  whenReady() {
    return this.ready;
  }
  fireReady() {
    this.readyResolve();
  }
  quit() {
    this.quitCalls++;
    // Like Electron: before-quit listeners may cancel the quit.
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.emit('quit');
  }
  exit() {}
}
export const app = new FakeApp();
export const dialog = { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) };
export const powerMonitor = new FakeEmitter();
export const systemPreferences = {
  canPromptTouchID: vi.fn(() => false),
  promptTouchID: vi.fn(async (_reason: string): Promise<void> => undefined),
};
