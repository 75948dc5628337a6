// An app session over the in-memory FakeVault, with ports that do nothing, for handler tests that
// care about one port at a time: pass the port under test in `ports`.
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { realTimers } from '../../main/services/app-ports.js';
import { createAppSession } from '../../main/services/app-session.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import type { IpcPorts } from '../../main/services/ipc-types.js';
import { FakeVault } from './fake-vault.js';

const unexpected = async (): Promise<never> => {
  throw new Error('not called in this test');
};

/** Ports that answer nothing and show nothing; OAuth calls other than listing fail the test. */
export function quietPorts(passphrase: PassphraseBroker, ports: Partial<IpcPorts> = {}): IpcPorts {
  return {
    clipboard: { writeConcealed: async () => undefined, readText: async () => '', clear: async () => undefined },
    notifier: { notify: () => undefined },
    opener: { open: async () => false },
    events: { emit: () => undefined },
    timers: realTimers,
    passphrase,
    oauth: { listApps: async () => [], addApp: unexpected, removeApp: unexpected, connect: unexpected },
    loginItem: { setOpenAtLogin: () => undefined },
    ...ports,
  };
}

/** Service deps over `vault` whose Webflow is a closed loopback port: no test here reaches it. */
export function fakeVaultDeps(vault: FakeVault): ServiceDeps {
  return { vault: vault as unknown as ServiceDeps['vault'], webflow: { apiBaseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:9', timeoutMs: 100, maxRetries: 0, maxRetryWaitMs: 0 }, now: () => new Date() };
}

/** A session as one run of the app; pass `vault` and `passphrase` again to model a restart. */
export function fakeVaultSession(opts: { dir?: string; vault?: FakeVault; passphrase?: PassphraseBroker; ports?: Partial<IpcPorts> } = {}) {
  const passphrase = opts.passphrase ?? new PassphraseBroker();
  const vault = opts.vault ?? new FakeVault({ dir: opts.dir ?? '/tmp/fake-vault', getPassphrase: passphrase.getPassphrase });
  const s = createAppSession(fakeVaultDeps(vault), quietPorts(passphrase, opts.ports));
  return { s, vault, passphrase };
}
