// The one path every call takes after the sender check: validate the request against the
// contract, run the plain handler, validate the reply, and turn any failure into `{ code, message }`.
// Nothing here throws: whatever the window sends, it gets an envelope back.
import type { z } from 'zod';
import { isAppError, windowMessage } from '../core/errors.js';
import { redact } from '../webflow/redact.js';
import { REPLIES, REQUESTS, type ApiError, type Envelope } from '../../preload/contract.js';
import { isCallChannel } from '../../preload/channels.js';
import { SECRET_FIELDS } from '../../preload/contract-requests.js';
import type { IpcHandlers } from './ipc-types.js';

export interface DispatchLog {
  warn(message: string): void;
}

const MAX_MESSAGE = 500;

export async function dispatchCall(handlers: IpcHandlers, channel: unknown, payload: unknown, log?: DispatchLog): Promise<Envelope<unknown>> {
  if (!isCallChannel(channel)) return fail('usage', 'Unknown call.');
  const secrets = secretsIn(payload);
  const parsed = REQUESTS[channel].safeParse(payload);
  if (!parsed.success) return fail('usage', redact(describeIssues(channel, parsed.error.issues), secrets));

  let value: unknown;
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    value = await handler(parsed.data);
  } catch (e) {
    if (isAppError(e)) return fail(e.code, redact(windowMessage(e), secrets));
    // Unexpected: the window gets a generic sentence; the log gets the kind of error, scrubbed.
    const kind = e instanceof Error ? `${e.name}: ${e.message}` : typeof e;
    log?.warn(`${channel} failed unexpectedly: ${redact(kind, secrets)}`);
    return fail('failed', 'Something went wrong in the app. Try again; if it keeps happening, restart it.');
  }

  const reply = REPLIES[channel].safeParse(value);
  if (!reply.success) {
    log?.warn(`${channel} produced a reply outside the contract: ${describeIssues(channel, reply.error.issues)}`);
    return fail('failed', 'Something went wrong in the app. Try again; if it keeps happening, restart it.');
  }
  return { ok: true, value: reply.data };
}

function fail(code: ApiError['code'], message: string): Envelope<never> {
  const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
  return { ok: false, error: { code, message: text } };
}

/** Names where the request is wrong, never what it held. */
function describeIssues(channel: string, issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 3).map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p).slice(0, 40))).join('.');
    // zod names unknown keys in its message; a key is data from the window, so only count them.
    const message = issue.code === 'unrecognized_keys' ? `${issue.keys.length} unexpected field(s)` : issue.message;
    return path ? `${path}: ${message}` : message;
  });
  const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
  return `Invalid request for ${channel}: ${parts.join('; ')}${more}.`;
}

function secretsIn(payload: unknown): string[] {
  if (!payload || typeof payload !== 'object') return [];
  const record = payload as Record<string, unknown>;
  return SECRET_FIELDS.map((f) => record[f]).filter((v): v is string => typeof v === 'string');
}
