// A keychain vault could reopen itself on the next read; after a lock (window, tray or auto-lock)
// every data call still refuses with vault_locked until the window unlocks it on purpose.
import { describe, expect, it } from 'vitest';
import { fakeVaultSession } from '../helpers/app-session.js';
import { SENTINEL_TOKEN } from '../helpers/sentinel.js';

function session() {
  return fakeVaultSession({ dir: '/tmp/lock' }).s;
}

describe('lock means locked in keychain mode', () => {
  it('refuses data calls after a lock until the window unlocks', async () => {
    const s = session();
    await s.call('vault:init', { mode: 'keychain' });
    const added = await s.call('tokens:add', { label: 'kept', secret: SENTINEL_TOKEN, offline: true });
    expect(added, JSON.stringify(added)).toMatchObject({ ok: true });

    const locked = await s.call('vault:lock', {});
    expect(locked, JSON.stringify(locked)).toMatchObject({ ok: true, value: { state: 'locked', mode: 'keychain' } });
    for (const channel of ['tokens:list', 'settings:get', 'oauthApps:list']) {
      expect(await s.call(channel, {}), channel).toMatchObject({ ok: false, error: { code: 'vault_locked' } });
    }
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect((await s.trayModel()).icon).toBe('locked');

    expect(await s.call('vault:unlock', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: true, value: { tokens: [expect.objectContaining({ label: 'kept' })] } });
    await s.shutdown();
  });

  it('auto-lock and the tray lock hold the same way', async () => {
    const s = session();
    await s.call('vault:init', { mode: 'keychain' });
    await s.autoLock.systemLocked();
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: false, error: { code: 'vault_locked' } });
    await s.call('vault:unlock', {});
    await s.trayAction({ type: 'lock' }, { showWindow() {}, showToken() {}, confirm: async () => false, quit() {} });
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: false, error: { code: 'vault_locked' } });
    await s.shutdown();
  });
});
