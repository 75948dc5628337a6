// Where the vault key lives: the OS keychain (macOS Keychain, Windows Credential Manager, a Secret
// Service such as gnome-keyring or KWallet on Linux) through @napi-rs/keyring.
//
// How the binding fails, and what that means here:
// - Every failure is a plain Error with code 'GenericFailure'; only the message tells them apart
//   ("Platform failure: DBus error: ...", "Couldn't access platform storage: ... unlock prompt was
//   dismissed", ...).
// - On Linux the constructor itself opens the D-Bus connection, synchronously, on the calling
//   thread: a keyring daemon that does not answer blocks it for D-Bus's reply timeout (about 2 s),
//   a frozen session bus without limit, and while it blocks no timer fires and no signal handler
//   runs. So on Linux every call first asks the Secret Service through a probe that Node can
//   abandon (secret-service-probe.ts); the binding is called only once the service has just
//   answered, and a bus or daemon that does not answer ends the call with keychain_timeout on time.
//   (One that freezes in the few milliseconds between the probe's answer and the binding's call
//   is not covered: only moving the binding out of the process would cover it.)
// - A locked keychain is unlocked by the probe too (the service's own password prompt), where
//   giving up is possible; the binding then finds it unlocked. Left to the binding, an unanswered
//   prompt would hold a thread-pool thread, and so the process, until D-Bus gives up (about 25 s).
// - Elsewhere (macOS, Windows, a bus the probe cannot speak to) the timeout is a timer around the
//   binding's call: the caller gets a clear error on time, though a stuck call keeps its thread.
import { AppError } from '../core/errors.js';
import { requireKeyring } from './native-modules.js';
import { probeSecretService, type ProbeOutcome } from './secret-service-probe.js';

export const KEYCHAIN_SERVICE = 'webflow-token-vault';
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 3000;

export interface Keychain {
  /** Which store answers, for `doctor` and messages. */
  readonly backend: string;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

type Binding = typeof import('@napi-rs/keyring');
type Entry = InstanceType<Binding['AsyncEntry']>;

let binding: Promise<Binding> | null = null;

function loadBinding(): Promise<Binding> {
  // Loaded on first use so that commands that never touch the keychain, and machines without a
  // prebuilt binary, do not pay for or fail on it.
  binding ??= Promise.resolve().then(requireKeyring);
  return binding;
}

export function keychainTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WFVAULT_KEYCHAIN_TIMEOUT_MS;
  const ms = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_KEYCHAIN_TIMEOUT_MS;
}

export function osKeychainBackend(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  if (platform === 'linux') return 'Secret Service';
  return 'OS keychain';
}

/** Why a keychain call did not end well in time; each has its own sentence and fix. */
export type KeychainFault = 'bus-hung' | 'service-hung' | 'locked' | 'unknown';

const EXIT_ON_SIGNAL: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

export interface OsKeychainOptions {
  service?: string;
  /** How long a whole call may take, an unlock prompt included. */
  timeoutMs?: number;
  /**
   * How long the Secret Service may take to answer at all, before any prompt (default:
   * WFVAULT_KEYCHAIN_TIMEOUT_MS, at most the whole call's time). The window waits long for a
   * person at a prompt, but not for a hung daemon or bus.
   */
  answerTimeoutMs?: number;
  /**
   * The CLI's choice: SIGINT/SIGTERM while a call waits end the process at once with 130/143
   * (a command waiting on the keychain has nothing to finish or undo).
   */
  exitOnSignal?: boolean;
}

export class OsKeychain implements Keychain {
  readonly backend = osKeychainBackend();
  private readonly service: string;
  private readonly timeoutMs: number;
  private readonly answerTimeoutMs: number;
  private readonly exitOnSignal: boolean;
  /** Native calls started and not yet settled: a signal cannot wait for them to exit cleanly. */
  private static nativeInFlight = 0;

  constructor(opts: OsKeychainOptions = {}) {
    this.service = opts.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = opts.timeoutMs ?? keychainTimeoutFromEnv();
    this.answerTimeoutMs = Math.min(opts.answerTimeoutMs ?? keychainTimeoutFromEnv(), this.timeoutMs);
    this.exitOnSignal = opts.exitOnSignal ?? false;
  }

  get(account: string): Promise<string | null> {
    return this.run(account, null, (entry, signal) => entry.getPassword(signal));
  }

  set(account: string, secret: string): Promise<void> {
    return this.run(account, secret, (entry, signal) => entry.setPassword(secret, signal));
  }

  delete(account: string): Promise<boolean> {
    return this.run(account, null, (entry, signal) => entry.deleteCredential(signal));
  }

