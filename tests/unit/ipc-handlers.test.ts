// The handlers over an in-memory vault: what a call costs in vault reads, and where the OAuth calls go.
import { describe, expect, it, vi } from 'vitest';
import type { PublicOAuthApp } from '../../main/core/token.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { realTimers, type OAuthPort } from '../../main/services/app-ports.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { dispatchCall } from '../../main/services/ipc-dispatch.js';
import { createIpcHandlers } from '../../main/services/ipc-handlers.js';
import { SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { FakeVault } from '../helpers/fake-vault.js';

const unexpected = async (): Promise<never> => {
  throw new Error('not called in this test');
};

function setup(oauth: OAuthPort = { listApps: async () => [], addApp: unexpected, removeApp: unexpected, connect: unexpected }) {
  const passphrase = new PassphraseBroker();
  const vault = new FakeVault({ dir: '/tmp/v', getPassphrase: passphrase.getPassphrase });
  const clipboard = { text: '' };
  const handlers = createIpcHandlers(
    { vault: vault as unknown as ServiceDeps['vault'], webflow: { apiBaseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:9', timeoutMs: 100, maxRetries: 0, maxRetryWaitMs: 0 }, now: () => new Date() },
    {
      clipboard: { writeConcealed: async (t) => void (clipboard.text = t), readText: async () => clipboard.text, clear: async () => void (clipboard.text = '') },
      notifier: { notify: () => undefined },
      opener: { open: async () => false },
      events: { emit: () => undefined },
      timers: realTimers,
      passphrase,
      oauth,
      loginItem: { setOpenAtLogin: () => undefined },
    },
  );
  const call = (channel: string, payload: unknown = {}) => dispatchCall(handlers, channel, payload);
  return { vault, clipboard, handlers, call };
}

describe('IPC handlers', () => {
  it('tokens:copy reads the vault once for the secret and the clear delay', async () => {
    const { vault, clipboard, call } = setup();
    await call('vault:init', { mode: 'keychain' });
    await call('settings:set', { clipboardClearSeconds: 45 });
    const added = (await call('tokens:add', { label: 'Copy me', secret: SENTINEL_TOKEN, offline: true })) as { ok: true; value: { token: { id: string } } };
    const read = vi.spyOn(vault, 'read');
    expect(await call('tokens:copy', { id: added.value.token.id })).toEqual({ ok: true, value: { clearsInSeconds: 45 } });
    expect(read).toHaveBeenCalledTimes(1);
    expect(clipboard.text).toBe(SENTINEL_TOKEN);
  });

  it('tokens:copy of an unknown token fails and copies nothing', async () => {
    const { clipboard, call } = setup();
    await call('vault:init', { mode: 'keychain' });
    expect(await call('tokens:copy', { id: 'abcd123456' })).toMatchObject({ ok: false });
    expect(clipboard.text).toBe('');
  });

  it('the OAuth calls go to the OAuth port', async () => {
    const app: PublicOAuthApp = { id: 'abcd123456', name: 'Agency', clientId: 'cid', redirectUri: 'http://localhost:8976/callback', scopes: ['sites:read'], addedAt: '2026-01-01T00:00:00.000Z' };
    const listApps = vi.fn(async () => [app]);
    const { call } = setup({ listApps, addApp: unexpected, removeApp: unexpected, connect: unexpected });
    expect(await call('oauthApps:list')).toEqual({ ok: true, value: { apps: [app] } });
    expect(listApps).toHaveBeenCalledTimes(1);
  });
});
