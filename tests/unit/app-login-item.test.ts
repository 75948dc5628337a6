// The launch-at-login setting reaches the OS: once the vault's settings can be read, and on every
// change of that setting, without telling the OS the same thing twice.
import { describe, expect, it, vi } from 'vitest';
import { LoginItemSync } from '../../main/services/app-login-item.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { fakeVaultSession } from '../helpers/app-session.js';
import { FakeVault } from '../helpers/fake-vault.js';

describe('LoginItemSync', () => {
  it('tells the OS the first time and then only when the wish changes', () => {
    const port = { setOpenAtLogin: vi.fn() };
    const sync = new LoginItemSync(port);
    for (const wish of [false, false, true, true, false]) sync.apply(wish);
    expect(port.setOpenAtLogin.mock.calls).toEqual([[false], [true], [false]]);
  });

  it('logs a refusal and tries again next time', () => {
    const port = { setOpenAtLogin: vi.fn<(open: boolean) => void>() };
    port.setOpenAtLogin.mockImplementationOnce(() => {
      throw new Error('login items are managed by policy');
    });
    const warn = vi.fn();
    const sync = new LoginItemSync(port, warn);
    sync.apply(true);
    expect(warn).toHaveBeenCalledWith('could not update the login item: login items are managed by policy');
    sync.apply(true);
    expect(port.setOpenAtLogin.mock.calls).toEqual([[true], [true]]);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});

/** An app session over `vault`, as one run of the app: a new session is a restart. */
function run(vault: FakeVault, passphrase: PassphraseBroker) {
  const loginItem = { setOpenAtLogin: vi.fn<(open: boolean) => void>() };
  const { s: session } = fakeVaultSession({ vault, passphrase, ports: { loginItem } });
  return { session, calls: loginItem.setOpenAtLogin.mock.calls };
}

describe('launch at login in the app session', () => {
  it('follows the setting when it changes, and leaves the OS alone for other settings', async () => {
    const passphrase = new PassphraseBroker();
    const { session, calls } = run(new FakeVault({ dir: '/tmp/v', getPassphrase: passphrase.getPassphrase }), passphrase);
    expect(await session.call('vault:init', { mode: 'keychain' })).toMatchObject({ ok: true });
    // A new vault has the default (off), whatever an earlier vault left registered.
    expect(calls).toEqual([[false]]);
    expect(await session.call('settings:set', { launchAtLogin: true })).toMatchObject({ ok: true, value: { settings: { launchAtLogin: true } } });
    expect(calls).toEqual([[false], [true]]);
    await session.call('settings:set', { clipboardClearSeconds: 20, trayOnClose: false });
    expect(calls).toEqual([[false], [true]]);
    await session.call('settings:set', { launchAtLogin: false });
    expect(calls).toEqual([[false], [true], [false]]);
    await session.shutdown();
  });

  it('applies the saved setting at start-up when a keychain vault opens', async () => {
    const passphrase = new PassphraseBroker();
    const vault = new FakeVault({ dir: '/tmp/v', getPassphrase: passphrase.getPassphrase });
    const first = run(vault, passphrase);
    await first.session.call('vault:init', { mode: 'keychain' });
    await first.session.call('settings:set', { launchAtLogin: true });
    await first.session.shutdown();
    await vault.lock();

    const next = run(vault, passphrase);
    await next.session.start();
    expect(next.calls).toEqual([[true]]);
    await next.session.shutdown();
  });

  it('applies the setting of a passphrase vault at its unlock, and not again at the next one', async () => {
    const passphrase = new PassphraseBroker();
    const vault = new FakeVault({ dir: '/tmp/v', getPassphrase: passphrase.getPassphrase });
    const first = run(vault, passphrase);
    await first.session.call('vault:init', { mode: 'passphrase', passphrase: 'pw-123456' });
    await first.session.call('settings:set', { launchAtLogin: true });
    await first.session.shutdown();
    await vault.lock();

    const next = run(vault, passphrase);
    await next.session.start();
    // Locked: the setting cannot be read yet, and the OS keeps what the last run applied.
    expect(next.calls).toEqual([]);
    expect(await next.session.call('vault:unlock', { passphrase: 'pw-123456' })).toMatchObject({ ok: true });
    expect(next.calls).toEqual([[true]]);
    await next.session.call('vault:lock', {});
    await next.session.call('vault:unlock', { passphrase: 'pw-123456' });
    expect(next.calls).toEqual([[true]]);
    await next.session.shutdown();
  });
});
