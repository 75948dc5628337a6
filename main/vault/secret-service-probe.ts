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
// call that follows will have to wait for an unlock prompt.
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

/** Probes the Secret Service; always settles within `timeoutMs`. */
export function probeSecretService(timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<ProbeOutcome> {
  const where = sessionBusSocket(env);
  if (where === null) return Promise.resolve({ state: 'no-bus', reason: 'DBUS_SESSION_BUS_ADDRESS is not set' });
  if ('unsupported' in where) return Promise.resolve({ state: 'unknown', reason: `bus transport ${where.unsupported}` });

  return new Promise((resolve) => {
    let stage: 'connecting' | 'bus' | 'service' = 'connecting';
    let received = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ path: where.path });
    const finish = (outcome: ProbeOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(stage === 'service' ? { state: 'service-hung' } : { state: 'bus-hung' }), timeoutMs);

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
          return finish({ state: 'ready', locked: message.boolean });
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
  /** The body read as a variant holding a boolean, when it is one. */
  boolean: boolean | null;
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
  let replySerial: number | null = null;
  let errorName: string | null = null;
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
      if (code === 5) replySerial = u32(at);
      at += 4;
    } else if (sig === 's' || sig === 'o') {
      at += (4 - (at % 4)) % 4;
      const length = u32(at);
      if (code === 4) errorName = buf.toString('utf8', at + 4, at + 4 + length);
      at += 4 + length + 1;
    } else if (sig === 'g') {
      at += 1 + buf[at]! + 1;
    } else {
      break; // a field type this probe does not need; the ones it needs come before it or not at all
    }
  }
  let boolean: boolean | null = null;
  if (bodyLength >= 8 && buf[bodyStart] === 1 && buf[bodyStart + 1] === 0x62 /* 'b' */) {
    boolean = u32(bodyStart + 4) !== 0;
  }
  return { size, type: buf[1]!, replySerial, errorName, boolean };
}
