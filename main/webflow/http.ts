// One HTTP exchange with Webflow, with a per-attempt timeout and bounded retries. Failures come back
// as values with messages built here from error codes, never from the underlying exception: such
// errors can quote header values, and the Authorization header holds the token.
//
// Through node:http and node:https rather than fetch: Node loads fetch's implementation (undici)
// on first use, which costs a CLI run that sends two requests more than the requests themselves.
// Neither follows redirects, so a redirect never carries the bearer token anywhere; it is an answer.
import type { IncomingMessage, RequestOptions } from 'node:http';
import type { WebflowConfig } from './config.js';
import { RateGate, retryAfterMs } from './rate-limit.js';
import { redact } from './redact.js';
import { abortReason } from '../core/abort.js';
import { sleep } from './sleep.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The answer's headers, looked up case-insensitively (as fetch's Headers, which also fits). */
export interface ReplyHeaders {
  get(name: string): string | null;
}

export interface HttpReply {
  type: 'reply';
  status: number;
  headers: ReplyHeaders;
  text: string;
  /** The body was larger than any answer we expect and was not read. */
  oversized: boolean;
  /** Round trip of the last attempt. */
  latencyMs: number;
  attempts: number;
}

export interface HttpFailure {
  type: 'failure';
  kind: 'timeout' | 'network';
  message: string;
  latencyMs: number;
  attempts: number;
}

/**
 * `idempotent` retries 408, 429, 5xx and dropped connections. `rate_limit_only` is for POSTs that
 * must not run twice (an authorization code is single-use): only a 429, which means the request
 * was not processed, is repeated.
 */
export type RetryPolicy = 'idempotent' | 'rate_limit_only';

export interface SendOptions {
  /** Values that went out with the request and must not come back in any text. */
  secrets: readonly string[];
  retry: RetryPolicy;
  gate?: { gate: RateGate; key: string };
}

const MAX_BODY_BYTES = 1024 * 1024;
const BACKOFF_BASE_MS = 300;
const USER_AGENT = 'webflow-token-vault';

export async function send(config: WebflowConfig, req: HttpRequest, opts: SendOptions): Promise<HttpReply | HttpFailure> {
  for (let attempt = 1; ; attempt++) {
    if (opts.gate) await opts.gate.gate.wait(opts.gate.key, req.signal);
    const result = await once(config, req, opts.secrets);
    result.attempts = attempt;
    if (result.type === 'reply' && opts.gate) opts.gate.gate.observe(opts.gate.key, result.status, result.headers);
    if (attempt > config.maxRetries || !shouldRetry(result, opts.retry)) return result;
    await sleep(retryDelay(config, result, attempt), req.signal);
  }
}

function shouldRetry(result: HttpReply | HttpFailure, policy: RetryPolicy): boolean {
  if (result.type === 'failure') {
    // A timeout is not repeated: the caller already waited the whole timeout once.
    return policy === 'idempotent' && result.kind === 'network';
  }
  if (result.status === 429) return true;
  return policy === 'idempotent' && (result.status === 408 || result.status >= 500);
}

function retryDelay(config: WebflowConfig, result: HttpReply | HttpFailure, attempt: number): number {
  const backoff = BACKOFF_BASE_MS * 2 ** (attempt - 1) + Math.floor(Math.random() * 100);
  // Only a 429 honours Retry-After: Webflow sends `Retry-After: 60` on every answer, even a 200
  // or a 500, where it says nothing about when a retry may succeed.
  const asked = result.type === 'reply' && result.status === 429 ? retryAfterMs(result.headers) : null;
  return Math.min(asked ?? backoff, config.maxRetryWaitMs);
}

async function once(config: WebflowConfig, req: HttpRequest, secrets: readonly string[]): Promise<HttpReply | HttpFailure> {
  if (req.signal?.aborted) throw abortReason(req.signal);
  const timeout = AbortSignal.timeout(config.timeoutMs);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  try {
    const { status, headers, text, oversized } = await exchange(req, signal);
    return { type: 'reply', status, headers, text, oversized, latencyMs: elapsed(), attempts: 1 };
  } catch (err) {
    if (req.signal?.aborted) throw abortReason(req.signal);
    const origin = safeOrigin(req.url);
    if (timeout.aborted) {
      return {
        type: 'failure',
        kind: 'timeout',
        message: `Webflow (${origin}) did not answer within ${formatSeconds(config.timeoutMs)}`,
        latencyMs: elapsed(),
        attempts: 1,
      };
    }
    return {
      type: 'failure',
      kind: 'network',
      message: redact(`Could not reach Webflow at ${origin}: ${describeNetworkError(err)}`, secrets),
      latencyMs: elapsed(),
      attempts: 1,
    };
  }
}

interface Exchange {
  status: number;
  headers: ReplyHeaders;
  text: string;
  oversized: boolean;
}

/** Sends the request and reads at most MAX_BODY_BYTES of the answer; rejects when `signal` aborts. */
async function exchange(req: HttpRequest, signal: AbortSignal): Promise<Exchange> {
  const url = new URL(req.url);
  const { request } = url.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const body = req.body === undefined ? undefined : Buffer.from(req.body, 'utf8');
  const options: RequestOptions = {
    method: req.method,
    headers: { 'User-Agent': USER_AGENT, ...req.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
    signal,
  };
  return new Promise<Exchange>((resolve, reject) => {
    const sent = request(url, options, (res) => readCapped(res).then(resolve, reject));
    sent.on('error', reject);
    sent.end(body);
  });
}

function readCapped(res: IncomingMessage): Promise<Exchange> {
  const headers = replyHeaders(res);
  const status = res.statusCode ?? 0;
  return new Promise((resolve, reject) => {
    // TextDecoder, as fetch's text(): a byte-order mark is dropped and bad UTF-8 becomes U+FFFD.
    const decoder = new TextDecoder();
    let text = '';
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        res.destroy();
        resolve({ status, headers, text: '', oversized: true });
        return;
      }
      text += decoder.decode(chunk, { stream: true });
    });
    res.on('end', () => resolve({ status, headers, text: text + decoder.decode(), oversized: false }));
    res.on('error', reject);
    // A connection dropped in the middle of the body ends the message without 'end'.
    res.on('close', () => {
      if (!res.complete && size <= MAX_BODY_BYTES) reject(Object.assign(new Error('the answer was cut short'), { code: 'ECONNRESET' }));
    });
  });
}

function replyHeaders(res: IncomingMessage): ReplyHeaders {
  return {
    get(name: string): string | null {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the configured address';
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  UND_ERR_SOCKET: 'the connection was closed before an answer arrived',
  UND_ERR_CLOSED: 'the connection was closed before an answer arrived',
  ENOTFOUND: 'the host name could not be resolved',
  EAI_AGAIN: 'the host name could not be resolved (DNS is not answering)',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate chain is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate could not be verified',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate does not match the host name',
};

/** A phrase from the error's code alone; the error's own message may quote request headers. */
function describeNetworkError(err: unknown): string {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      const known = NETWORK_CODES[code];
      if (known) return `${known} (${code})`;
      if (/^[A-Z0-9_]{2,40}$/.test(code)) return `a connection error (${code})`;
    }
  }
  return 'the request could not be sent';
}
