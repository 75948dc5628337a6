// `npm run dev:web`: the real window in a normal browser, backed by the real services in this
// Node process over the loopback bridge (scripts/web-bridge/server.ts). By default it starts the
// Webflow simulator (a local fake of Webflow) and a throw-away vault, so the whole UI can be tried
// without the Electron binary and without touching a real vault or keychain.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PassphraseBroker } from '../main/services/app-passphrase.js';
import { createOAuthPort } from '../main/services/app-oauth.js';
import { realTimers, type ClipboardPort, type EventPort } from '../main/services/app-ports.js';
import { createAppSession } from '../main/services/app-session.js';
import type { ServiceDeps } from '../main/services/deps.js';
import { MemoryKeychain, OsKeychain } from '../main/vault/keychain.js';
import { Vault } from '../main/vault/vault.js';
import { webflowConfigFromEnv } from '../main/webflow/config.js';
import { startSimulator, type Simulator } from '../tests/sim/simulator.js';
import { startWebBridge } from './web-bridge/server.js';
import { ensureRendererBuilt } from './web-bridge/renderer-files.js';

const USAGE = `Usage: npm run dev:web -- [--port N] [--no-sim] [--keychain os|memory]

Serves the app's window at a one-time link on 127.0.0.1, backed by the real services.
  --port N        listen on this port (default: any free port)
  --no-sim        talk to WEBFLOW_API_BASE_URL / WEBFLOW_OAUTH_BASE_URL (default: start the Webflow simulator)
  --keychain K    'memory' keeps the vault key in this process (default for a throw-away vault);
                  'os' uses the system keychain (default when WFVAULT_DIR is set)
Environment: WFVAULT_DIR uses that vault folder instead of a temporary one.
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`dev:web: ${message}\n`);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'no-sim': { type: 'boolean' },
    keychain: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const port = values.port === undefined ? 0 : Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`--port must be a port number, got "${values.port}"`);
if (values.keychain !== undefined && values.keychain !== 'os' && values.keychain !== 'memory') fail(`--keychain must be os or memory, got "${values.keychain}"`);

process.stdout.write('Building the window (renderer/dist)…\n');
await ensureRendererBuilt();

let sim: Simulator | null = null;
let env: NodeJS.ProcessEnv = process.env;
if (!values['no-sim']) {
  sim = await startSimulator({ seed: true });
  env = { ...process.env, ...sim.env };
}

const fixedDir = process.env.WFVAULT_DIR?.trim();
const dir = fixedDir ? resolve(fixedDir) : await mkdtemp(join(tmpdir(), 'wfvault-dev-web-'));
const keychainKind = values.keychain ?? (fixedDir ? 'os' : 'memory');

const passphrase = new PassphraseBroker();
let deps: ServiceDeps;
try {
  deps = {
    vault: new Vault({ dir, keychain: keychainKind === 'os' ? new OsKeychain() : new MemoryKeychain(), getPassphrase: passphrase.getPassphrase }),
    webflow: webflowConfigFromEnv(env),
    now: () => new Date(),
  };
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}

// No system clipboard in a plain Node process: the copy stays in this process and is cleared on
// time like the app's. Only its length is ever printed.
let clipboardText = '';
const clipboard: ClipboardPort = {
  async writeConcealed(value) {
    clipboardText = value;
    process.stdout.write(`[clipboard] holds a token (${value.length} characters) inside dev:web only\n`);
  },
  async readText() {
    return clipboardText;
  },
  async clear() {
    clipboardText = '';
    process.stdout.write('[clipboard] cleared\n');
  },
};

const toWindow: { emit: EventPort['emit'] | null } = { emit: null };
const session = createAppSession(
  deps,
  {
    clipboard,
    notifier: { notify: (n) => process.stdout.write(`[notice] ${n.title}: ${n.body}\n`) },
    // Pages are never opened from here: the window shows the link, and this prints it.
    opener: {
      open: async (url) => {
        process.stdout.write(`[open] ${url}\n`);
        return false;
      },
    },
    events: { emit: (channel, payload) => toWindow.emit?.(channel, payload) },
    timers: realTimers,
    passphrase,
    oauth: createOAuthPort(deps),
    // The OS login item belongs to the packaged app; here the setting is only reported.
    loginItem: { setOpenAtLogin: (open) => process.stdout.write(`[login item] launch at login ${open ? 'on' : 'off'} (applied by the desktop app only)\n`) },
  },
  { warn: (m) => process.stderr.write(`[warn] ${m}\n`) },
);

const bridge = await startWebBridge({ port, call: (channel, payload) => session.call(channel, payload) });
toWindow.emit = bridge.emit;
await session.start();

const lines = [
  '',
  'Webflow Token Vault in the browser (development bridge, loopback only).',
  `Vault folder: ${dir}${fixedDir ? '' : ' (temporary, deleted on exit)'}; key: ${keychainKind === 'os' ? 'system keychain' : 'kept in this process'}`,
];
if (sim) {
  const seeded = sim.seeded!;
  lines.push(
    `Webflow: the SIMULATOR, a local fake (${sim.apiUrl}, ${sim.oauthUrl}). Its tokens work only against it:`,
    `  Site token       ${seeded.siteToken.token}`,
    `  Workspace token  ${seeded.workspaceToken.token}`,
    `  OAuth app        client id ${seeded.app.clientId}, client secret ${seeded.app.clientSecret}, redirect URI ${seeded.app.redirectUris[0]}`,
  );
} else {
  lines.push(`Webflow: ${deps.webflow.apiBaseUrl} (API), ${deps.webflow.oauthBaseUrl} (OAuth)`);
}
lines.push('', 'Open this link once (it works one time, in one browser):', `  ${bridge.url}`, '', 'Press Ctrl-C to stop.');
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) return;
  stopping = true;
  await session.shutdown().catch(() => undefined);
  await bridge.close().catch(() => undefined);
  await sim?.close().catch(() => undefined);
  if (!fixedDir) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  process.exit(signal === 'SIGINT' ? 130 : 0);
}
process.on('SIGINT', (s) => void stop(s));
process.on('SIGTERM', (s) => void stop(s));
