// Asks the Secret Service, over the session bus, whether it is there and answering, before the
// native keychain binding is called.
//
// Why this exists: the binding opens its D-Bus connection synchronously on the calling thread and
// waits for replies inside native code. A frozen session bus blocks it without limit and a stopped
// keyring daemon for D-Bus's own reply timeout, and nothing in the process can interrupt it: a timer
// never fires, SIGINT/SIGTERM handlers never run, and even a worker thread stuck there keeps the
// process from exiting (Node joins its threads at exit). This probe speaks just enough of the D-Bus
// wire protocol, on a socket Node owns, to find out in time and without blocking: it can be
// abandoned at any moment by closing the socket. A general D-Bus library would cost the CLI's
// start-up far more than these few messages.
//
// It asks for the `Locked` property of the default collection: that one call starts the service
// through D-Bus activation when it is not running, proves that it answers, and says whether the
// keychain is locked. A locked one is unlocked here through the service's own prompt, so that an
// unanswered prompt can be given up (and taken down) on time as well.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { existsSync } from 'node:fs';

export type ProbeOutcome =
  /** The service answered; `locked` is null when it has no default collection (yet). */
  | { state: 'ready'; locked: boolean | null }
  /** No session bus to connect to: nothing could answer. */
  | { state: 'no-bus'; reason: string }
  /** The bus answered, but no Secret Service is on it or can be started. */
  | { state: 'no-service'; reason: string }
  /** The bus itself did not answer within the time (a frozen dbus-daemon). */
  | { state: 'bus-hung' }
  /** The bus answered, the Secret Service did not (a stopped or stuck keyring daemon). */
  | { state: 'service-hung' }
  /** Locked, and its unlock prompt was not answered in time (it is taken down again). */
  | { state: 'prompt-unanswered' }
  /** Locked, and the person dismissed its unlock prompt. */
  | { state: 'dismissed' }
  /** A bus this probe cannot speak to (another transport, refused authentication): no opinion. */
  | { state: 'unknown'; reason: string };

const SECRETS = 'org.freedesktop.secrets';

/**
 * Where the session bus listens, from DBUS_SESSION_BUS_ADDRESS (as libdbus reads it) or, without
 * it, the per-user socket that systemd and dbus-broker provide. Null: no address to try.
 */
export function sessionBusSocket(env: NodeJS.ProcessEnv = process.env): { path: string } | { unsupported: string } | null {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  if (!address) {
    const runtime = env.XDG_RUNTIME_DIR;
    const fallback = runtime ? path.join(runtime, 'bus') : null;
    return fallback && existsSync(fallback) ? { path: fallback } : null;
  }
  // Several addresses may be listed; libdbus tries them in order, and so does the probe (the first
  // one it can use).
  for (const entry of address.split(';')) {
    const colon = entry.indexOf(':');
    if (colon < 0) continue;
    const transport = entry.slice(0, colon);
    const params = new Map<string, string>();
    for (const pair of entry.slice(colon + 1).split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) params.set(pair.slice(0, eq), unescapeValue(pair.slice(eq + 1)));
    }
    if (transport !== 'unix') return { unsupported: transport };
    if (params.has('path')) return { path: params.get('path')! };
    if (params.has('abstract')) return { path: `\0${params.get('abstract')!}` };
    return { unsupported: 'unix without path' };
  }
  return { unsupported: 'unreadable address' };
}

function unescapeValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export interface ProbeOptions {
  /** How long the bus and the service may take to answer at all. */
  answerTimeoutMs: number;
  /**
   * When set and the keychain is locked, ask the service to unlock it (its own password prompt)
   * and wait for the person this long in all. Without it, a locked keychain is only reported.
   */
  unlockTimeoutMs?: number;
}

