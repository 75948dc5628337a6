// The app's non-Electron core: dispatch, tray actions and their notifications, expiry notices.
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { runTrayAction, type TrayUi } from '../../main/services/app-tray-actions.js';
import { dispatchCall } from '../../main/services/ipc-dispatch.js';
import type { IpcHandlers } from '../../main/services/ipc-types.js';
import { CALL_CHANNELS } from '../../preload/contract.js';
import { fakeVaultSession } from '../helpers/app-session.js';
import { SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { lastTest, publicToken } from '../helpers/tokens.js';

function handlers(over: Partial<Record<keyof IpcHandlers, (input: never) => Promise<unknown>>>): IpcHandlers {
  const base = Object.fromEntries(CALL_CHANNELS.map((c) => [c, vi.fn(async () => ({}))]));
  return { ...base, ...over } as unknown as IpcHandlers;
}

const result = (status: string, n: number) => ({
  id: `tok000000${n}`,
  label: `T${n}`,
  kind: 'site',
  ok: status === 'valid',
  status,
  httpStatus: status === 'valid' ? 200 : status === 'rejected' ? 401 : 429,
  code: null,
  message: 'm',
  latencyMs: 1,
  rateLimit: null,
  rateLimitRemaining: null,
  scopes: [],
  siteIds: [],
});

function ui(): TrayUi & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    showWindow: () => calls.push('showWindow'),
    showToken: ({ id, team }) => calls.push(`showToken ${team ? `${team}/` : ''}${id}`),
    confirm: async () => (calls.push('confirm'), true),
    quit: () => calls.push('quit'),
  };
}

describe('dispatch', () => {
  it('strips fields the reply schema does not name, secrets included', async () => {
    const h = handlers({ 'tokens:list': async () => ({ tokens: [{ ...publicToken(), secret: SENTINEL_TOKEN }], tombstones: [] }) });
    const reply = await dispatchCall(h, 'tokens:list', {});
    expect(reply.ok).toBe(true);
    expect(JSON.stringify(reply)).not.toContain(SENTINEL_TOKEN);
  });

  it('maps AppErrors to their code and unexpected errors to a generic failure, logging no secret', async () => {
    const warn = vi.fn();
    const h = handlers({
      'tokens:copy': async () => {
        throw new AppError('vault_locked', 'The vault is locked.');
      },
      'tokens:add': async () => {
        throw new TypeError(`boom with ${SENTINEL_TOKEN}`);
      },
      'tokens:test': async () => ({ nonsense: true }),
    });
    expect(await dispatchCall(h, 'tokens:copy', { id: 'abcd1234' }, { warn })).toEqual({ ok: false, error: { code: 'vault_locked', message: 'The vault is locked.' } });
    const unexpected = await dispatchCall(h, 'tokens:add', { label: 'x', secret: SENTINEL_TOKEN }, { warn });
    expect(unexpected).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(JSON.stringify(unexpected)).not.toMatch(/boom|TypeError|at /);
    expect(await dispatchCall(h, 'tokens:test', { id: 'abcd1234' }, { warn })).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(JSON.stringify(warn.mock.calls)).not.toContain(SENTINEL_TOKEN);
  });
});

