// Auto-lock: after the idle minutes of the settings, and at once on screen lock or sleep.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutoLock } from '../../main/services/app-auto-lock.js';
import { realTimers } from '../../main/services/app-ports.js';
import { fakeVaultSession } from '../helpers/app-session.js';

describe('AutoLock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks after the idle minutes, and activity pushes it back', async () => {
    const lock = vi.fn();
    const auto = new AutoLock(realTimers, lock, 15);
    auto.activity();
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    auto.activity();
    await vi.advanceTimersByTimeAsync(14 * 60_000);
    expect(lock).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lock).toHaveBeenCalledWith('idle');
  });

  it('0 minutes turns the idle lock off, not the system lock', async () => {
    const lock = vi.fn();
    const auto = new AutoLock(realTimers, lock, 0);
    auto.activity();
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(lock).not.toHaveBeenCalled();
    await auto.systemLocked();
    expect(lock).toHaveBeenCalledWith('system');
  });
});

describe('auto-lock in the app session', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function session() {
    const emitted: string[] = [];
    const { s } = fakeVaultSession({ dir: '/tmp/v', ports: { events: { emit: (_c, p) => emitted.push((p as { reason?: string }).reason ?? '') } } });
    expect(await s.call('vault:init', { mode: 'passphrase', passphrase: 'pw-123456' })).toMatchObject({ ok: true });
    expect(await s.call('settings:set', { autoLockMinutes: 5 })).toMatchObject({ ok: true });
    return { s, emitted };
  }

  it('locks the vault after the idle minutes set in the settings', async () => {
    const { s, emitted } = await session();
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: true });
    await vi.advanceTimersByTimeAsync(4 * 60_000);
    // Status polls do not count as use.
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(emitted).toContain('locked');
    // Locked means locked: the passphrase is needed again.
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: false, error: { code: 'passphrase_required' } });
    expect(await s.call('vault:unlock', { passphrase: 'wrong' })).toMatchObject({ ok: false, error: { code: 'wrong_passphrase' } });
    expect(await s.call('vault:unlock', { passphrase: 'pw-123456' })).toMatchObject({ ok: true, value: { state: 'unlocked' } });
  });

  it('locks at once when the screen locks or the system sleeps', async () => {
    const { s } = await session();
    await s.autoLock.systemLocked();
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
  });
});
