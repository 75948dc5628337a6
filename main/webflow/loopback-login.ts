// The OAuth authorization-code flow for a desktop app, through a loopback redirect (RFC 8252):
// listen first, then send the user to Webflow, accept exactly one callback carrying our state,
// exchange the code, and close the listener whatever happens (success, error, timeout, cancel).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { AppError, isAppError } from '../core/errors.js';
import type { WebflowConfig } from './config.js';
import { PAGE_HEADERS, resultPage } from './loopback-pages.js';
import { parseLoopbackRedirect } from './loopback-redirect.js';
import { buildAuthorizeUrl, exchangeCode } from './oauth.js';
import { serverText } from './redact.js';

export const DEFAULT_LOGIN_TIMEOUT_MS = 5 * 60_000;

export type LoginProgress =
  | { step: 'listening'; authorizeUrl: string }
  | { step: 'browser_opened' }
  | { step: 'callback_refused'; reason: string }
  | { step: 'exchanging_code' };

export interface LoopbackLoginOptions {
  config: WebflowConfig;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: readonly string[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Keeps the new token (stores it). Called before the browser is told "Connected", so the page
   * never claims a token was kept when it was not.
   */
  onAccessToken?: (accessToken: string) => Promise<void>;
  /** Opens the system browser; omitted with --no-browser (the URL is still reported). */
  openBrowser?: (url: string) => Promise<void> | void;
  onProgress?: (progress: LoginProgress) => void;
}

export async function runLoopbackLogin(opts: LoopbackLoginOptions): Promise<{ accessToken: string }> {
  const target = parseLoopbackRedirect(opts.redirectUri);
  if (opts.scopes.length === 0) throw new AppError('usage', 'Choose at least one scope (--scopes), for example sites:read.');
  const state = randomBytes(32).toString('base64url');
  const authorizeUrl = buildAuthorizeUrl(opts.config, { clientId: opts.clientId, redirectUri: opts.redirectUri, scopes: opts.scopes, state });

  let settle!: { resolve: (token: string) => void; reject: (e: unknown) => void };
  const outcome = new Promise<string>((resolve, reject) => (settle = { resolve, reject }));
  let handled = false;

  // Exchange, keep, and only then tell the browser: the page must not say "Connected" for a token
  // that was not kept.
  const finish = async (code: string, res: ServerResponse) => {
    try {
      const { accessToken } = await exchangeCode(opts.config, { clientId: opts.clientId, clientSecret: opts.clientSecret, code, redirectUri: opts.redirectUri, signal: opts.signal });
      await opts.onAccessToken?.(accessToken);
      res.writeHead(200, PAGE_HEADERS).end(resultPage('Connected', 'Webflow Token Vault received the token and stored it encrypted. You can close this tab.'));
      settle.resolve(accessToken);
    } catch (e) {
      const message = isAppError(e) ? e.message : 'The code exchange failed.';
      res.writeHead(200, PAGE_HEADERS).end(resultPage('Not connected', `${message} You can close this tab.`));
      settle.reject(e);
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://loopback');
    if (req.method !== 'GET' || url.pathname !== target.path || handled) {
      res.writeHead(404, PAGE_HEADERS).end(resultPage('Not found', 'Nothing here. You can close this tab.'));
      return;
    }
    const q = url.searchParams;
    if (!sameState(q.get('state'), state)) {
      // A callback without our state is someone else's: refuse it and keep waiting for ours.
      opts.onProgress?.({ step: 'callback_refused', reason: 'state mismatch' });
      res.writeHead(400, PAGE_HEADERS).end(resultPage('Sign-in refused', 'This answer does not belong to the login that Webflow Token Vault started, so it was ignored.'));
      return;
    }
    handled = true;
    // Whatever the redirect carries is shown to a person: strip control characters, cap the length.
    const error = q.get('error') ? serverText(q.get('error'), []) : null;
    if (error) {
      const description = q.get('error_description') ? serverText(q.get('error_description'), []) : null;
      res.writeHead(200, PAGE_HEADERS).end(resultPage('Not connected', `Webflow did not authorize the app${description ? `: ${description}` : ` (${error})`}. You can close this tab.`));
      settle.reject(new AppError('oauth_error', `Webflow did not authorize the app (${error})${description ? `: ${description}` : ''}.`, { oauthError: error }));
      return;
    }
    const code = q.get('code');
    if (!code) {
      res.writeHead(400, PAGE_HEADERS).end(resultPage('Not connected', 'Webflow sent no authorization code. You can close this tab and try again.'));
      settle.reject(new AppError('oauth_error', 'Webflow redirected back without an authorization code.'));
      return;
    }
    opts.onProgress?.({ step: 'exchanging_code' });
    void finish(code, res);
  };

  const servers = await listenAll(target.hosts, target.port, onRequest);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  const timer = setTimeout(() => {
    settle.reject(new AppError('failed', `No answer from the browser within ${Math.round(timeoutMs / 1000)} s; the login was stopped and port ${target.port} released.`));
  }, timeoutMs);
  const onAbort = () => settle.reject(new AppError('failed', 'Login cancelled.', { cancelled: true }));
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (opts.signal?.aborted) onAbort();
    opts.onProgress?.({ step: 'listening', authorizeUrl });
    if (opts.openBrowser) {
      await opts.openBrowser(authorizeUrl);
      opts.onProgress?.({ step: 'browser_opened' });
    }
    return { accessToken: await outcome };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    await Promise.all(servers.map(closeServer));
  }
}

function sameState(received: string | null, expected: string): boolean {
  if (received === null) return false;
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function listenAll(hosts: readonly string[], port: number, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server[]> {
  const servers: Server[] = [];
  try {
    for (const host of hosts) {
      const server = createServer(handler);
      const bound = await listen(server, host, port);
      if (bound) servers.push(server);
    }
  } catch (e) {
    await Promise.all(servers.map(closeServer));
    throw e;
  }
  if (servers.length === 0) throw new AppError('failed', `Could not listen on port ${port} on this machine's loopback address.`);
  return servers;
}

/** Resolves false when the address family is not available here (no IPv6), throws when the port is busy. */
function listen(server: Server, host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EADDRINUSE') {
        reject(new AppError('failed', `Port ${port} is already in use, so the login cannot receive Webflow's answer. Close the program using it, or register another redirect URI in your Webflow app and update the profile.`, { port }));
      } else if (e.code === 'EADDRNOTAVAIL' || e.code === 'EAFNOSUPPORT') resolve(false);
      else if (e.code === 'EACCES') reject(new AppError('failed', `Not allowed to listen on port ${port}; choose a port above 1024 for the redirect URI.`));
      else reject(new AppError('failed', `Could not listen on ${host}:${port} (${e.code ?? 'error'}).`));
    });
    server.listen({ host, port, exclusive: true }, () => resolve(true));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