describe('tray actions', () => {
  it('"Test all" ends with a summary notification', async () => {
    const notify = vi.fn();
    const results = [...[1, 2, 3, 4, 5, 6, 7].map((n) => result('valid', n)), result('rejected', 8), result('rate_limited', 9)];
    const h = handlers({
      'tokens:testAll': async () => ({ results, counts: { total: 9, valid: 7, rejected: 1, rateLimited: 1, unreachable: 0 }, summary: '7 valid, 1 rejected, 1 rate-limited' }),
    });
    await runTrayAction({ type: 'testAll' }, h, { notify }, ui());
    expect(notify).toHaveBeenCalledWith({ title: 'Tested 9 tokens', body: '7 valid, 1 rejected, 1 rate-limited' });
  });

  it('a single test says how it went; a failure becomes a notification too', async () => {
    const notify = vi.fn();
    const h = handlers({
      'tokens:test': async () => ({ result: { ...result('rejected', 1), message: 'Webflow rejected the token (401 not_authorized).' } }),
      'tokens:copy': async () => {
        throw new AppError('vault_locked', 'The vault is locked.');
      },
    });
    await runTrayAction({ type: 'test', id: 'tok0000001' }, h, { notify }, ui());
    expect(notify).toHaveBeenLastCalledWith({ title: 'T1: rejected', body: 'Webflow rejected the token (401 not_authorized).' });
    await runTrayAction({ type: 'copy', id: 'tok0000001' }, h, { notify }, ui());
    expect(notify).toHaveBeenLastCalledWith({ title: 'Copy failed', body: 'The vault is locked.' });
  });

  it('revoke asks first for OAuth tokens, opens the dashboard for Site tokens, confirms pending ones', async () => {
    const revoke = vi.fn(async () => ({}));
    const confirmRevoke = vi.fn(async () => ({}));
    const tokens = [
      publicToken({ id: 'oauth00001', kind: 'oauth' }),
      publicToken({ id: 'site000001' }),
      publicToken({ id: 'pend000001', revokePendingSince: '2026-06-01T00:00:00Z', lastTest: lastTest() }),
    ];
    const h = handlers({ 'tokens:list': async () => ({ tokens, tombstones: [] }), 'tokens:revoke': revoke, 'tokens:confirmRevoke': confirmRevoke });
    const u = ui();
    await runTrayAction({ type: 'revoke', id: 'oauth00001' }, h, { notify: vi.fn() }, u);
    expect(u.calls).toEqual(['confirm']);
    expect(revoke).toHaveBeenCalledWith({ id: 'oauth00001' });
    await runTrayAction({ type: 'revoke', id: 'site000001' }, h, { notify: vi.fn() }, u);
    expect(u.calls).toEqual(['confirm', 'showToken site000001']);
    await runTrayAction({ type: 'revoke', id: 'pend000001' }, h, { notify: vi.fn() }, u);
    expect(confirmRevoke).toHaveBeenCalledWith({ id: 'pend000001' });
  });

  it('acts on a team token through the same calls, with its team, and says when a result was not kept', async () => {
    const notify = vi.fn();
    const test = vi.fn(async () => ({ result: { ...result('valid', 1), message: 'Webflow accepted the token.' }, notKept: 'The team folder is read-only.' }));
    const copy = vi.fn(async () => ({ clearsInSeconds: 30 }));
    const revoke = vi.fn(async () => ({}));
    const teamToken = { ...publicToken({ id: 'team000001', kind: 'oauth', label: 'Shared' }), team: 'acme', exposedTo: [], only: [], changedBy: 'bob', changedAt: '2026-06-01T00:00:00Z' };
    // A personal token with the same id must not be the one revoked.
    const h = handlers({
      'tokens:list': async () => ({ tokens: [publicToken({ id: 'team000001', kind: 'site' })], tombstones: [] }),
      'teams:list': async () => ({ teams: [{ name: 'acme', tokens: [teamToken], error: null }] }),
      'tokens:test': test,
      'tokens:copy': copy,
      'tokens:revoke': revoke,
    });
    const u = ui();
    const ref = { id: 'team000001', team: 'acme' };
    await runTrayAction({ type: 'test', ...ref }, h, { notify }, u);
    expect(test).toHaveBeenCalledWith(ref);
    expect(notify).toHaveBeenLastCalledWith({ title: 'T1: valid', body: 'Webflow accepted the token. The team folder is read-only.' });
    await runTrayAction({ type: 'copy', ...ref }, h, { notify }, u);
    expect(copy).toHaveBeenCalledWith(ref);
    await runTrayAction({ type: 'revoke', ...ref }, h, { notify }, u);
    expect(u.calls).toEqual(['confirm']);
    expect(revoke).toHaveBeenCalledWith(ref);
    await runTrayAction({ type: 'open', ...ref }, h, { notify }, u);
    expect(u.calls).toEqual(['confirm', 'showToken acme/team000001']);
    // A team token that left the team since the menu was built: the window shows what is there.
    await runTrayAction({ type: 'revoke', id: 'gone000001', team: 'acme' }, h, { notify }, u);
    expect(u.calls.at(-1)).toBe('showWindow');
    expect(revoke).toHaveBeenCalledTimes(1);
  });

  it('open, open vault, lock and quit', async () => {
    const lock = vi.fn(async () => ({}));
    const u = ui();
    const h = handlers({ 'vault:lock': lock });
    for (const action of [{ type: 'open', id: 'abcd1234' }, { type: 'openVault' }, { type: 'lock' }, { type: 'quit' }] as const) {
      await runTrayAction(action, h, { notify: vi.fn() }, u);
    }
    expect(u.calls).toEqual(['showToken abcd1234', 'showWindow', 'quit']);
    expect(lock).toHaveBeenCalled();
  });
});

describe('reading the teams', () => {
  it('the window and the tray share one read; a call that may change something, or a lock under way, is never given a read begun before it', async () => {
    const { s } = fakeVaultSession({ dir: '/tmp/fake-vault-shared-reads' });
    const [windowRead, trayRead] = await Promise.all([s.handlers['teams:list']({}), s.handlers['teams:list']({})]);
    expect(trayRead).toBe(windowRead);
    // Once a read is over, the next caller reads again.
    expect(await s.handlers['teams:list']({})).not.toBe(windowRead);
    // A call that is not a read (here one that fails) counts from its start.
    const before = s.handlers['teams:list']({});
    const removing = s.handlers['tokens:remove']({ id: 'nothing1' }).catch(() => undefined);
    const after = s.handlers['teams:list']({});
    expect(await after).not.toBe(await before);
    await removing;
    // A read asked for while a lock runs is refused, not handed the read begun before the lock.
    const open = s.handlers['teams:list']({});
    const locking = s.handlers['vault:lock']({});
    const during = s.handlers['teams:list']({});
    await locking;
    await expect(during).rejects.toMatchObject({ code: 'vault_locked' });
    await expect(open).resolves.toEqual({ teams: [] });
  });
});
