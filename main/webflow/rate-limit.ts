// Webflow limits requests per token per minute and says so in headers on every answer
// (Webflow's rate-limit documentation). These helpers read those headers and keep a batch of tests from walking
// into a 429 it could have seen coming.
import type { ReplyHeaders } from './http.js';
import { sleep } from './sleep.js';

export interface RateHeaders {
  limit: number | null;
  remaining: number | null;
}

function intHeader(headers: ReplyHeaders, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || !/^\s*\d+\s*$/.test(raw)) return null;
  return Number(raw);
}

export function rateHeaders(headers: ReplyHeaders): RateHeaders {
  return { limit: intHeader(headers, 'x-ratelimit-limit'), remaining: intHeader(headers, 'x-ratelimit-remaining') };
}

/**
 * How long the server asks us to wait: `Retry-After` (seconds or an HTTP date), else
 * `X-RateLimit-Reset` (epoch seconds, or seconds from now when small), else null.
 */
export function retryAfterMs(headers: ReplyHeaders, now = Date.now()): number | null {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get('x-ratelimit-reset')?.trim();
  if (reset && /^\d+(\.\d+)?$/.test(reset)) {
    const n = Number(reset);
    // Epoch seconds are 10 digits today; a small number can only be a delay.
    return n > 1e9 ? Math.max(0, Math.round(n * 1000 - now)) : Math.round(n * 1000);
  }
  return null;
}

const DEFAULT_WINDOW_MS = 60_000;
/** Server and client start the window at slightly different moments; wait a little past its end. */
const WINDOW_SLACK_MS = 100;

/**
 * Remembers, per token, until when its current window is spent. Keys are the token strings; they
 * stay in memory for one batch and are never printed.
 */
export class RateGate {
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly maxWaitMs: number) {}

  /** Called after each answer: a token with nothing left waits before its next call. */
  observe(key: string, status: number, headers: ReplyHeaders): void {
    if (status === 429) return; // the retry loop waits for those itself
    const { remaining } = rateHeaders(headers);
    if (remaining !== 0) return;
    const wait = Math.min((retryAfterMs(headers) ?? DEFAULT_WINDOW_MS) + WINDOW_SLACK_MS, this.maxWaitMs);
    this.blockedUntil.set(key, Date.now() + wait);
  }

  async wait(key: string, signal?: AbortSignal): Promise<void> {
    const until = this.blockedUntil.get(key);
    if (until === undefined) return;
    this.blockedUntil.delete(key);
    const ms = until - Date.now();
    if (ms > 0) await sleep(ms, signal);
  }
}
