// Browser side of `npm run dev:web`: builds `window.wfvault` with the preload's own buildApi over
// HTTP to the loopback bridge. Calls are POSTs carrying the session cookie; events come as
// server-sent events on one stream.
import { buildApi } from '../../preload/bridge.js';
import { API_GLOBAL, EVENT_CHANNELS, type EventChannel } from '../../preload/channels.js';

const unreachable = {
  ok: false,
  error: { code: 'failed', message: 'The dev bridge did not answer. Is `npm run dev:web` still running? Restart it and open the new link.' },
};

const listeners = new Map<string, Set<(payload: unknown) => void>>();
let stream: EventSource | null = null;

function connect(): void {
  if (stream) return;
  stream = new EventSource('./events');
  stream.onmessage = (message) => {
    let parsed: { channel?: unknown; payload?: unknown };
    try {
      parsed = JSON.parse(message.data as string) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.channel !== 'string' || !(EVENT_CHANNELS as readonly string[]).includes(parsed.channel)) return;
    for (const l of listeners.get(parsed.channel) ?? []) l(parsed.payload);
  };
}

const api = buildApi({
  async invoke(channel, request) {
    try {
      const res = await fetch(`./api/${encodeURIComponent(channel)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (res.status !== 200) return unreachable;
      return (await res.json()) as unknown;
    } catch {
      return unreachable;
    }
  },
  subscribe(channel: EventChannel, listener) {
    connect();
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener);
    return () => set.delete(listener);
  },
});

Object.defineProperty(window, API_GLOBAL, { value: Object.freeze(api), enumerable: true });