  private async run<T>(account: string, secret: string | null, op: (entry: Entry, signal: AbortSignal) => Promise<T>): Promise<T> {
    const started = Date.now();
    const releaseSignals = this.exitOnSignal ? exitOnSignalWhileWaiting() : () => undefined;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let fault: KeychainFault = 'unknown';
    try {
      // The binding loads while the probe waits on the bus.
      const loading = loadBinding();
      loading.catch(() => undefined);
      if (process.platform === 'linux') fault = this.checkProbe(await probeSecretService({ answerTimeoutMs: this.answerTimeoutMs, unlockTimeoutMs: this.timeoutMs }));
      const remaining = this.timeoutMs - (Date.now() - started);
      if (remaining <= 0) throw this.timeoutError(fault);
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(this.timeoutError(fault));
        }, remaining);
      });
      // Only the race below listens; without this, a timeout during the binding's load would be an
      // unhandled rejection.
      timedOut.catch(() => undefined);
      const { AsyncEntry } = await loading;
      if (Date.now() - started >= this.timeoutMs) throw this.timeoutError(fault);
      OsKeychain.nativeInFlight++;
      const call = (async () => {
        try {
          // Pinned to the Secret Service: the binding's default falls back to the kernel keyring,
          // which forgets the key at reboot and so would lose the vault.
          const entry = new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
          return await op(entry, controller.signal);
        } finally {
          OsKeychain.nativeInFlight--;
        }
      })();
      call.catch(() => undefined);
      return await Promise.race([call, timedOut]);
    } catch (e) {
      throw this.describe(e, secret, fault);
    } finally {
      clearTimeout(timer);
      releaseSignals();
    }
  }

  /** Fails at once on what the probe found wrong; otherwise names what a later timeout would mean. */
  private checkProbe(probe: ProbeOutcome): KeychainFault {
    switch (probe.state) {
      case 'ready':
        return probe.locked ? 'locked' : 'service-hung';
      case 'bus-hung':
      case 'service-hung':
        throw this.timeoutError(probe.state, this.answerTimeoutMs);
      case 'no-bus':
        throw this.unavailableError('no-bus', probe.reason);
      case 'no-service':
        throw this.unavailableError('no-service', probe.reason);
      case 'prompt-unanswered':
        throw this.timeoutError('locked');
      case 'dismissed':
        throw this.unavailableError('dismissed', 'the unlock prompt was dismissed');
      case 'unknown':
        return 'unknown';
    }
  }

  static get nativeCallsInFlight(): number {
    return OsKeychain.nativeInFlight;
  }

  /** `waitedMs`: how long it was given, the whole call's time unless the probe gave up first. */
  private timeoutError(fault: KeychainFault, waitedMs = this.timeoutMs): AppError {
    const seconds = Math.round(waitedMs / 100) / 10;
    const keychain = `The OS keychain (${this.backend})`;
    const sentence: Record<KeychainFault, string> = {
      'bus-hung': `${keychain} could not be asked: the session bus (dbus-daemon) did not answer within ${seconds} s, so it is hung. Restart the desktop session (log out and in) and retry`,
      'service-hung': `${keychain} did not answer within ${seconds} s: its daemon (such as gnome-keyring-daemon) is running but hung. Restart it (or log out and in) and retry`,
      locked: `${keychain} is locked, and its unlock prompt was not answered within ${seconds} s. Unlock it (answer the prompt, or unlock the login keyring) and retry`,
      unknown: `${keychain} did not answer within ${seconds} s: it may be locked and waiting for its password, or hung. Unlock the keychain and retry`,
    };
    const window: Record<KeychainFault, string> = {
      'bus-hung': HUNG_WINDOW_TEXT,
      'service-hung': HUNG_WINDOW_TEXT,
      locked: TIMEOUT_WINDOW_TEXT,
      unknown: TIMEOUT_WINDOW_TEXT,
    };
    return new AppError(
      'keychain_timeout',
      `${sentence[fault]}; allow more time with WFVAULT_KEYCHAIN_TIMEOUT_MS, or on a machine without a working keychain use a vault whose key comes from a passphrase (\`wfvault init --passphrase\`).`,
      { backend: this.backend, timeoutMs: this.timeoutMs, fault, window: window[fault] },
    );
  }

  private unavailableError(why: 'no-bus' | 'no-service' | 'dismissed', reason: string): AppError {
    const sentence = {
      'no-bus': `No OS keychain can answer here: there is no session bus to reach a Secret Service on (${reason}). Log in to a desktop session, or start a session bus with a Secret Service (such as gnome-keyring) in it, and retry`,
      'no-service': `No OS keychain is running: the session bus answered, but no Secret Service is on it (${reason}). Start one (gnome-keyring, KWallet or KeePassXC) and retry`,
      dismissed: `The OS keychain (${this.backend}) is locked and could not be unlocked here (${reason}). Unlock it (answer its prompt, or unlock the login keyring) and retry`,
    };
    const what = sentence[why];
    return new AppError('keychain_unavailable', `${what}, or on a machine without a keychain use a vault whose key comes from a passphrase (\`wfvault init --passphrase\`).`, {
      backend: this.backend,
      reason,
    });
  }

  private describe(e: unknown, secret: string | null, fault: KeychainFault): AppError {
    if (e instanceof AppError) return e;
    if (e instanceof Error && e.name === 'AbortError') return this.timeoutError(fault);
    const reason = safeReason(e, secret);
    const kind = keychainFailureKind(reason);
    if (kind === 'hung') return this.timeoutError('service-hung');
    const locked = kind === 'locked';
    const what = locked ? 'is locked and could not be unlocked here' : 'is not available';
    return new AppError(
      'keychain_unavailable',
      `The OS keychain (${this.backend}) ${what}${reason ? ` (${reason})` : ''}. ` +
        (locked ? 'Unlock it (log in to the desktop session, or unlock the login keyring) and retry' : 'Start or unlock it (on Linux: a Secret Service such as gnome-keyring or KWallet) and retry') +
        ', or on a machine without a keychain use a vault whose key comes from a passphrase (`wfvault init --passphrase`).',
      { backend: this.backend, reason },
    );
  }
}

