// Everything the desktop app runs that is not Electron: the handlers, the clipboard guard, auto-lock,
// the tray's model and actions, and expiry notices. main/electron/ only supplies the ports and
// renders what this produces, so the whole app logic is exercised on plain Node.
import { expiryNotices } from '../core/expiry-notices.js';
import { buildTrayMenu, type TrayAction, type TrayModel } from '../core/tray-menu.js';
import type { CallChannel, ReplyOf } from '../../preload/contract.js';
import { AutoLock } from './app-auto-lock.js';
import { ClipboardGuard } from './app-clipboard.js';
import { LoginItemSync } from './app-login-item.js';
import { TeamSyncTimer } from './app-team-sync.js';
import type { EventPort } from './app-ports.js';
import { runTrayAction, type TrayUi } from './app-tray-actions.js';
import type { ServiceDeps } from './deps.js';
import { createIpcHandlers } from './ipc-handlers.js';
import { dispatchCall, type DispatchLog } from './ipc-dispatch.js';
import type { IpcHandlers, IpcPorts } from './ipc-types.js';

/** Calls that do not count as use for auto-lock: the window polls status on its own. */
const PASSIVE: ReadonlySet<CallChannel> = new Set(['vault:status', 'vault:lock']);

export interface AppSession {
  handlers: IpcHandlers;
  guard: ClipboardGuard;
  autoLock: AutoLock;
  /** Team sync every few minutes while the vault is unlocked. */
  teamSync: TeamSyncTimer;
  /** Validates, runs and wraps one call from the window (after the sender check). */
  call(channel: unknown, payload: unknown): Promise<unknown>;
  trayModel(): Promise<TrayModel>;
  trayAction(action: TrayAction, ui: TrayUi): Promise<void>;
  /** Called whenever the vault changed, so the tray can be rebuilt. */
  onVaultChanged(listener: () => void): void;
  /** Unlocks a keychain vault at start, so the tray shows tokens without a prompt. */
  start(): Promise<void>;
  /** Before quitting: clear our clipboard copy, stop timers. */
  shutdown(): Promise<void>;
}

export function createAppSession(deps: ServiceDeps, ports: IpcPorts, log?: DispatchLog): AppSession {
  const listeners: (() => void)[] = [];
  const notified = new Set<string>();
  let testing = false;
  const guard = new ClipboardGuard(ports.clipboard, ports.timers);
  // The window and the tray both read the teams again after a change, each decrypting every team
  // token: callers after the same change share one read. A read begun before a change is never
  // handed to a caller after it.
  let teamsRead: Promise<ReplyOf<'teams:list'>> | null = null;
  const events: EventPort = {
    emit(channel, payload) {
      if (channel === 'event:vaultChanged') teamsRead = null;
      ports.events.emit(channel, payload);
      if (channel === 'event:vaultChanged') for (const l of listeners) l();
    },
  };
  // Created before the handlers it locks through; the closure reads `handlers` only when it fires.
  const autoLock = new AutoLock(ports.timers, async () => {
    await handlers['vault:lock']({});
  });
  const loginItem = new LoginItemSync(ports.loginItem, (m) => log?.warn(m));
  const teamSync = new TeamSyncTimer(ports.timers);
  const handlers = createIpcHandlers(deps, { ...ports, events }, { guard, autoLock, loginItem, teamSync });
  const readTeams = handlers['teams:list'];
  handlers['teams:list'] = (input) => {
    if (teamsRead) return teamsRead;
    const read = readTeams(input).finally(() => {
      if (teamsRead === read) teamsRead = null;
    });
    teamsRead = read;
    return read;
  };

  const session: AppSession = {
    handlers,
    guard,
    autoLock,
    teamSync,

    async call(channel, payload) {
      if (typeof channel === 'string' && !PASSIVE.has(channel as CallChannel)) autoLock.activity();
      return dispatchCall(handlers, channel, payload, log);
    },

    async trayModel() {
      const status = await handlers['vault:status']({});
      if (status.state !== 'unlocked') return buildTrayMenu({ vault: status.state, tokens: [], now: deps.now() });
      const { tokens } = await handlers['tokens:list']({});
      const now = deps.now();
      // Each expiring token is announced once per run of the app, not on every refresh.
      for (const notice of expiryNotices(tokens, now)) {
        if (notified.has(notice.id)) continue;
        notified.add(notice.id);
        ports.notifier.notify({ title: notice.title, body: notice.body });
      }
      // Team tokens too, as the window lists them; a team that cannot be read now (not admitted
      // yet, a refused change) is left out here, and the window's team view says why.
      const teams = await handlers['teams:list']({}).then(
        (r) => r.teams.flatMap((t) => t.tokens),
        () => [],
      );
      return buildTrayMenu({ vault: 'unlocked', tokens: [...tokens, ...teams], now, testing });
    },

    async trayAction(action, ui) {
      if (action.type !== 'quit') autoLock.activity();
      if (action.type === 'testAll') {
        testing = true;
        for (const l of listeners) l();
      }
      try {
        await runTrayAction(action, handlers, ports.notifier, ui);
      } finally {
        if (action.type === 'testAll') {
          testing = false;
          for (const l of listeners) l();
        }
      }
    },

    onVaultChanged(listener) {
      listeners.push(listener);
    },

    async start() {
      const status = await handlers['vault:status']({});
      if (status.state === 'locked' && status.mode === 'keychain') {
        // A keychain that does not answer leaves the vault locked; the window explains why.
        await handlers['vault:unlock']({}).catch(() => undefined);
      }
    },

    async shutdown() {
      autoLock.stop();
      teamSync.stop();
      await guard.dispose().catch(() => false);
    },
  };
  return session;
}
