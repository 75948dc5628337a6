// Turns answers into TestOutcomes with a sentence a person can act on. Every text taken from the
// server has already been scrubbed of the token (errors.ts) before it gets here.
import type { TestOutcome, TestStatus, TokenInfo } from '../core/test-outcome.js';
import type { TokenKind } from '../core/token.js';
import { readErrorBody, saying, statusLabel } from './errors.js';
import { formatSeconds, type HttpFailure, type HttpReply } from './http.js';
import { retryAfterMs, type RateHeaders } from './rate-limit.js';
import { serverText } from './redact.js';

export interface OutcomeContext {
  /** What was asked, for messages: `GET /v2/token/introspect`. */
  request: string;
  secrets: readonly string[];
  rate: RateHeaders;
  kind: TokenKind | undefined;
}

/** What an outcome rests on: the rate headers seen, and the requests that decided it. */
interface Basis {
  rate: RateHeaders;
  requests: string[];
}

const basis = (ctx: OutcomeContext, ...more: string[]): Basis => ({ rate: ctx.rate, requests: [ctx.request, ...more] });

function outcome(
  status: TestStatus,
  fields: { httpStatus: number | null; code: string | null; message: string; latencyMs: number },
  { rate, requests }: Basis,
  info: TokenInfo | null = null,
): TestOutcome {
  return {
    status,
    ok: status === 'valid',
    ...fields,
    rateLimit: rate.limit ?? info?.rateLimit ?? null,
    rateLimitRemaining: rate.remaining,
    requests,
    info,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function kindLabel(info: TokenInfo, kind: TokenKind | undefined, secrets: readonly string[]): string {
  if (info.grantType === 'authorization_code' || kind === 'oauth') {
    const app = serverText(info.application?.displayName, secrets);
    return app ? `OAuth token of the app ${app}` : 'OAuth token';
  }
  // What Webflow reports wins over the kind asked for: `add` assumes Site until told otherwise.
  if (kind === 'workspace' || (info.workspaceIds.length > 0 && info.siteIds.length === 0)) return 'Workspace token';
  if (kind === 'site') return 'Site token';
  return 'Site or Workspace token';
}

export function validOutcome(reply: HttpReply, info: TokenInfo, ctx: OutcomeContext): TestOutcome {
  let message: string;
  if (info.via === 'sites') {
    const reach = info.siteIds.length > 0 ? `it reaches ${plural(info.siteIds.length, 'site')}` : 'it may not list sites';
    message =
      `Webflow accepted the token through GET /v2/sites after refusing to introspect it (older docs say Site tokens ` +
      `cannot use the authorization endpoints); ${reach}, and its other scopes cannot be read.`;
  } else {
    const parts = [kindLabel(info, ctx.kind, ctx.secrets), plural(info.scopes.length, 'scope')];
    const sites = info.siteIds.length || info.sites.length;
    if (sites > 0) parts.push(plural(sites, 'site'));
    if (info.workspaceIds.length > 0) parts.push(plural(info.workspaceIds.length, 'workspace'));
    const who = info.authorizedUser?.email ?? info.authorizedUser?.firstName;
    if (who) parts.push(`authorized by ${serverText(who, ctx.secrets)}`);
    message = `Webflow accepted the token (${parts.join('; ')}).`;
  }
  return outcome('valid', { httpStatus: reply.status, code: null, message, latencyMs: reply.latencyMs }, basis(ctx), info);
}

function rejectionHint(kind: TokenKind | undefined): string {
  if (kind === 'oauth') return 'It may have been revoked (the app was uninstalled or its authorization removed) or mistyped.';
  return 'It may be revoked, expired after 365 days unused, or mistyped.';
}

/**
 * The outcome of an answer that is not a usable 200. `alsoRefusedBy` names the fallback request
 * that was refused too, for the message.
 */
export function statusOutcome(reply: HttpReply, ctx: OutcomeContext, alsoRefusedBy?: string): TestOutcome {
  const { status } = reply;
  const body = readErrorBody(reply.text, ctx.secrets);
  const label = statusLabel(status, body.code);
  const base = { httpStatus: status, latencyMs: reply.latencyMs };
  const tries = reply.attempts > 1 ? ` after ${plural(reply.attempts, 'attempt')}` : '';

  if (status === 401 || status === 403) {
    const also = alsoRefusedBy ? ` ${alsoRefusedBy} refused it too.` : '';
    const verb = status === 401 ? 'rejected' : 'refused';
    const hint = status === 401 ? rejectionHint(ctx.kind) : 'Webflow knows the token but does not let it read its own authorization info.';
    return outcome(
      'rejected',
      { ...base, code: body.code ?? 'token_rejected', message: `Webflow ${verb} the token (${label})${saying(body.message)}.${also} ${hint}` },
      basis(ctx, ...(alsoRefusedBy ? [alsoRefusedBy] : [])),
    );
  }
  if (status === 429) {
    const wait = retryAfterMs(reply.headers);
    const when = wait !== null ? `try again in about ${formatSeconds(Math.max(1000, Math.ceil(wait / 1000) * 1000))}` : 'try again in a minute';
    return outcome(
      'rate_limited',
      { ...base, code: body.code ?? 'rate_limited', message: `Webflow is rate-limiting this token (${label})${tries}; ${when}.` },
      basis(ctx),
    );
  }
  if (status >= 500) {
    return outcome(
      'server_error',
      {
        ...base,
        code: body.code ?? 'server_error',
        message: `Webflow answered ${ctx.request} with a server error (${label})${tries}${saying(body.message)}.${
          /try again/i.test(body.message) ? '' : ' Try again later.'
        }`,
      },
      basis(ctx),
    );
  }
  if (status === 408) {
    return outcome('timeout', { ...base, code: body.code ?? 'timeout', message: `Webflow timed out answering ${ctx.request} (${label})${tries}.` }, basis(ctx));
  }
  return outcome(
    'malformed_response',
    {
      ...base,
      code: body.code ?? 'malformed_response',
      message:
        `Webflow answered ${ctx.request} with an unexpected ${label}${saying(body.message)}. ` +
        'Check WEBFLOW_API_BASE_URL points at the Webflow API.',
    },
    basis(ctx),
  );
}

export function malformedOutcome(reply: HttpReply, ctx: OutcomeContext, what: 'not JSON' | 'not the documented shape' | 'too large'): TestOutcome {
  return outcome(
    'malformed_response',
    {
      httpStatus: reply.status,
      code: 'malformed_response',
      message: `Webflow's answer to ${ctx.request} was ${what === 'too large' ? 'larger than any expected answer' : what} (HTTP ${reply.status}); the token could not be checked.`,
      latencyMs: reply.latencyMs,
    },
    basis(ctx),
  );
}

export function failureOutcome(failure: HttpFailure, ctx: OutcomeContext): TestOutcome {
  if (failure.kind === 'timeout') {
    return outcome(
      'timeout',
      {
        httpStatus: null,
        code: 'timeout',
        message: `${failure.message} (${ctx.request}). Check the connection, or allow more time with WFVAULT_HTTP_TIMEOUT_MS.`,
        latencyMs: failure.latencyMs,
      },
      basis(ctx),
    );
  }
  const tries = failure.attempts > 1 ? `; tried ${failure.attempts} times` : '';
  return outcome(
    'network',
    { httpStatus: null, code: 'network', message: `${failure.message}${tries}. Check the connection and WEBFLOW_API_BASE_URL.`, latencyMs: failure.latencyMs },
    basis(ctx),
  );
}

export function invalidFormatOutcome(): TestOutcome {
  return outcome(
    'rejected',
    {
      httpStatus: null,
      code: 'invalid_token_format',
      message: 'The token contains characters a Webflow token never has (spaces, control or non-ASCII characters), so it was not sent.',
      latencyMs: 0,
    },
    { rate: { limit: null, remaining: null }, requests: [] },
  );
}