/** The window's sentences for a keychain that answered nothing in time (core/errors.ts has the rest). */
const HUNG_WINDOW_TEXT = 'The system keychain is not answering: it seems to be stuck. Restart it (or log out and back in), then try again.';
const TIMEOUT_WINDOW_TEXT = 'The system keychain did not answer in time: it may be waiting for you to unlock it, so look for its prompt and try again.';

/**
 * While a call waits, SIGINT and SIGTERM end the process with 130 and 143. When a native call is
 * still stuck inside D-Bus, a normal exit would wait for it (Node joins its threads), so the
 * signal is then raised again with no handler left, which ends the process at once.
 */
let waiting = 0;
function onExitSignal(signal: NodeJS.Signals): void {
  removeSignalHandlers();
  if (OsKeychain.nativeCallsInFlight > 0) process.kill(process.pid, signal);
  else process.exit(EXIT_ON_SIGNAL[signal]);
}
function removeSignalHandlers(): void {
  for (const signal of Object.keys(EXIT_ON_SIGNAL) as NodeJS.Signals[]) process.off(signal, onExitSignal);
}
function exitOnSignalWhileWaiting(): () => void {
  if (waiting++ === 0) for (const signal of Object.keys(EXIT_ON_SIGNAL) as NodeJS.Signals[]) process.on(signal, onExitSignal);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--waiting === 0) removeSignalHandlers();
  };
}

/**
 * What a failure message of the binding means. D-Bus's "no reply" text says the reply may have been
 * "blocked" by policy, which must not read as a locked keychain: a missing reply means hung.
 */
export function keychainFailureKind(reason: string): 'hung' | 'locked' | 'unavailable' {
  if (/NoReply|did not receive a reply|reply timeout expired|timed? ?out/iu.test(reason)) return 'hung';
  if (/dismissed|\block(ed)?\b|\bprompt/iu.test(reason)) return 'locked';
  return 'unavailable';
}

/** The binding's message, short, on one line, and with anything secret-looking removed. */
function safeReason(e: unknown, secret: string | null): string {
  let text = e instanceof Error ? e.message : typeof e === 'string' ? e : '';
  if (secret) text = text.split(secret).join('[redacted]');
  text = text
    .replace(/[A-Za-z0-9+/=_-]{32,}/gu, '[redacted]')
    .replace(/\s+/gu, ' ')
    .replace(/^Platform failure: /u, '')
    .replace(/^Couldn't access platform storage: /u, '')
    .trim();
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** A keychain in memory, for unit tests only. `unavailable` makes it fail like a missing keychain. */
export class MemoryKeychain implements Keychain {
  readonly backend = 'in-memory test keychain';
  unavailable = false;
  readonly entries = new Map<string, string>();
  reads = 0;

  async get(account: string): Promise<string | null> {
    this.check();
    this.reads++;
    return this.entries.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.check();
    this.entries.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    this.check();
    return this.entries.delete(account);
  }

  private check(): void {
    if (this.unavailable) {
      throw new AppError('keychain_unavailable', 'The OS keychain is not available (test keychain switched off). Use `wfvault init --passphrase` on machines without one.');
    }
  }
}
