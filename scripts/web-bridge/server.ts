// The loopback bridge of `npm run dev:web`: serves the renderer build to a normal browser and
// carries its calls to the same dispatch Electron's ipcMain uses. Whoever can reach a loopback
// port could otherwise drive the vault, so:
//   - it listens on 127.0.0.1 only, and refuses any Host header but its own (DNS rebinding);
//   - the printed link holds a random one-time secret, traded on first use for an HttpOnly,
//     SameSite=Strict cookie, and the link then stops working;
//   - browsers send that cookie to every port of 127.0.0.1, and any local program that gets hold of
//     it could replay it, so the cookie alone opens nothing: calls also carry a page key that the
//     trade hands over in the URL fragment (never sent to a server, kept in the tab's
//     sessionStorage), as a header on /api/* and a query value on the event stream;
//   - calls must come from the page's own Origin with a JSON body, and are validated against the
//     contract schemas by the dispatch before any handler runs.
// It is a development tool: it lives in scripts/ and is never part of a packaged build.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENTS, type EventChannel, type EventOf } from '../../preload/contract.js';
import { isCallChannel } from '../../preload/channels.js';
import { bridgeScript } from './bundle.js';
import { APP_CSP, sendRendererFile } from './renderer-files.js';

export interface WebBridgeOptions {
  /** Runs one call from the page: validate, handle, wrap (AppSession.call). */
  call(channel: string, payload: unknown): Promise<unknown>;
  port?: number;
}

export interface WebBridge {
  /** The one-time link to open. */
  url: string;
  origin: string;
  emit<E extends EventChannel>(channel: E, payload: EventOf<E>): void;
  close(): Promise<void>;
}

const COOKIE = 'wfvault_dev';
/** The header that carries the page key on /api/* calls. */
export const PAGE_KEY_HEADER = 'x-wfvault-page-key';
const MAX_BODY = 64 * 1024;
/** The app's policy, except that the page talks to this bridge. */
const CSP = APP_CSP.replace("connect-src 'none'", "connect-src 'self'");

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieOf(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return null;
}

function text(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

export async function startWebBridge(opts: WebBridgeOptions): Promise<WebBridge> {
  const secret = randomBytes(32).toString('base64url');
  const session = randomBytes(32).toString('base64url');
  const pageKey = randomBytes(32).toString('base64url');
  let linkUsed = false;
  const streams = new Set<ServerResponse>();
  let host = '';
  let origin = '';

  const authorized = (req: IncomingMessage) => {
    const c = cookieOf(req);
    return c !== null && same(c, session);
  };
  // Browsers send Sec-Fetch-Site with every request; when present it must say the page's own origin.
  const sameSite = (req: IncomingMessage) => {
    const site = req.headers['sec-fetch-site'];
    return site === undefined || site === 'same-origin' || site === 'none';
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (req.headers.host !== host) return text(res, 421, 'Wrong host: open the exact link printed by npm run dev:web.');
    const url = new URL(req.url ?? '/', origin);

    if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html') && url.searchParams.has('k')) {
      const key = url.searchParams.get('k') ?? '';
      if (!same(key, secret)) return text(res, 403, 'This link is not valid. Open the link printed by npm run dev:web.');
      if (linkUsed && !authorized(req)) {
        return text(res, 403, 'This link was already used in another browser. Restart npm run dev:web for a new one.');
      }
      linkUsed = true;
      res.writeHead(303, {
        'Set-Cookie': `${COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `/#k=${pageKey}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      res.end();
      return;
    }

    if (!authorized(req) || !sameSite(req)) return text(res, 403, 'Open the link printed by npm run dev:web.');

    const keyed = (given: string | string[] | null | undefined) => typeof given === 'string' && same(given, pageKey);
    const noKey = () => text(res, 401, 'This page has no session key: open the link printed by npm run dev:web again.');

    if (req.method === 'POST' && url.pathname.startsWith('/api/')) {
      if (!keyed(req.headers[PAGE_KEY_HEADER])) return noKey();
      if (req.headers.origin !== origin) return text(res, 403, 'Calls are accepted from the page itself only.');
      if (!/^application\/json\b/.test(req.headers['content-type'] ?? '')) return text(res, 415, 'Expected JSON.');
      const channel = decodeURIComponent(url.pathname.slice('/api/'.length));
      if (!isCallChannel(channel)) return text(res, 404, 'Unknown call.');
      const body = await readBody(req);
      if (body === null) return text(res, 413, 'Request too large.');
      let payload: unknown;
      try {
        payload = JSON.parse(body);
      } catch {
        return text(res, 400, 'Malformed JSON.');
      }
      const reply = await opts.call(channel, payload);
      const json = JSON.stringify(reply);
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(json);
      return;
    }

    if (req.method === 'GET' && url.pathname === '/events') {
      // EventSource cannot send headers, so the key comes as a query value here.
      if (!keyed(url.searchParams.get('k'))) return noKey();
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }

    if (req.method === 'GET' && url.pathname === '/bridge.js') {
      const js = await bridgeScript('http');
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(js);
      return;
    }

    if (req.method === 'GET' && (await sendRendererFile(res, url.pathname, { csp: CSP, injectScript: './bridge.js' }))) return;
    text(res, 404, 'Not found.');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) text(res, 500, 'The dev bridge failed on this request.');
      else res.destroy();
    });
  });
  // Keeps idle browser connections from holding the process open on Ctrl-C.
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, 25_000);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  host = `127.0.0.1:${port}`;
  origin = `http://${host}`;

  return {
    url: `${origin}/?k=${secret}`,
    origin,
    emit(channel, payload) {
      // Parsed on the way out, as Electron's main does, so an event carries only what its schema names.
      const data = JSON.stringify({ channel, payload: EVENTS[channel].parse(payload) });
      for (const s of streams) s.write(`data: ${data}\n\n`);
    },
    async close() {
      clearInterval(heartbeat);
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
