// Where the vault key lives: the OS keychain (macOS Keychain, Windows Credential Manager, a Secret
// Service such as gnome-keyring or KWallet on Linux) through @napi-rs/keyring.
//
// How the binding fails, and what that means here:
// - Every failure is a plain Error with code 'GenericFailure'; only the message tells them apart
//   ("Platform failure: DBus error: ...", "Couldn't access platform storage: ... unlock prompt was
//   dismissed", ...).
// - On Linux the constructor itself opens the D-Bus connection, synchronously: no Secret Service
//   throws at once; one that does not answer blocks for the D-Bus reply timeout (about 2 s). Only a
//   session bus daemon that is itself frozen blocks it without limit; nothing in-process bounds that.
// - The AbortSignal only cancels a call still queued in the thread pool; a call already waiting on
//   D-Bus (an unlock prompt nobody answers) keeps going until D-Bus gives up (about 25 s). So the
//   timeout is enforced here with a timer, and the caller gets a clear error on time, but the
//   stuck call still holds a thread-pool thread, and the process cannot exit, until D-Bus gives up.
import { AppError } from '../core/errors.js';

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
  binding ??= import('@napi-rs/keyring');
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

export class OsKeychain implements Keychain {
  readonly backend = osKeychainBackend();
  private readonly service: string;
  private readonly timeoutMs: number;

  constructor(opts: { service?: string; timeoutMs?: number } = {}) {
    this.service = opts.service ?? KEYCHAIN_SERVICE;
    this.timeoutMs = opts.timeoutMs ?? keychainTimeoutFromEnv();
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
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(this.timeoutError());
      }, this.timeoutMs);
    });
    // Only the race below listens; without this, a timeout during the binding's load would be an
    // unhandled rejection.
    timedOut.catch(() => undefined);
    try {
      const { AsyncEntry } = await loadBinding();
      // Pinned to the Secret Service: the binding's default falls back to the kernel keyring,
      // which forgets the key at reboot and so would lose the vault.
      const entry = new AsyncEntry(this.service, account, { linux: { store: 'secret-service' } });
      if (Date.now() - started >= this.timeoutMs) throw this.timeoutError();
      return await Promise.race([op(entry, controller.signal), timedOut]);
    } catch (e) {
      throw this.describe(e, secret);
    } finally {
      clearTimeout(timer);
    }
  }

  private timeoutError(why: 'hung' | 'unknown' = 'unknown'): AppError {
    const seconds = Math.round(this.timeoutMs / 100) / 10;
    const what =
      why === 'hung'
        ? 'did not answer: the Secret Service or the session bus is hung (D-Bus got no reply). Restart it (e.g. log out and in) and retry'
        : `did not answer within ${seconds} s: it may be locked and waiting for its password, or hung. Unlock the keychain and retry`;
    return new AppError(
      'keychain_timeout',
      `The OS keychain (${this.backend}) ${what}; ` +
        'allow more time with WFVAULT_KEYCHAIN_TIMEOUT_MS, or on a machine without a working keychain use a vault whose key comes from a passphrase (`wfvault init --passphrase`).',
      { backend: this.backend, timeoutMs: this.timeoutMs },
    );
  }

  private describe(e: unknown, secret: string | null): AppError {
    if (e instanceof AppError) return e;
    if (e instanceof Error && e.name === 'AbortError') return this.timeoutError();
    const reason = safeReason(e, secret);
    const kind = keychainFailureKind(reason);
    if (kind === 'hung') return this.timeoutError('hung');
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
