// Unlocking a locked keychain vault asks for Touch ID where macOS offers it, and nothing elsewhere.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeVaultSession } from '../helpers/app-session.js';
import { SENTINEL_TOKEN } from '../helpers/sentinel.js';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { systemPreferences } = await import('./electron-mock.js');
const { electronPresence } = await import('../../main/electron/presence.js');

const realPlatform = process.platform;
function onPlatform(platform: NodeJS.Platform): void {
  Object.defineProperty(process, 'platform', { value: platform, configurable: true });
}

function keychainSession() {
  return fakeVaultSession({ dir: '/tmp/presence', ports: { presence: electronPresence } });
}

/** An app session over a keychain vault holding one token, already locked from the window. */
async function lockedSession() {
  const { s } = keychainSession();
  await s.call('vault:init', { mode: 'keychain' });
  expect(await s.call('tokens:add', { label: 'kept', secret: SENTINEL_TOKEN, offline: true })).toMatchObject({ ok: true });
  expect(await s.call('vault:lock', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
  return s;
}

describe('user presence before unlocking a keychain vault', () => {
  afterEach(() => {
    onPlatform(realPlatform);
    systemPreferences.canPromptTouchID.mockReset().mockReturnValue(false);
    systemPreferences.promptTouchID.mockReset().mockResolvedValue(undefined);
  });

  it('macOS with Touch ID: prompts, and unlocks once the person confirms', async () => {
    onPlatform('darwin');
    systemPreferences.canPromptTouchID.mockReturnValue(true);
    const s = await lockedSession();
    expect(await s.call('vault:unlock', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(systemPreferences.promptTouchID.mock.calls).toEqual([['unlock your Webflow tokens']]);
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: true, value: { tokens: [expect.objectContaining({ label: 'kept' })] } });
    await s.shutdown();
  });

  it('macOS with Touch ID: a refusal or cancel keeps the vault locked and says why', async () => {
    onPlatform('darwin');
    systemPreferences.canPromptTouchID.mockReturnValue(true);
    systemPreferences.promptTouchID.mockRejectedValue(new Error('Touch ID cancelled'));
    const s = await lockedSession();
    const reply = await s.call('vault:unlock', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'vault_locked', message: expect.stringContaining('Touch ID was not confirmed') } });
    expect(systemPreferences.promptTouchID).toHaveBeenCalledTimes(1);
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await s.call('tokens:list', {})).toMatchObject({ ok: false, error: { code: 'vault_locked' } });
    // A second try that succeeds opens it.
    systemPreferences.promptTouchID.mockResolvedValue(undefined);
    expect(await s.call('vault:unlock', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    await s.shutdown();
  });

  it('macOS without Touch ID: unlocks without a prompt', async () => {
    onPlatform('darwin');
    const s = await lockedSession();
    expect(await s.call('vault:unlock', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(systemPreferences.promptTouchID).not.toHaveBeenCalled();
    await s.shutdown();
  });

  it.each(['win32', 'linux'] as const)('%s: unlocks without a prompt', async (platform) => {
    onPlatform(platform);
    systemPreferences.canPromptTouchID.mockReturnValue(true);
    const s = await lockedSession();
    expect(await s.call('vault:unlock', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(systemPreferences.canPromptTouchID).not.toHaveBeenCalled();
    expect(systemPreferences.promptTouchID).not.toHaveBeenCalled();
    await s.shutdown();
  });

  it('the start-up unlock, which lifts no lock, asks nothing', async () => {
    onPlatform('darwin');
    systemPreferences.canPromptTouchID.mockReturnValue(true);
    const { s, vault } = keychainSession();
    await s.call('vault:init', { mode: 'keychain' });
    // Closed underneath the app, as at launch: the keychain alone decides whether it opens.
    await vault.lock();
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    await s.start();
    expect(await s.call('vault:status', {})).toMatchObject({ ok: true, value: { state: 'unlocked' } });
    expect(systemPreferences.promptTouchID).not.toHaveBeenCalled();
    await s.shutdown();
  });
});
