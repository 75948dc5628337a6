// The app:// protocol: serves the built renderer from disk with a strict CSP. Registered as a
// privileged standard scheme so the window gets a real origin (needed for the sender check) while
// http(s) and file:// stay out of the picture.
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { APP_HOST, APP_SCHEME, CSP } from './origin.js';

/** Must run before the app's `ready` event. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false, stream: false } },
  ]);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function respond(status: number, body: ConstructorParameters<typeof Response>[0], type = 'text/plain; charset=utf-8'): Response {
  return new Response(body, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': type } });
}

/**
 * The handler for protocol.handle. `rendererDir` is the built renderer (renderer/dist); when it
 * does not exist, index.html is `placeholderFile`, which says so instead of a blank window.
 */
export function createAppProtocolHandler(rendererDir: string, placeholderFile: string): (request: Request) => Promise<Response> {
  const root = resolve(rendererDir);
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return respond(400, 'Bad request');
    }
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return respond(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'Method not allowed');

    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return respond(400, 'Bad request');
    }
    if (path.includes('\0')) return respond(400, 'Bad request');
    if (path === '/' || path === '') path = '/index.html';
    const file = resolve(join(root, path));
    // Anything that resolves outside the renderer folder (../, encoded or not) is not ours to serve.
    if (!file.startsWith(root + sep)) return respond(404, 'Not found');

    try {
      const info = await stat(file);
      if (!info.isFile()) return respond(404, 'Not found');
      const body = request.method === 'HEAD' ? null : await readFile(file);
      return respond(200, body, TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
    } catch {
      if (path === '/index.html' && !(await exists(root))) return respond(200, await readFile(placeholderFile), TYPES['.html']);
      return respond(404, 'Not found');
    }
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

export function installAppProtocol(rendererDir: string, placeholderFile: string): void {
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir, placeholderFile));
}
