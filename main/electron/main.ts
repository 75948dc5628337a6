// Electron entry point: wires the ports to Electron and hands everything else to the app session.
// Order matters: the app:// scheme is registered and the single-instance lock taken before `ready`.
import { app, BrowserWindow, dialog, ipcMain, powerMonitor, session as electronSession } from 'electron';
import { isAppError } from '../core/errors.js';
import { launchPolicy } from '../core/launch-policy.js';
import { APP_NAME } from '../core/tray-menu.js';
import { EVENTS } from '../../preload/contract.js';
import { PassphraseBroker } from '../services/app-passphrase.js';
import { createOAuthPort } from '../services/app-oauth.js';
import { realTimers, type EventPort } from '../services/app-ports.js';
import { createAppSession, type AppSession } from '../services/app-session.js';
import { bundledCliScript, installCliCommand } from '../services/cli-install.js';
import type { TrayUi } from '../services/app-tray-actions.js';
import { OsKeychain } from '../vault/keychain.js';
import { resolveVaultDir } from '../vault/paths.js';
import { Vault } from '../vault/vault.js';
import { webflowConfigFromEnv } from '../webflow/config.js';
import { electronClipboard } from './clipboard.js';
import { openExternalSafe, openLocalPage } from './external.js';
import { hardenSession } from './hardening.js';
import { registerIpc } from './ipc.js';
import { electronLoginItem } from './login-item.js';
import { electronNotifier } from './notifier.js';
import { electronPresence } from './presence.js';
import { APP_ICON, ASSETS_DIR, PLACEHOLDER_HTML, PRELOAD_FILE, RENDERER_DIR } from './paths.js';
import { installAppProtocol, registerAppScheme } from './protocol.js';
import { AppTray } from './tray.js';
import { loadWindowPlace, saveWindowPlace } from './window-state.js';
import { createMainWindow } from './window.js';

app.setName(APP_NAME);
registerAppScheme();

let win: BrowserWindow | null = null;
let tray: AppTray | null = null;
let quitting = false;
/** Mirrors the `trayOnClose` setting, which lives in the vault and cannot be read synchronously. */
let hideOnClose = true;
let showWindow: () => void = () => undefined;

// Decided before anything else runs: a packaged app started with a debugger switch quits at once.
const policy = launchPolicy({ packaged: app.isPackaged, argv: process.argv, env: process.env });

