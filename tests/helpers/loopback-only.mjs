// Preloaded (NODE_OPTIONS=--import) into every Node process a test starts that could reach
// Webflow by itself, such as the real webflow-mcp-server: fetches to Webflow's hosts go to the
// simulator named by WFVAULT_TEST_WEBFLOW_API, every other TCP connection off loopback is refused
// before any DNS lookup, and servers that would listen on all interfaces listen on loopback.
import net from 'node:net';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
const target = process.env.WFVAULT_TEST_WEBFLOW_API ? new URL(process.env.WFVAULT_TEST_WEBFLOW_API) : null;

const originalFetch = globalThis.fetch;
if (originalFetch) {
  globalThis.fetch = function loopbackFetch(input, init) {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href);
    if (/(^|\.)webflow\.com$/i.test(url.hostname)) {
      if (!target) return Promise.reject(new Error(`loopback-only: no simulator to send ${url.hostname} to`));
      url.protocol = target.protocol;
      url.host = target.host;
      process.emitWarning(`loopback-only: ${href.split('?')[0]} sent to the simulator`);
    }
    return originalFetch(typeof input === 'string' || input instanceof URL ? url : new Request(url, input), init);
  };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const first = args[0];
  const options = Array.isArray(first) ? first[0] : first;
  const host = typeof options === 'object' && options !== null ? options.host : typeof args[1] === 'string' ? args[1] : undefined;
  const isPath = typeof options === 'object' && options !== null && typeof options.path === 'string';
  if (!isPath && host !== undefined && !LOOPBACK.has(String(host))) {
    const error = new Error(`loopback-only: refused a connection to ${host}`);
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return originalConnect.apply(this, args);
};

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function loopbackListen(...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) args.splice(1, 0, '127.0.0.1');
  return originalListen.apply(this, args);
};
