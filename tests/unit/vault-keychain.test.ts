// The keychain adapter's own rules: the timeout setting, the test fake, and how a missing Secret
// Service is reported (real-keychain behaviour is in tests/integration/vault-keychain.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { probeSecretService, sessionBusSocket } from '../../main/vault/secret-service-probe.js';
import { DEFAULT_KEYCHAIN_TIMEOUT_MS, MemoryKeychain, OsKeychain, keychainFailureKind, keychainTimeoutFromEnv } from '../../main/vault/keychain.js';

const savedBus = process.env.DBUS_SESSION_BUS_ADDRESS;

afterEach(() => {
  if (savedBus === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
  else process.env.DBUS_SESSION_BUS_ADDRESS = savedBus;
});

describe('keychain adapter', () => {
  it('reads its timeout from WFVAULT_KEYCHAIN_TIMEOUT_MS, defaulting to 3 s', () => {
    expect(DEFAULT_KEYCHAIN_TIMEOUT_MS).toBe(3000);
    expect(keychainTimeoutFromEnv({})).toBe(3000);
    expect(keychainTimeoutFromEnv({ WFVAULT_KEYCHAIN_TIMEOUT_MS: '1500' })).toBe(1500);
    for (const bad of ['', '0', '-5', 'soon', '2.5']) expect(keychainTimeoutFromEnv({ WFVAULT_KEYCHAIN_TIMEOUT_MS: bad })).toBe(3000);
  });

  it('has an in-memory fake for unit tests that can play a missing keychain', async () => {
    const k = new MemoryKeychain();
    expect(await k.get('a')).toBeNull();
    await k.set('a', 'v');
    expect(await k.get('a')).toBe('v');
    expect(await k.delete('a')).toBe(true);
    expect(await k.delete('a')).toBe(false);
    k.unavailable = true;
    await expect(k.get('a')).rejects.toMatchObject({ code: 'keychain_unavailable' });
  });

  it.skipIf(process.platform !== 'linux')('reports no Secret Service at once as keychain_unavailable naming --passphrase, without secrets', async () => {
    process.env.DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/wfvault-unit-bus';
    const secret = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8=';
    let err: unknown;
    try {
      await new OsKeychain({ timeoutMs: 2000 }).set('unit-test-account', secret);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('keychain_unavailable');
    expect((err as AppError).message).toContain('wfvault init --passphrase');
    expect((err as AppError).message.includes(secret)).toBe(false);
    expect(JSON.stringify((err as AppError).details).includes(secret)).toBe(false);
  });
});

describe('what a keychain failure message means', () => {
  it('reads D-Bus\'s "no reply" as hung even though it says "blocked", and a locked collection as locked', () => {
    const noReply =
      'DBus error: org.freedesktop.DBus.Error.NoReply: Did not receive a reply. Possible causes include: the remote application did not send a reply, the message bus security policy blocked the reply, the reply timeout expired, or the network connection was broken.';
    expect(keychainFailureKind(noReply)).toBe('hung');
    expect(keychainFailureKind('the message bus security policy blocked the request')).toBe('unavailable');
    expect(keychainFailureKind('Couldn\'t access platform storage: the collection is locked')).toBe('locked');
    expect(keychainFailureKind('unlock prompt was dismissed')).toBe('locked');
    expect(keychainFailureKind('DBus error: The name org.freedesktop.secrets was not provided by any .service files')).toBe('unavailable');
  });
});

describe('where the Secret Service probe finds the session bus', () => {
  it('reads DBUS_SESSION_BUS_ADDRESS as libdbus does: unix paths, abstract sockets, escapes, the first usable entry', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' })).toEqual({ path: '/run/user/1000/bus' });
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-x,guid=abc' })).toEqual({ path: '\0/tmp/dbus-x' });
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/tmp/a%20b' })).toEqual({ path: '/tmp/a b' });
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'garbage;unix:path=/x' })).toEqual({ path: '/x' });
    // Transports it cannot speak leave the call to the binding, which may.
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=localhost,port=1' })).toEqual({ unsupported: 'tcp' });
    expect(sessionBusSocket({ XDG_RUNTIME_DIR: '/nonexistent/wfvault-runtime' })).toBeNull();
  });

  it.skipIf(process.platform !== 'linux')('says at once that there is no bus, without waiting for the timeout', async () => {
    expect(await probeSecretService({ answerTimeoutMs: 60_000 }, { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/wfvault-unit-bus' })).toMatchObject({ state: 'no-bus' });
    expect(await probeSecretService({ answerTimeoutMs: 60_000 }, {})).toMatchObject({ state: 'no-bus' });
  });
});