if (policy.refuse) {
  log(policy.refuse);
  dialog.showErrorBox(APP_NAME, policy.refuse);
  app.exit(1);
} else if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => showWindow());
  app.on('activate', () => showWindow());
  void app.whenReady().then(start).catch((e: unknown) => {
    // Nothing secret is loaded before start-up completes, so the error itself is safe to log.
    log(`start-up failed: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    dialog.showErrorBox(APP_NAME, `The app could not start: ${isAppError(e) ? e.message : 'an unexpected error (details in the log)'}.`);
    app.exit(1);
  });
}

function log(message: string): void {
  process.stderr.write(`[wfvault] ${message}\n`);
}

async function start(): Promise<void> {
  const dir = resolveVaultDir();
  const passphrase = new PassphraseBroker();
  // A person may be answering the OS's "unlock keychain" or "allow access" prompt: wait for them
  // far longer than the CLI does. A keychain that does not answer at all (a hung daemon or bus)
  // still fails within WFVAULT_KEYCHAIN_TIMEOUT_MS, so the window says so instead of waiting.
  const vault = new Vault({ dir, keychain: new OsKeychain({ timeoutMs: 120_000 }), getPassphrase: passphrase.getPassphrase });
  for (const name of policy.ignored) log(`ignored ${name}: development switches do not apply to the installed app`);
  const deps = { vault, webflow: webflowConfigFromEnv(policy.webflowEnv), now: () => new Date() };
  const events: EventPort = {
    emit(channel, payload) {
      if (!win || win.isDestroyed()) return;
      // Parsed on the way out too, so an event can never carry a key its schema does not name.
      const parsed = EVENTS[channel].safeParse(payload);
      if (parsed.success) win.webContents.send(channel, parsed.data);
      else log(`dropped a malformed ${channel} event`);
    },
  };
  const appSession = createAppSession(
    deps,
    {
      clipboard: electronClipboard(),
      notifier: electronNotifier,
      opener: { open: openExternalSafe, openFile: openLocalPage },
      events,
      timers: realTimers,
      passphrase,
      oauth: createOAuthPort(deps),
      loginItem: electronLoginItem,
      presence: electronPresence,
      cliCommand: { install: ({ replace }) => installCliCommand({ cliScript: bundledCliScript(app.getAppPath()), replace }) },
    },
    { warn: log },
  );
  showWindow = () => openWindow(dir);

  hardenSession(electronSession.defaultSession);
  installAppProtocol(RENDERER_DIR, PLACEHOLDER_HTML);
  registerIpc(ipcMain, (channel, payload) => appSession.call(channel, payload), () => win?.webContents.mainFrame);

  powerMonitor.on('lock-screen', () => void appSession.autoLock.systemLocked());
  powerMonitor.on('suspend', () => void appSession.autoLock.systemLocked());

  const ui = trayUi();
  try {
    tray = new AppTray(ASSETS_DIR, (action) => void appSession.trayAction(action, ui));
  } catch (e) {
    log(`no tray: ${e instanceof Error ? e.message : 'unknown error'}`);
  }
  // A refresh can take a while (every team token is decrypted): one that finishes after a newer
  // one must not put its older menu back.
  let asked = 0;
  let rendered = 0;
  const refresh = () => {
    const mine = ++asked;
    appSession.trayModel().then(
      (model) => {
        if (mine < rendered) return;
        rendered = mine;
        tray?.render(model);
      },
      (e: unknown) => log(`tray refresh failed: ${e instanceof Error ? e.name : 'unknown'}`),
    );
    appSession.handlers['settings:get']({}).then(
      ({ settings }) => (hideOnClose = settings.trayOnClose),
      () => undefined,
    );
  };
  appSession.onVaultChanged(refresh);
  // Ages in the menu ("5 min ago") and expiry warnings move with time, not only with changes.
  setInterval(refresh, 60_000).unref();

  // Opening a keychain vault here also applies the settings kept in it: auto-lock and the login item.
  await appSession.start();
  refresh();
  showWindow();
  installQuit(appSession);
  if (process.env.WFVAULT_E2E === '1') {
    // Lets the end-to-end test see the tray, which Playwright cannot reach otherwise.
    (globalThis as { __wfvaultE2E?: unknown }).__wfvaultE2E = { hasTray: () => tray !== null };
  }
}

function openWindow(dir: string): void {
  if (win && !win.isDestroyed()) {
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
    return;
  }
  win = createMainWindow({
    preload: PRELOAD_FILE,
    icon: APP_ICON,
    saved: loadWindowPlace(dir),
    openExternal: openExternalSafe,
    onPlaceChanged: (place) => void saveWindowPlace(dir, place),
  });
  win.on('close', (event) => {
    if (quitting || !tray || !hideOnClose) return;
    // The tray keeps the app reachable, so closing the window hides it.
    event.preventDefault();
    win?.hide();
  });
  win.on('closed', () => {
    win = null;
  });
}

function trayUi(): TrayUi {
  return {
    showWindow: () => showWindow(),
    showToken(ref) {
      showWindow();
      win?.webContents.send('event:showToken', EVENTS['event:showToken'].parse(ref));
    },
    async confirm(message, detail) {
      const { response } = await dialog.showMessageBox({ type: 'warning', message, detail, buttons: ['Cancel', 'Revoke'], defaultId: 0, cancelId: 0 });
      return response === 1;
    },
    quit: () => app.quit(),
  };
}

function installQuit(appSession: AppSession): void {
  let cleaned = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (cleaned) return;
    // Hold the quit until our clipboard copy is gone: nothing the app copied outlives it.
    event.preventDefault();
    void appSession.shutdown().finally(() => {
      cleaned = true;
      tray?.destroy();
      tray = null;
      app.quit();
    });
  });
  // Without a tray, or when the setting says so, closing the window ends the app.
  app.on('window-all-closed', () => {
    if (!tray || !hideOnClose) app.quit();
  });
}
