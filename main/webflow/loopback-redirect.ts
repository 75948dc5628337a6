// Which redirect URIs the loopback login can serve. Webflow matches the registered redirect URI
// exactly and documents no dynamic ports, so the user registers one fixed loopback URI and the
// listener binds exactly that port, on loopback only (RFC 8252 §7.3).
import { AppError } from '../core/errors.js';

export interface LoopbackTarget {
  /** Addresses to listen on: `localhost` may resolve to either, so it gets both. */
  hosts: string[];
  port: number;
  path: string;
}

export function parseLoopbackRedirect(redirectUri: string): LoopbackTarget {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new AppError('usage', `"${redirectUri}" is not a URL. Use the redirect URI registered in your Webflow app, for example http://localhost:8976/callback.`);
  }
  const host = url.hostname;
  const loopback = host === 'localhost' ? ['127.0.0.1', '::1'] : host === '127.0.0.1' ? ['127.0.0.1'] : host === '[::1]' ? ['::1'] : null;
  if (url.protocol !== 'http:' || !loopback) {
    throw new AppError('usage', `The redirect URI must be a loopback address such as http://localhost:8976/callback or http://127.0.0.1:8976/callback (got ${url.protocol}//${url.host}).`);
  }
  if (!url.port) throw new AppError('usage', 'The redirect URI needs an explicit port, for example http://localhost:8976/callback; register the same URI in your Webflow app.');
  if (url.search || url.hash) throw new AppError('usage', 'The redirect URI must not carry a query or fragment.');
  return { hosts: loopback, port: Number(url.port), path: url.pathname || '/' };
}
