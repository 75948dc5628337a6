// Builds the window's API from a transport. The preload's transport is ipcRenderer; the browser
// harness's is page.exposeBinding. Runtime imports are limited to the channel list so the bundled
// preload carries no schema library: validation happens in main, where it cannot be bypassed.
import { CALL_CHANNELS, EVENT_CHANNELS, subscriberName, type CallChannel, type EventChannel } from './channels.js';
import type { ApiError, WfvaultApi } from './contract.js';

export interface Transport {
  /** Resolves with the envelope main sent back. */
  invoke(channel: CallChannel, request: unknown): Promise<unknown>;
  subscribe(channel: EventChannel, listener: (payload: unknown) => void): () => void;
}

export function unwrapEnvelope(envelope: unknown): unknown {
  if (envelope && typeof envelope === 'object') {
    const e = envelope as { ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
    if (e.ok === true) return e.value;
    if (e.ok === false && e.error && typeof e.error.code === 'string' && typeof e.error.message === 'string') {
      // A plain object, not an Error: contextBridge copies only an Error's message, and the code matters.
      const error: ApiError = { code: e.error.code as ApiError['code'], message: e.error.message };
      throw error;
    }
  }
  const error: ApiError = { code: 'failed', message: 'The app sent an answer the window does not understand.' };
  throw error;
}

export function buildApi(transport: Transport): WfvaultApi {
  const api: Record<string, Record<string, unknown>> = { events: {} };
  for (const channel of CALL_CHANNELS) {
    const [namespace, method] = channel.split(':') as [string, string];
    api[namespace] ??= {};
    // Always an object, so main's strict schemas see `{}` for calls without arguments.
    api[namespace][method] = async (request?: unknown) => unwrapEnvelope(await transport.invoke(channel, request ?? {}));
  }
  for (const channel of EVENT_CHANNELS) {
    api.events![subscriberName(channel)] = (listener: unknown) => {
      if (typeof listener !== 'function') throw new TypeError('A listener function is required.');
      // Only the payload is passed on: the IPC event object would hand the page a way back into ipcRenderer.
      return transport.subscribe(channel, (payload) => (listener as (p: unknown) => void)(payload));
    };
  }
  return api as unknown as WfvaultApi;
}
