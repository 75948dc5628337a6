// Reading Webflow's answers: JSON bodies (scrubbed of secrets as soon as they are parsed) and the
// three error shapes seen in the wild.
import { redactDeep, serverCode, serverText } from './redact.js';

export type Parsed = { ok: true; value: unknown } | { ok: false };

/** Parses a body and removes every copy of the request's secrets from its strings. */
export function parseJson(text: string, secrets: readonly string[]): Parsed {
  if (text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: redactDeep(JSON.parse(text) as unknown, secrets) };
  } catch {
    return { ok: false };
  }
}

export interface ErrorBody {
  /** Webflow's code as sent (`not_authorized`, `missing_scopes`, `invalid_grant`, ...). */
  code: string | null;
  /** Webflow's explanation, fit for a sentence; empty when there was none. */
  message: string;
}

/**
 * Accepts the current `{code, message, externalReference, details}`, the older
 * `{status, message, publicErrorCode, ...}` and OAuth-style `{error, error_description}`.
 */
export function readErrorBody(text: string, secrets: readonly string[]): ErrorBody {
  const parsed = parseJson(text, secrets);
  if (!parsed.ok || !parsed.value || typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
    return { code: null, message: '' };
  }
  const body = parsed.value as Record<string, unknown>;
  const code = serverCode(body.code) ?? serverCode(body.publicErrorCode) ?? serverCode(body.error) ?? serverCode(body.err);
  const rawMessage = [body.message, body.error_description, body.msg].find((m) => typeof m === 'string' && m.trim() !== '');
  return { code, message: serverText(rawMessage as string | undefined, secrets) };
}

/** `(401 not_authorized)` or `(HTTP 502)`: the status and code as a short parenthesis. */
export function statusLabel(status: number, code: string | null): string {
  return code ? `${status} ${code}` : `HTTP ${status}`;
}

/** ": Webflow's text" when there is one. */
export function saying(message: string): string {
  return message ? `: ${message}` : '';
}
