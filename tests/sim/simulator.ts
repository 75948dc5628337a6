// Webflow simulator: a FAKE that stands in for Webflow in tests and local development. It is a real
// HTTP server on 127.0.0.1 with two listeners, the API host and the OAuth host, on separate ports
// so code that mixes up the two base URLs fails as it would against webflow.com. It implements
// the shapes of Webflow's public documentation, can play either side where that documentation is
// ambiguous (see `options`), and injects faults on demand. Nothing in it talks to Webflow.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleApi } from './api-host.js';
import { apiError, bearerOf, sendHtml, sendJson, type SimContext, type SimHost } from './http-util.js';
import { errorPage } from './consent-page.js';
import { CONTROL_PREFIX, handleControl } from './control-page.js';
import { handleOAuth, type Revocation } from './oauth-host.js';
import {
  defaultOptions,
  SimState,
  type SimApp,
  type SimAppInit,
  type SimOptions,
  type SimSite,
  type SimToken,
  type SimTokenInit,
  type SimUser,
} from './state.js';

export type { SimApp, SimAppInit, SimOptions, SimSite, SimToken, SimTokenInit, SimUser, Revocation, SimHost };

export type FaultKind = 'latency' | 'status500' | 'malformed' | 'drop' | 'status429' | 'respond';

export interface FaultInit {
  /** Matched against the path without its query; every path when absent. */
  path?: string | RegExp;
  /** Limits the fault to one host; both when absent. */
  host?: SimHost;
  kind: FaultKind;
  /** `latency`: the delay before answering normally. */
  ms?: number;
  /** `status429`: the Retry-After header, in seconds (60 when absent). */
  retryAfter?: number;
  /** How many matching requests the fault consumes; 1 when absent. */
  count?: number;
  /** `respond`: the answer to send instead of the real one. */
  status?: number;
  headers?: Record<string, string>;
  /** `respond`: a string is sent as is, anything else as JSON; a function sees the bearer presented. */
  body?: unknown;
}

interface Fault extends FaultInit {
  remaining: number;
}

export interface SimRequest {
  method: string;
  host: SimHost;
  path: string;
  /** Arrival time on the simulator's clock. */
  at: number;
  /** The HTTP status sent; 0 when the connection was dropped or abandoned before an answer. */
  status: number;
  /** The authorization id of a known token; the token string itself is never logged. */
  authId: string | null;
  /**
   * SHA-256 (hex) of the bearer credential presented, known or not, so a test can prove a value
   * (a client secret, say) was never sent as one without the log holding the value.
   */
  bearerSha256: string | null;
}

export interface SimSeed {
  sites: SimSite[];
  siteToken: SimToken;
  workspaceToken: SimToken;
  app: SimApp;
}

export interface Simulator {
  apiUrl: string;
  oauthUrl: string;
  env: { WEBFLOW_API_BASE_URL: string; WEBFLOW_OAUTH_BASE_URL: string };
  /** The control page's address with this run's key, for a person to open in a browser. */
  controlUrl: string;
  /** The per-run key every control request must carry. */
  controlKey: string;
  addSite(site: { id?: string; displayName: string; shortName: string; workspaceId?: string }): SimSite;
  addUser(user: { id?: string; email: string; firstName: string; lastName: string }): SimUser;
  addToken(init?: SimTokenInit): SimToken;
  revokeToken(token: string): void;
  addApp(app: SimAppInit): SimApp;
  inject(fault: FaultInit): void;
  clearFaults(): void;
  /** Moves the simulator's clock (code expiry, rate windows) forward without waiting. */
  advanceClock(ms: number): void;
  /** The simulator's clock, as used for `requests[].at`. */
  now(): number;
  options: SimOptions;
  /** Length of a rate-limit window; one minute like Webflow unless a test shortens it. */
  rateWindowMs: number;
  requests: SimRequest[];
  revocations: Revocation[];
  /** Requests being served right now, and the most seen at once since the last `resetStats`. */
  stats: { inFlight: number; maxInFlight: number };
  resetStats(): void;
  /** The seeded sites, tokens and app when started with `seed: true`. */
  seeded: SimSeed | null;
  close(): Promise<void>;
}

export interface StartOptions {
  apiPort?: number;
  oauthPort?: number;
  seed?: boolean;
  /** Rate-limit window length; 60 000 ms by default. */
  rateWindowMs?: number;
}

const HOST = '127.0.0.1';

