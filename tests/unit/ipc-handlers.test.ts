// The handlers over an in-memory vault: what a call costs in vault reads, and where the OAuth calls go.
import { describe, expect, it, vi } from 'vitest';
import type { PublicOAuthApp } from '../../main/core/token.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { publicToken } from '../helpers/tokens.js';
import { realTimers, type ExternalOpenerPort, type OAuthPort } from '../../main/services/app-ports.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { dispatchCall } from '../../main/services/ipc-dispatch.js';
import { createIpcHandlers } from '../../main/services/ipc-handlers.js';
import { SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { FakeVault } from '../helpers/fake-vault.js';

const unexpected = async (): Promise<never> => {
  throw new Error('not called in this test');
};

function setup(
  oauth: OAuthPort = { listApps: async () => [], addApp: unexpected, removeApp: unexpected, connect: unexpected },
  opener: ExternalOpenerPort = { open: async () => false },
  events: unknown[] = [],
) {
  const passphrase = new PassphraseBroker();
  const vault = new FakeVault({ dir: '/tmp/v', getPassphrase: passphrase.getPassphrase });
  const clipboard = { text: '' };
  const handlers = createIpcHandlers(
    { vault: vault as unknown as ServiceDeps['vault'], webflow: { apiBaseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:9', timeoutMs: 100, maxRetries: 0, maxRetryWaitMs: 0 }, now: () => new Date() },
    {
      clipboard: { writeConcealed: async (t) => void (clipboard.text = t), readText: async () => clipboard.text, clear: async () => void (clipboard.text = '') },
      notifier: { notify: () => undefined },
      opener,
      events: { emit: (channel, payload) => void events.push({ channel, payload }) },
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

  it('oauth:connect hands the browser a private redirect page, not the authorize URL, and names the account', async () => {
    const authorize = 'https://webflow.com/oauth/authorize?response_type=code&client_id=cid&state=s3cr3t-state';
    const seen: { path: string; mode: number; html: string }[] = [];
    const open = vi.fn(async () => true);
    const opener: ExternalOpenerPort = {
      open,
      openFile: async (path) => {
        seen.push({ path, mode: statSync(path).mode & 0o777, html: readFileSync(path, 'utf8') });
        return true;
      },
    };
    const token = publicToken({ kind: 'oauth', label: 'Agency', authorizedUser: { email: 'ada@example.com', firstName: 'Ada' }, workspaceIds: ['ws1'] });
    const connect: OAuthPort['connect'] = async (_input, opts) => {
      expect(await opts.openBrowser(authorize)).toBe(true);
      return token;
    };
    const events: { channel: string; payload: { stage?: string; message?: string } }[] = [];
    const { call } = setup({ listApps: async () => [], addApp: unexpected, removeApp: unexpected, connect }, opener, events);
    await call('vault:init', { mode: 'keychain' });
    expect(await call('oauth:connect', { appId: 'abcd123456' })).toMatchObject({ ok: true });
    expect(open).not.toHaveBeenCalled();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.path).not.toContain('state');
    expect(seen[0]!.mode).toBe(0o600);
    expect(seen[0]!.html).toContain(authorize.replace(/&/g, '&amp;'));
    expect(existsSync(seen[0]!.path)).toBe(false);
    expect(events.find((e) => e.payload.stage === 'done')?.payload.message).toBe('Connected as Ada <ada@example.com>; workspace ws1; site Acme: Agency is in the vault.');
  });
});
