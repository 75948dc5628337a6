// Where the Webflow client sends requests and how patient it is. Every base URL is configurable so
// tests and `npm run sim` can point the app at the local simulator.
import { AppError } from '../core/errors.js';

export interface WebflowConfig {
  apiBaseUrl: string;
  oauthBaseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  maxRetryWaitMs: number;
}

export const DEFAULT_API_BASE_URL = 'https://api.webflow.com';
export const DEFAULT_OAUTH_BASE_URL = 'https://webflow.com';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_RETRY_WAIT_MS = 60_000;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Validates a base URL from the environment. Plain http is allowed only on loopback: anything else
 * would send bearer tokens and client secrets in clear text.
 */
export function parseBaseUrl(raw: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('usage', `${variable} is not a valid URL: "${raw}". Expected something like https://api.webflow.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('usage', `${variable} must be an http(s) URL, got "${url.protocol}".`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new AppError('usage', `${variable} uses plain http for ${url.hostname}; only loopback addresses may skip https.`);
  }
  if (url.username || url.password) throw new AppError('usage', `${variable} must not contain a user name or password.`);
  if (url.search || url.hash) throw new AppError('usage', `${variable} must not contain a query string or fragment.`);
  return (url.origin + url.pathname).replace(/\/+$/, '');
}

function parseMs(raw: string | undefined, variable: string, fallback: number, min: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new AppError('usage', `${variable} must be a whole number of milliseconds (at least ${min}), got "${raw}".`);
  }
  return n;
}

export function webflowConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebflowConfig {
  const api = env.WEBFLOW_API_BASE_URL?.trim() ? parseBaseUrl(env.WEBFLOW_API_BASE_URL.trim(), 'WEBFLOW_API_BASE_URL') : DEFAULT_API_BASE_URL;
  const oauth = env.WEBFLOW_OAUTH_BASE_URL?.trim()
    ? parseBaseUrl(env.WEBFLOW_OAUTH_BASE_URL.trim(), 'WEBFLOW_OAUTH_BASE_URL')
    : DEFAULT_OAUTH_BASE_URL;
  return {
    // The SDKs' base includes /v2; accept that spelling too, since the client adds /v2 itself.
    apiBaseUrl: api.replace(/\/v2$/, ''),
    oauthBaseUrl: oauth,
    timeoutMs: parseMs(env.WFVAULT_HTTP_TIMEOUT_MS, 'WFVAULT_HTTP_TIMEOUT_MS', DEFAULT_TIMEOUT_MS, 1),
    maxRetries: DEFAULT_MAX_RETRIES,
    maxRetryWaitMs: parseMs(env.WFVAULT_MAX_RETRY_WAIT_MS, 'WFVAULT_MAX_RETRY_WAIT_MS', DEFAULT_MAX_RETRY_WAIT_MS, 0),
  };
}