export async function startSimulator(opts: StartOptions = {}): Promise<Simulator> {
  const state = new SimState(opts.rateWindowMs ?? 60_000);
  const options = defaultOptions();
  const faults: Fault[] = [];
  const requests: SimRequest[] = [];
  const revocations: Revocation[] = [];
  const stats = { inFlight: 0, maxInFlight: 0 };
  const timers = new Set<NodeJS.Timeout>();
  const controlKey = randomBytes(16).toString('hex');
  let apiOrigin = '';

  const takeFault = (host: SimHost, path: string): Fault | undefined => {
    const i = faults.findIndex(
      (f) =>
        (f.host === undefined || f.host === host) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === path : f.path.test(path))),
    );
    if (i < 0) return undefined;
    const fault = faults[i]!;
    fault.remaining -= 1;
    if (fault.remaining <= 0) faults.splice(i, 1);
    return fault;
  };

  const route = async (ctx: SimContext): Promise<void> => {
    if (ctx.host === 'api' && (ctx.path === CONTROL_PREFIX || ctx.path.startsWith(`${CONTROL_PREFIX}/`))) {
      return handleControl(ctx, state, controlKey, apiOrigin);
    }
    if (ctx.host === 'api') await handleApi(ctx, state, options);
    else await handleOAuth(ctx, state, options, revocations);
  };

  const applyFault = async (ctx: SimContext, fault: Fault): Promise<void> => {
    const { res } = ctx;
    switch (fault.kind) {
      case 'latency':
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => {
            timers.delete(t);
            resolve();
          }, fault.ms ?? 1000);
          timers.add(t);
        });
        if (res.destroyed || res.writableEnded) return;
        return route(ctx);
      case 'status500':
        return sendJson(res, 500, apiError('internal_error', 'An internal error occurred. Please try again later.'));
      case 'status429':
        return sendJson(res, 429, { message: 'Too Many Requests', code: 'too_many_requests', externalReference: null, details: [] }, {
          'Retry-After': String(fault.retryAfter ?? 60),
          'X-RateLimit-Limit': '60',
          'X-RateLimit-Remaining': '0',
        });
      case 'malformed': {
        const text = '{"authorization":{"id":"55818d58616600637b9a5786","scope":"sites:re';
        res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(text.length) });
        res.end(text);
        return;
      }
      case 'drop':
        ctx.req.socket.destroy();
        return;
      case 'respond': {
        const raw = typeof fault.body === 'function' ? (fault.body as (c: { bearer: string | null }) => unknown)({ bearer: ctx.bearer }) : fault.body;
        const status = fault.status ?? 200;
        if (typeof raw === 'string') {
          res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...fault.headers });
          res.end(raw);
        } else {
          sendJson(res, status, raw ?? {}, fault.headers);
        }
        return;
      }
    }
  };

  const handler = (host: SimHost) => (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const bearer = bearerOf(req);
    // Known tokens are named in the log even when a fault answers for them.
    const ctx: SimContext = { host, req, res, url, path: url.pathname, bearer, authId: state.findToken(bearer)?.id ?? null };
    const at = state.now();
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let finished = false;
    // Logged at 'finish' (the answer is handed to the socket) so the entry is there before the
    // client can read the answer; 'close' without 'finish' means no answer went out.
    const settle = (status: number): void => {
      if (finished) return;
      finished = true;
      stats.inFlight -= 1;
      requests.push({ method: req.method ?? 'GET', host, path: ctx.path, at, status, authId: ctx.authId, bearerSha256: bearer === null ? null : createHash('sha256').update(bearer).digest('hex') });
    };
    res.on('finish', () => settle(res.statusCode));
    res.on('close', () => settle(0));
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    const fault = takeFault(host, ctx.path);
    (fault ? applyFault(ctx, fault) : route(ctx)).catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const detail = err instanceof Error ? err.message : String(err);
      if (host === 'api') sendJson(res, 500, apiError('internal_error', `Simulator error: ${detail}`));
      else sendHtml(res, 500, errorPage('Internal error', `Simulator error: ${detail}`));
    });
  };

  const apiServer = createServer(handler('api'));
  const oauthServer = createServer(handler('oauth'));
  const apiPort = await listen(apiServer, opts.apiPort ?? 0);
  let oauthPort: number;
  try {
    oauthPort = await listen(oauthServer, opts.oauthPort ?? 0);
  } catch (err) {
    await closeServer(apiServer);
    throw err;
  }

  const apiUrl = `http://${HOST}:${apiPort}`;
  const oauthUrl = `http://${HOST}:${oauthPort}`;
  apiOrigin = apiUrl;
  const sim: Simulator = {
    apiUrl,
    oauthUrl,
    env: { WEBFLOW_API_BASE_URL: apiUrl, WEBFLOW_OAUTH_BASE_URL: oauthUrl },
    controlUrl: `${apiUrl}${CONTROL_PREFIX}/?key=${controlKey}`,
    controlKey,
    addSite: (site) => state.addSite(site),
    addUser: (user) => state.addUser(user),
    addToken: (init) => state.addToken(init),
    revokeToken: (token) => state.revokeToken(token),
    addApp: (app) => state.addApp(app),
    inject: (fault) => {
      faults.push({ ...fault, remaining: Math.max(1, fault.count ?? 1) });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    advanceClock: (ms) => state.advanceClock(ms),
    now: () => state.now(),
    options,
    get rateWindowMs() {
      return state.rateWindowMs;
    },
    set rateWindowMs(ms: number) {
      state.rateWindowMs = ms;
    },
    requests,
    revocations,
    stats,
    resetStats: () => {
      stats.maxInFlight = stats.inFlight;
    },
    seeded: null,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.all([closeServer(apiServer), closeServer(oauthServer)]);
    },
  };
  if (opts.seed) sim.seeded = seed(sim);
  return sim;
}

/** The fixture `npm run sim` starts with: two sites, a Site token, a Workspace token and an app. */
function seed(sim: Simulator): SimSeed {
  const marketing = sim.addSite({ displayName: 'Acme Marketing', shortName: 'acme-marketing' });
  const docs = sim.addSite({ displayName: 'Acme Docs', shortName: 'acme-docs', workspaceId: marketing.workspaceId });
  const siteToken = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read', 'authorized_user:read'], siteIds: [marketing.id] });
  const workspaceToken = sim.addToken({ kind: 'workspace', workspaceIds: [marketing.workspaceId] });
  const app = sim.addApp({
    name: 'Token Vault Dev App',
    redirectUris: ['http://localhost:8976/callback'],
    scopes: ['sites:read', 'cms:read', 'cms:write', 'authorized_user:read', 'pages:read'],
  });
  return { sites: [marketing, docs], siteToken, workspaceToken, app };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(port, HOST, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Clients keep connections alive; without this, close waits for them to time out.
    server.closeAllConnections();
  });
}
