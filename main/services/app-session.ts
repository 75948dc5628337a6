// Everything the desktop app runs that is not Electron: the handlers, the clipboard guard, auto-lock,
// the tray's model and actions, and expiry notices. main/electron/ only supplies the ports and
// renders what this produces, so the whole app logic is exercised on plain Node.
import { expiryNotices } from '../core/expiry-notices.js';
import { buildTrayMenu, type TrayAction, type TrayModel } from '../core/tray-menu.js';
import { CALL_CHANNELS, type CallChannel } from '../../preload/contract.js';
import { AutoLock } from './app-auto-lock.js';
import { ClipboardGuard } from './app-clipboard.js';
import { LoginItemSync } from './app-login-item.js';
import { TeamReads } from './app-team-reads.js';
import { TeamSyncTimer } from './app-team-sync.js';
import type { EventPort } from './app-ports.js';
import { runTrayAction, type TrayUi } from './app-tray-actions.js';
import type { ServiceDeps } from './deps.js';
import { createIpcHandlers } from './ipc-handlers.js';
import { dispatchCall, type DispatchLog } from './ipc-dispatch.js';
import type { IpcHandlers, IpcPorts } from './ipc-types.js';

/** Calls that change nothing. */
const READS: ReadonlySet<CallChannel> = new Set(['vault:status', 'tokens:list', 'oauthApps:list', 'settings:get', 'teams:list', 'teams:status']);
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
  // Reads the teams through the handler below once it exists.
  const teamReads = new TeamReads(
    () => readTeams({}),
    () => deps.now().getTime(),
  );
  const events: EventPort = {
    emit(channel, payload) {
      // A sync (on the timer too) may have moved a team's clone even when it pulled nothing.
      if (channel === 'event:vaultChanged' || channel === 'event:teamSync') teamReads.changed();
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
  handlers['teams:list'] = () => teamReads.list();
  // Any call but a read may change what a team read returns, from the moment it starts.
  for (const channel of CALL_CHANNELS) {
    if (READS.has(channel)) continue;
    const run = handlers[channel] as (input: unknown) => Promise<unknown>;
    (handlers as unknown as Record<CallChannel, (input: unknown) => Promise<unknown>>)[channel] = (input) => {
      teamReads.changed();
      return run(input);
    };
  }

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
      // Team tokens too, as the window lists them. A team not joined yet is left out; one that
      // cannot be read (a refused change, its keys) is named, and the window's team view says why.
      const teams = await teamReads.forTray().then(
        (r) => r.teams,
        () => [],
      );
      const unreadableTeams = teams.filter((t) => t.error && t.error.code !== 'team_not_member').map((t) => t.name);
      // Locked while the teams were read: the locked menu, not the one read before.
      const after = await handlers['vault:status']({});
      if (after.state !== 'unlocked') return buildTrayMenu({ vault: after.state, tokens: [], now: deps.now() });
      const all = [...tokens, ...teams.flatMap((t) => t.tokens)];
      const now = deps.now();
      // Each expiring token is announced once per run of the app, not on every refresh.
      for (const notice of expiryNotices(all, now)) {
        if (notified.has(notice.key)) continue;
        notified.add(notice.key);
        ports.notifier.notify({ title: notice.title, body: notice.body });
      }
      return buildTrayMenu({ vault: 'unlocked', tokens: all, unreadableTeams, now, testing });
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
