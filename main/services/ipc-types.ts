// Shapes shared by the IPC handler modules.
import type { CallChannel, ParsedRequestOf, ReplyOf } from '../../preload/contract.js';
import type { ClipboardGuard } from './app-clipboard.js';
import type { AutoLock } from './app-auto-lock.js';
import type { PassphraseBroker } from './app-passphrase.js';
import type { LoginItemSync } from './app-login-item.js';
import type { CliCommandPort, ClipboardPort, EventPort, ExternalOpenerPort, LoginItemPort, NotifierPort, OAuthPort, PresencePort, TimerPort } from './app-ports.js';
import type { ServiceDeps } from './deps.js';

export type IpcHandler<C extends CallChannel> = (input: ParsedRequestOf<C>) => Promise<ReplyOf<C>>;
export type IpcHandlers = { [C in CallChannel]: IpcHandler<C> };

export interface IpcPorts {
  clipboard: ClipboardPort;
  notifier: NotifierPort;
  opener: ExternalOpenerPort;
  events: EventPort;
  timers: TimerPort;
  /** Hands a passphrase that came with a call to the vault; must be the one in VaultOptions. */
  passphrase: PassphraseBroker;
  oauth: OAuthPort;
  loginItem: LoginItemPort;
  /** Asked before a window unlock lifts a lock on a keychain vault; absent means no check. */
  presence?: PresencePort;
  /** Writes the wfvault launcher; absent where there is no bundled CLI (the window in a browser). */
  cliCommand?: CliCommandPort;
}

/** What the handler modules share: the ports plus the stateful helpers built from them. */
export interface HandlerContext extends Omit<IpcPorts, 'loginItem'> {
  deps: ServiceDeps;
  guard: ClipboardGuard;
  autoLock: AutoLock | null;
  loginItem: LoginItemSync;
  /**
   * Set by a lock (manual, tray or auto), cleared only by vault:unlock or vault:init: a keychain
   * vault could reopen itself on the next read, so the lock is kept here, not only in the vault.
   */
  lock: { held: boolean };
}
