// The built renderer for the browser harnesses: builds it when it is missing or older than its
// sources, and serves its files with the app's CSP, like the app:// protocol does in Electron.
import { readdir, readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import lockfile from 'proper-lockfile';
import { CSP } from '../../main/electron/origin.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const RENDERER_DIR = join(ROOT, 'renderer');
export const RENDERER_DIST = join(RENDERER_DIR, 'dist');

/** What the window's code is built from; a change to any of these makes the build stale. */
const SOURCES = [join(RENDERER_DIR, 'src'), join(RENDERER_DIR, 'index.html'), join(RENDERER_DIR, 'vite.config.ts'), join(ROOT, 'preload'), join(ROOT, 'main', 'core')];

async function newest(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newest(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
}

async function stale(): Promise<boolean> {
  const built = await stat(join(RENDERER_DIST, 'index.html')).catch(() => null);
  if (!built) return true;
  const sources = await Promise.all(SOURCES.map(newest));
  return Math.max(...sources) > built.mtimeMs;
}

/**
 * Builds renderer/dist unless it is up to date. Test files run in parallel workers, so the check
 * and the build happen under a lock: one worker builds, the others wait and then find it fresh.
 */
export async function ensureRendererBuilt(): Promise<string> {
  if (!(await stale())) return RENDERER_DIST;
  const release = await lockfile.lock(RENDERER_DIR, {
    lockfilePath: join(RENDERER_DIR, '.build.lock'),
    retries: { retries: 120, minTimeout: 250, maxTimeout: 1000 },
    stale: 60_000,
  });
  try {
    if (await stale()) {
      const { build } = await import('vite');
      await build({ configFile: join(RENDERER_DIR, 'vite.config.ts'), logLevel: 'warn' });
    }
  } finally {
    await release();
  }
  return RENDERER_DIST;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface ServeOptions {
  /** CSP for the page; the app's own by default (which allows no fetch at all). */
  csp?: string;
  /** A classic script (same origin) put before the app's module script in index.html. */
  injectScript?: string;
}

export const APP_CSP = CSP;

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'X-Frame-Options': 'DENY',
  };
}

/** Serves one file of the build for a GET; false when there is no such file. */
export async function sendRendererFile(res: ServerResponse, urlPath: string, opts: ServeOptions = {}): Promise<boolean> {
  let path: string;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return false;
  }
  if (path.includes('\0')) return false;
  if (path === '/' || path === '') path = '/index.html';
  const file = resolve(join(RENDERER_DIST, path));
  if (!file.startsWith(RENDERER_DIST + sep)) return false;
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  if (path === '/index.html' && opts.injectScript) {
    const html = body.toString('utf8');
    const at = html.indexOf('<script');
    const tag = `<script src="${opts.injectScript}"></script>\n    `;
    body = Buffer.from(at >= 0 ? html.slice(0, at) + tag + html.slice(at) : html.replace('</head>', `${tag}</head>`));
  }
  res.writeHead(200, { ...securityHeaders(opts.csp ?? CSP), 'Content-Type': type, 'Content-Length': String(body.length) });
  res.end(body);
  return true;
}
