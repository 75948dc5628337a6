// Small HTTP helpers shared by the simulator's two hosts.
import type { IncomingMessage, ServerResponse } from 'node:http';

export type SimHost = 'api' | 'oauth';

export interface SimContext {
  host: SimHost;
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  /** The bearer credential presented, if any; only ever used for lookups, never logged. */
  bearer: string | null;
  /** The authorization id once the bearer is known, so the request log can name it. */
  authId: string | null;
}

const MAX_BODY_BYTES = 64 * 1024;

export function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html).toString(),
    // The consent page runs no script; forbid any, and let its form post only back here. Browsers
    // apply form-action to the redirect that follows the post too, so the loopback redirect URIs
    // the decision sends the browser to must be allowed as well.
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://localhost:* http://127.0.0.1:* http://[::1]:*",
    'X-Frame-Options': 'DENY',
  });
  res.end(html);
}

export function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location, 'Content-Length': '0' });
  res.end();
}

/** Webflow's Data API error shape (Webflow's error-handling reference). */
export function apiError(code: string, message: string): Record<string, unknown> {
  return { code, message, externalReference: null, details: [] };
}

export function oauthError(error: string, description: string): Record<string, string> {
  return { error, error_description: description };
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * Reads a JSON or form-encoded body into string fields (both encodings are seen in the wild for
 * the token exchange). Returns null when the body cannot be read as either.
 */
export async function readFields(req: IncomingMessage): Promise<Record<string, string> | null> {
  const text = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  const asForm = (): Record<string, string> => Object.fromEntries(new URLSearchParams(text));
  const asJson = (): Record<string, string> | null => {
    try {
      const parsed: unknown = JSON.parse(text);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
      return out;
    } catch {
      return null;
    }
  };
  if (type.includes('application/json')) return asJson();
  if (type.includes('application/x-www-form-urlencoded')) return asForm();
  if (text.trim() === '') return {};
  return asJson() ?? asForm();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
