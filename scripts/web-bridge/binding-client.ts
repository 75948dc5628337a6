// Browser side of the Playwright harness, injected as an init script: builds `window.wfvault`
// with the preload's own buildApi, over a binding the test process exposed. Events arrive through
// `deliver`, which the test process calls with page.evaluate.
import { buildApi } from '../../preload/bridge.js';
import { API_GLOBAL, type EventChannel } from '../../preload/channels.js';

type Invoke = (channel: string, request: unknown) => Promise<unknown>;
const w = window as unknown as Record<string, unknown>;
const INVOKE = '__wfvaultInvoke';
const DELIVER = '__wfvaultDeliver';

// Only the top frame of the app page gets the API, as only the top frame may call main in Electron.
if (window.top === window && !w[API_GLOBAL]) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  Object.defineProperty(window, DELIVER, {
    value: (channel: string, payload: unknown) => {
      for (const l of listeners.get(channel) ?? []) l(payload);
    },
  });
  const api = buildApi({
    // Looked up per call: Playwright installs the binding alongside the init scripts. Replies come
    // as JSON text: Playwright's own value serialization is far slower than Electron's structured
    // clone for a list of thousands of tokens, and would make the harness the bottleneck.
    invoke: async (channel, request) => {
      const reply = await (w[INVOKE] as Invoke)(channel, request);
      return typeof reply === 'string' ? (JSON.parse(reply) as unknown) : reply;
    },
    subscribe: (channel: EventChannel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  Object.defineProperty(window, API_GLOBAL, { value: Object.freeze(api), enumerable: true });
}
