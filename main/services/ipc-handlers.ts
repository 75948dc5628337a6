// The IPC handlers as plain async functions, one per channel: the same functions serve Electron's
// ipcMain (through main/electron/ipc.ts), the browser harness and the tests. Inputs arrive already
// validated by ipc-dispatch.ts; replies are validated there again on the way out.
import { AppError } from '../core/errors.js';
import { ClipboardGuard } from './app-clipboard.js';
import { cliHandlers } from './ipc-cli-handlers.js';
import type { AutoLock } from './app-auto-lock.js';
import { LoginItemSync } from './app-login-item.js';
import type { ServiceDeps } from './deps.js';
import { oauthHandlers } from './ipc-oauth-handlers.js';
import { settingsHandlers } from './ipc-settings-handlers.js';
import { TeamSyncTimer } from './app-team-sync.js';
import type { EventPort } from './app-ports.js';
import { teamHandlers } from './ipc-team-handlers.js';
import { tokenHandlers } from './ipc-token-handlers.js';
import type { HandlerContext, IpcHandlers, IpcPorts } from './ipc-types.js';
import { vaultHandlers } from './ipc-vault-handlers.js';

export type { IpcHandlers, IpcPorts } from './ipc-types.js';

export interface HandlerExtras {
  /** Pass one to keep a handle on the copy (quit clears it); otherwise one is made from the ports. */
  guard?: ClipboardGuard;
  autoLock?: AutoLock | null;
  /** Pass one to have its failures logged; otherwise one is made from the port. */
  loginItem?: LoginItemSync;
  /** Pass one to stop it on quit; otherwise one is made from the ports' timers. */
  teamSync?: TeamSyncTimer;
}

export function createIpcHandlers(deps: ServiceDeps, ports: IpcPorts, extras: HandlerExtras = {}): IpcHandlers {
  const teamSync = extras.teamSync ?? new TeamSyncTimer(ports.timers);
  // Every change of the vault's state passes here: team sync runs on its timer only while unlocked.
  const events: EventPort = {
    emit(channel, payload) {
      ports.events.emit(channel, payload);
      if (channel !== 'event:vaultChanged') return;
      if ((payload as { state: string }).state === 'unlocked' && !ctx.lock.held) teamSync.start();
      else teamSync.stop();
    },
  };
  const ctx: HandlerContext = {
    ...ports,
    events,
    deps,
    guard: extras.guard ?? new ClipboardGuard(ports.clipboard, ports.timers),
    autoLock: extras.autoLock ?? null,
    loginItem: extras.loginItem ?? new LoginItemSync(ports.loginItem),
    lock: { held: false },
  };
  const { sync, ...teams } = teamHandlers(ctx);
  teamSync.setRun(() => (ctx.lock.held ? Promise.resolve() : sync()));
  const data = { ...tokenHandlers(ctx), ...oauthHandlers(ctx), ...settingsHandlers(ctx), ...teams };
  // Lock means locked, in keychain mode too: every data call refuses until the window unlocks.
  for (const [channel, handler] of Object.entries(data) as [keyof typeof data, (input: unknown) => Promise<unknown>][]) {
    (data as Record<string, unknown>)[channel] = (input: unknown) => {
      if (ctx.lock.held) return Promise.reject(new AppError('vault_locked', 'The vault is locked. Unlock it in the window first.'));
      return handler(input);
    };
  }
  // Installing the command reads nothing from the vault, so a locked vault does not stop it.
  return { ...vaultHandlers(ctx), ...cliHandlers(ctx), ...data };
}