/** Probes the Secret Service; always settles within the times given, and never blocks. */
export function probeSecretService(opts: ProbeOptions, env: NodeJS.ProcessEnv = process.env): Promise<ProbeOutcome> {
  const where = sessionBusSocket(env);
  if (where === null) return Promise.resolve({ state: 'no-bus', reason: 'DBUS_SESSION_BUS_ADDRESS is not set' });
  if ('unsupported' in where) return Promise.resolve({ state: 'unknown', reason: `bus transport ${where.unsupported}` });

  return new Promise((resolve) => {
    const started = Date.now();
    let stage: 'connecting' | 'bus' | 'service' | 'prompt' = 'connecting';
    let prompt: string | null = null;
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ path: where.path });
    const finish = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // A prompt still open is taken down with the question: nobody should answer it afterwards.
      if (prompt && outcome.state === 'prompt-unanswered') socket.end(methodCall(9, { path: prompt, iface: 'org.freedesktop.Secret.Prompt', member: 'Dismiss', destination: SECRETS }));
      socket.destroy();
      resolve(outcome);
    };
    const onTimeout = () => finish(stage === 'prompt' ? { state: 'prompt-unanswered' } : stage === 'service' ? { state: 'service-hung' } : { state: 'bus-hung' });
    let timer = setTimeout(onTimeout, opts.answerTimeoutMs);

    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (stage === 'connecting') finish({ state: 'no-bus', reason: `${e.code ?? 'error'} at ${printable(where.path)}` });
      else finish({ state: 'unknown', reason: e.code ?? 'socket error' });
    });
    socket.on('close', () => finish({ state: 'unknown', reason: 'the bus closed the connection' }));
    socket.on('connect', () => {
      stage = 'bus';
      const uid = String(os.userInfo().uid);
      socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
    });

    let authenticated = false;
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (!authenticated) {
        const end = received.indexOf('\r\n');
        if (end < 0) return;
        const line = received.subarray(0, end).toString('latin1');
        received = received.subarray(end + 2);
        if (!line.startsWith('OK ')) return finish({ state: 'unknown', reason: 'the bus refused authentication' });
        authenticated = true;
        // Hello must come first on a bus connection; the property call is sent at once behind it.
        socket.write(Buffer.concat([Buffer.from('BEGIN\r\n'), helloMessage(), lockedQuery()]));
      }
      for (;;) {
        const message = takeMessage(received);
        if (!message) return;
        received = received.subarray(message.size);
        if (message.replySerial === 1) {
          // The bus answered Hello: from here on, a silence is the service's.
          stage = 'service';
          if (message.type === ERROR) return finish({ state: 'unknown', reason: message.errorName ?? 'Hello refused' });
        } else if (message.replySerial === 2) {
          if (message.type === ERROR) return finish(fromError(message.errorName ?? ''));
          const locked = readBoolean(message, true);
          if (!locked || opts.unlockTimeoutMs === undefined) return finish({ state: 'ready', locked });
          // Locked: ask for the unlock here, where giving up is possible, rather than inside the
          // binding. The match for the prompt's answer is in place before the prompt can exist.
          socket.write(Buffer.concat([completedMatch(), unlockCall()]));
        } else if (message.replySerial === 4) {
          if (message.type === ERROR) return finish({ state: 'ready', locked: true });
          const path = readUnlockPrompt(message);
          if (path === null || path === '/') return finish({ state: 'ready', locked: false });
          prompt = path;
          stage = 'prompt';
          clearTimeout(timer);
          timer = setTimeout(onTimeout, Math.max(0, opts.unlockTimeoutMs! - (Date.now() - started)));
          socket.write(methodCall(5, { path, iface: 'org.freedesktop.Secret.Prompt', member: 'Prompt', destination: SECRETS, signature: 's' }, (w) => w.string('')));
        } else if (message.replySerial === 5 && message.type === ERROR) {
          return finish({ state: 'ready', locked: true });
        } else if (message.type === SIGNAL && message.member === 'Completed' && message.path === prompt) {
          return finish(readBoolean(message, false) ? { state: 'dismissed' } : { state: 'ready', locked: false });
        }
      }
    });
  });
}

function fromError(name: string): ProbeOutcome {
  if (/ServiceUnknown|NameHasNoOwner|Spawn\./u.test(name)) return { state: 'no-service', reason: name };
  if (/NoReply|Timeout|TimedOut/u.test(name)) return { state: 'service-hung' };
  // Any other answer (no default collection, an unknown property) came from a service that answers.
  return { state: 'ready', locked: null };
}

function printable(socketPath: string): string {
  return socketPath.startsWith('\0') ? `@${socketPath.slice(1)}` : socketPath;
}

// --- The few D-Bus messages the probe sends and reads (little-endian, protocol version 1). ---

const METHOD_CALL = 1;
const ERROR = 3;
const SIGNAL = 4;

