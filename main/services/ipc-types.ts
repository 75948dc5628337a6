// Shapes shared by the IPC handler modules.
import type { CallChannel, ParsedRequestOf, ReplyOf } from '../../preload/contract.js';
import type { ClipboardGuard } from './app-clipboard.js';
import type { AutoLock } from './app-auto-lock.js';
import type { PassphraseBroker } from './app-passphrase.js';
import type { ClipboardPort, EventPort, ExternalOpenerPort, NotifierPort, OAuthPort, TimerPort } from './app-ports.js';
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
  /** The OAuth flow; null until it is wired in, and the OAuth calls then say so. */
  oauth?: OAuthPort | null;
}

/** What the handler modules share: the ports plus the stateful helpers built from them. */
export interface HandlerContext extends IpcPorts {
  deps: ServiceDeps;
  guard: ClipboardGuard;
  autoLock: AutoLock | null;
}
