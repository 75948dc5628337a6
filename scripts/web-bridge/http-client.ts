// Browser side of `npm run dev:web`: builds `window.wfvault` with the preload's own buildApi over
// HTTP to the loopback bridge. Calls are POSTs carrying the session cookie and the page key; events
// come as server-sent events on one stream. The page key arrives once, in the URL fragment after
// the one-time link, and lives in this tab's sessionStorage so a reload keeps working.
import { buildApi } from '../../preload/bridge.js';
import { API_GLOBAL, EVENT_CHANNELS, type EventChannel } from '../../preload/channels.js';

const unreachable = {
  ok: false,
  error: { code: 'failed', message: 'The dev bridge did not answer. Is `npm run dev:web` still running? Restart it and open the new link.' },
};

const KEY_ITEM = 'wfvault-dev-page-key';

function takePageKey(): string {
  const m = /^#k=([\w-]+)$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(KEY_ITEM, m[1]!);
    // Out of the address bar and the history, so it is not shared by copying the URL.
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(KEY_ITEM) ?? '';
}

const pageKey = takePageKey();

const listeners = new Map<string, Set<(payload: unknown) => void>>();
let stream: EventSource | null = null;

function connect(): void {
  if (stream) return;
  stream = new EventSource(`./events?k=${encodeURIComponent(pageKey)}`);
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
        headers: { 'Content-Type': 'application/json', 'X-Wfvault-Page-Key': pageKey },
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
