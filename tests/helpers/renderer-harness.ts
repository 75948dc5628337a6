// The browser harness: the real renderer build in Debian's Chromium, bound to the
// real IPC handlers in this process. page.exposeBinding carries each call to `session.call` (the
// same validate → handler → validate path Electron's ipcMain takes); an init script builds
// `window.wfvault` with the preload's buildApi; events are pushed back with page.evaluate.
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { EVENTS, type CallChannel, type EventChannel, type EventOf } from '../../preload/contract.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { createOAuthPort } from '../../main/services/app-oauth.js';
import { realTimers, type CliCommandPort, type ClipboardPort, type EventPort, type Notice, type TimerPort } from '../../main/services/app-ports.js';
import { createAppSession, type AppSession } from '../../main/services/app-session.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { bridgeScript } from '../../scripts/web-bridge/bundle.js';
import { ensureRendererBuilt, sendRendererFile } from '../../scripts/web-bridge/renderer-files.js';

export type CallFn = (channel: CallChannel, payload: unknown) => Promise<unknown>;

/** Stands in for the system clipboard: the only place a secret may go. */
export class FakeClipboard implements ClipboardPort {
  text = '';
  writes = 0;
  /** Makes the next write fail, as a clipboard owned by another program can. */
  failNext = false;
  async writeConcealed(text: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('clipboard busy');
    }
    this.text = text;
    this.writes += 1;
  }
  async readText() {
    return this.text;
  }
  async clear() {
    this.text = '';
  }
}

export interface HarnessPorts {
  clipboard: FakeClipboard;
  notices: Notice[];
  opened: string[];
  /** What the external opener answers: true pretends the system browser opened the page. */
  openResult: boolean;
}

export interface SessionHarness {
  session: AppSession;
  ports: HarnessPorts;
  passphrase: PassphraseBroker;
  /** Set by `openRenderer`: where events for the window go. */
  events: { target: EventPort | null };
  warnings: string[];
}

/**
 * The app session the desktop app runs (handlers, clipboard guard, auto-lock) on fake OS ports.
 * `passphrase` must be the broker whose getPassphrase the vault in `deps` was made with.
 */
export function createSessionHarness(
  deps: ServiceDeps,
  passphrase: PassphraseBroker,
  timers: TimerPort = realTimers,
  extra: { cliCommand?: CliCommandPort } = {},
): SessionHarness {
  const ports: HarnessPorts = { clipboard: new FakeClipboard(), notices: [], opened: [], openResult: false };
  const events: SessionHarness['events'] = { target: null };
  const warnings: string[] = [];
  const session = createAppSession(
    deps,
    {
      clipboard: ports.clipboard,
      notifier: { notify: (n) => ports.notices.push(n) },
      opener: {
        open: async (url) => {
          ports.opened.push(url);
          return ports.openResult;
        },
      },
      events: { emit: (channel, payload) => events.target?.emit(channel, payload) },
      timers,
      passphrase,
      oauth: createOAuthPort(deps),
      loginItem: { setOpenAtLogin: () => undefined },
      ...extra,
    },
    { warn: (m) => warnings.push(m) },
  );
  return { session, ports, passphrase, events, warnings };
}

/** Opens the window on a session harness, with events wired both ways. */
export function openOnSession(browser: Browser, h: SessionHarness, opts: Omit<OpenOptions, 'call' | 'bindEvents'> = {}): Promise<RendererPage> {
  return openRenderer(browser, { ...opts, call: (c, p) => h.session.call(c, p), bindEvents: (emit) => (h.events.target = { emit }) });
}

export interface RendererPage {
  page: Page;
  context: BrowserContext;
  url: string;
  /** Console errors and CSP violations seen in the page; a test expects none. */
  problems: string[];
  /** Pushes an event to the window, as main's webContents.send would. */
  emit: EventPort['emit'];
  close(): Promise<void>;
}

export interface OpenOptions {
  call: CallFn;
  /** Receives the function that pushes events to this page. */
  bindEvents?: (emit: EventPort['emit']) => void;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/**
 * axe-core, served same-origin: the app's CSP (script-src 'self') rightly refuses the inline
 * script page.addScriptTag({ path }) would create, and the tests keep that CSP in force.
 */
export const AXE_URL = '/__test__/axe.min.js';
const AXE_FILE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** Runs axe-core on the page as it is now; returns the violations, one readable line each. */
export async function runAxe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ url: AXE_URL });
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as { document: unknown; axe: { run(ctx: unknown, opts: object): Promise<{ violations: AxeViolation[] }> } };
    return (await g.axe.run(g.document, { resultTypes: ['violations'] })).violations;
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Serves renderer/dist on a loopback port with the app's CSP, for the life of the harness. */
async function serveRenderer(): Promise<{ origin: string; server: Server }> {
  await ensureRendererBuilt();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (path === AXE_URL) {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
      createReadStream(AXE_FILE).pipe(res);
      return;
    }
    void sendRendererFile(res, path).then((sent) => {
      if (!sent) res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, server };
}

export async function openRenderer(browser: Browser, opts: OpenOptions): Promise<RendererPage> {
  const { origin, server } = await serveRenderer();
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    colorScheme: opts.colorScheme ?? 'light',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  // The Electron side accepts calls only from the app's own top frame; so does this one.
  await page.exposeBinding('__wfvaultInvoke', async (source, channel: unknown, payload: unknown) => {
    if (source.frame !== page.mainFrame() || new URL(source.frame.url()).origin !== origin) {
      return JSON.stringify({ ok: false, error: { code: 'usage', message: 'Calls are accepted from the app page only.' } });
    }
    return JSON.stringify(await opts.call(channel as CallChannel, payload));
  });
  await page.addInitScript({ content: await bridgeScript('binding') });

  // Delivered in order, one at a time, like messages on an IPC channel.
  let queue: Promise<unknown> = Promise.resolve();
  const emit: EventPort['emit'] = <E extends EventChannel>(channel: E, payload: EventOf<E>) => {
    const checked = EVENTS[channel].parse(payload);
    queue = queue
      .then(() => page.evaluate(([c, p]) => (globalThis as unknown as { __wfvaultDeliver?: (c: string, p: unknown) => void }).__wfvaultDeliver?.(c, p), [channel, checked] as const))
      .catch(() => undefined);
  };
  opts.bindEvents?.(emit);

  const url = `${origin}/index.html`;
  await page.goto(url);
  return {
    page,
    context,
    url,
    problems,
    emit,
    async close() {
      await queue.catch(() => undefined);
      await context.close().catch(() => undefined);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