class Writer {
  private readonly bytes: number[] = [];
  get length(): number {
    return this.bytes.length;
  }
  align(n: number): void {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
  }
  byte(v: number): void {
    this.bytes.push(v & 0xff);
  }
  uint32(v: number): void {
    this.align(4);
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  setUint32(at: number, v: number): void {
    this.bytes.splice(at, 4, v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.uint32(b.length);
    this.bytes.push(...b, 0);
  }
  signature(s: string): void {
    this.byte(s.length);
    this.bytes.push(...Buffer.from(s, 'latin1'), 0);
  }
  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

function methodCall(serial: number, fields: { path: string; iface: string; member: string; destination: string; signature?: string }, body?: (w: Writer) => void): Buffer {
  const bodyWriter = new Writer();
  body?.(bodyWriter);
  const w = new Writer();
  w.byte('l'.charCodeAt(0));
  w.byte(METHOD_CALL);
  w.byte(0);
  w.byte(1);
  w.uint32(bodyWriter.length);
  w.uint32(serial);
  w.uint32(0); // the header fields' length, filled in below
  const start = w.length;
  const field = (code: number, type: 's' | 'o' | 'g', value: string) => {
    w.align(8);
    w.byte(code);
    w.signature(type);
    if (type === 'g') w.signature(value);
    else w.string(value);
  };
  field(1, 'o', fields.path);
  field(2, 's', fields.iface);
  field(3, 's', fields.member);
  field(6, 's', fields.destination);
  if (fields.signature) field(8, 'g', fields.signature);
  w.setUint32(12, w.length - start);
  w.align(8);
  return Buffer.concat([w.buffer(), bodyWriter.buffer()]);
}

function helloMessage(): Buffer {
  return methodCall(1, { path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus', member: 'Hello', destination: 'org.freedesktop.DBus' });
}

function lockedQuery(): Buffer {
  return methodCall(
    2,
    { path: '/org/freedesktop/secrets/aliases/default', iface: 'org.freedesktop.DBus.Properties', member: 'Get', destination: SECRETS, signature: 'ss' },
    (w) => {
      w.string('org.freedesktop.Secret.Collection');
      w.string('Locked');
    },
  );
}

interface Incoming {
  size: number;
  type: number;
  replySerial: number | null;
  errorName: string | null;
  member: string | null;
  path: string | null;
  little: boolean;
  body: Buffer;
}

/** One whole message from the front of `buf`, or null while it is still arriving. */
export function takeMessage(buf: Buffer): Incoming | null {
  if (buf.length < 16) return null;
  const little = buf[0] === 0x6c;
  const u32 = (at: number) => (little ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const bodyLength = u32(4);
  const fieldsLength = u32(12);
  const bodyStart = 16 + fieldsLength + ((8 - ((16 + fieldsLength) % 8)) % 8);
  const size = bodyStart + bodyLength;
  if (buf.length < size) return null;
  const fields = new Map<number, string | number>();
  let at = 16;
  const end = 16 + fieldsLength;
  while (at < end) {
    at += (8 - (at % 8)) % 8;
    const code = buf[at]!;
    const sigLength = buf[at + 1]!;
    const sig = buf.toString('latin1', at + 2, at + 2 + sigLength);
    at += 3 + sigLength;
    if (sig === 'u') {
      at += (4 - (at % 4)) % 4;
      fields.set(code, u32(at));
      at += 4;
    } else if (sig === 's' || sig === 'o') {
      at += (4 - (at % 4)) % 4;
      const length = u32(at);
      fields.set(code, buf.toString('utf8', at + 4, at + 4 + length));
      at += 4 + length + 1;
    } else if (sig === 'g') {
      at += 1 + buf[at]! + 1;
    } else {
      break; // a field type this probe does not need; the ones it needs come before it or not at all
    }
  }
  const text = (code: number) => (typeof fields.get(code) === 'string' ? (fields.get(code) as string) : null);
  const replySerial = typeof fields.get(5) === 'number' ? (fields.get(5) as number) : null;
  return { size, type: buf[1]!, replySerial, errorName: text(4), member: text(3), path: text(1), little, body: Buffer.from(buf.subarray(bodyStart, size)) };
}

/** A boolean at the start of the body: inside a variant (a property's value) or bare (a signal's). */
function readBoolean(m: Incoming, inVariant: boolean): boolean | null {
  const u32 = (at: number) => (m.little ? m.body.readUInt32LE(at) : m.body.readUInt32BE(at));
  if (!inVariant) return m.body.length >= 4 ? u32(0) !== 0 : null;
  if (m.body.length >= 8 && m.body[0] === 1 && m.body[1] === 0x62 /* 'b' */) return u32(4) !== 0;
  return null;
}

/** The prompt path of Unlock's answer (`ao` unlocked objects, then `o` prompt). */
function readUnlockPrompt(m: Incoming): string | null {
  const b = m.body;
  const u32 = (at: number) => (m.little ? b.readUInt32LE(at) : b.readUInt32BE(at));
  if (b.length < 4) return null;
  let at = 4 + u32(0);
  at += (4 - (at % 4)) % 4;
  if (b.length < at + 4) return null;
  const length = u32(at);
  return b.toString('utf8', at + 4, at + 4 + length);
}

function completedMatch(): Buffer {
  return methodCall(3, { path: '/org/freedesktop/DBus', iface: 'org.freedesktop.DBus', member: 'AddMatch', destination: 'org.freedesktop.DBus', signature: 's' }, (w) =>
    w.string("type='signal',interface='org.freedesktop.Secret.Prompt',member='Completed'"),
  );
}

function unlockCall(): Buffer {
  return methodCall(4, { path: '/org/freedesktop/secrets', iface: 'org.freedesktop.Secret.Service', member: 'Unlock', destination: SECRETS, signature: 'ao' }, (w) => {
    const body = new Writer();
    body.string('/org/freedesktop/secrets/aliases/default');
    w.uint32(body.length);
    // An array of object paths: the elements start 4-aligned right after the length.
    w.string('/org/freedesktop/secrets/aliases/default');
  });
}
