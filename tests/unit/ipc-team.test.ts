// The window's team calls at the IPC boundary: what main accepts (team names by the same rule as
// on disk, strict objects, secrets kept out of error messages), what it sends back (no secret
// field survives the reply schema), and the sync timer that runs only while the vault is unlocked.
import { describe, expect, it, vi } from 'vitest';
import type { TimerPort } from '../../main/services/app-ports.js';
import { TeamSyncTimer } from '../../main/services/app-team-sync.js';
import { dispatchCall } from '../../main/services/ipc-dispatch.js';
import type { IpcHandlers } from '../../main/services/ipc-types.js';
import { TEAM_NAME_RE } from '../../main/team/local-state.js';
import { CALL_CHANNELS, REPLIES, REQUESTS } from '../../preload/contract.js';
import { TeamName } from '../../preload/contract-requests.js';
import { fakeVaultSession } from '../helpers/app-session.js';
import { SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { publicToken } from '../helpers/tokens.js';

function spyHandlers(): { handlers: IpcHandlers; ran: string[] } {
  const ran: string[] = [];
  const handlers = Object.fromEntries(CALL_CHANNELS.map((c) => [c, async () => (ran.push(c), {})])) as unknown as IpcHandlers;
  return { handlers, ran };
}

/** Timers that fire only when the test says so. */
class ManualTimers implements TimerPort {
  pending = new Map<number, { fn: () => void; ms: number }>();
  private next = 1;
  setTimeout(fn: () => void, ms: number) {
    const id = this.next++;
    this.pending.set(id, { fn, ms });
    return id;
  }
  clearTimeout(handle: unknown) {
    this.pending.delete(handle as number);
  }
  fire() {
    const due = [...this.pending.entries()];
    this.pending.clear();
    for (const [, t] of due) t.fn();
  }
}

describe('team requests from the window', () => {
  it('takes team names by the same rule as the team folders on disk', () => {
    expect(TeamName.safeParse('acme').success).toBe(true);
    expect(TeamName.safeParse('acme.dev_2-x').success).toBe(true);
    for (const bad of ['', 'Acme', '../acme', 'acme/x', '.acme', 'a'.repeat(41), 'acme ', 'ac me']) {
      expect(TeamName.safeParse(bad).success, bad).toBe(false);
      expect(TEAM_NAME_RE.test(bad), bad).toBe(false);
    }
    expect(TeamName.safeParse('a'.repeat(40)).success).toBe(true);
  });

  it('refuses a bad team, an unknown field or a missing secret before any handler runs', async () => {
    const { handlers, ran } = spyHandlers();
    const refused: [string, unknown][] = [
      ['tokens:copy', { id: 'abcd123456', team: '../other' }],
      ['tokens:test', { id: 'abcd123456', team: 'Acme' }],
      ['tokens:revoke', { id: 'abcd123456', team: 'acme', confirm: true }],
      ['teams:status', {}],
      ['teams:status', { team: 'acme', all: true }],
      ['teams:sync', { team: 42 }],
      ['teams:rotate', { team: 'acme', id: 'abcd123456' }],
      ['teams:rotate', { team: 'acme', id: 'abcd123456', secret: '' }],
      ['teams:rotateOAuth', { team: 'acme', id: 'abcd123456', secret: SENTINEL_TOKEN }],
      ['teams:resolve', { team: 'acme', id: 'abcd123456' }],
      ['teams:resolve', { team: 'acme', id: 'abcd123456', keep: 'both' }],
      ['teams:resolve', { team: 'acme', id: 'abcd123456', keep: 'Mine' }],
      ['teams:resolve', { team: 'acme', id: '../../conflicts/abcd', keep: 'mine' }],
      ['teams:resolve', { team: 'acme', id: 'abcd123456', keep: 'mine', force: true }],
      ['teams:resolve', { id: 'abcd123456', keep: 'theirs' }],
    ];
    for (const [channel, payload] of refused) {
      const reply = await dispatchCall(handlers, channel, payload);
      expect(reply, `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'usage' } });
    }
    expect(ran).toEqual([]);
    // The personal calls are unchanged: no team means the vault's own token.
    expect(await dispatchCall(handlers, 'tokens:copy', { id: 'abcd123456' })).toMatchObject({ ok: false });
    expect(ran).toEqual(['tokens:copy']);
  });

  it('keeps a pasted replacement out of the error message of a refused rotation', async () => {
    const { handlers } = spyHandlers();
    const reply = await dispatchCall(handlers, 'teams:rotate', { team: 'Not a team', id: 'abcd123456', secret: SENTINEL_TOKEN });
    expect(reply.ok).toBe(false);
    expect(JSON.stringify(reply)).not.toContain(SENTINEL_TOKEN);
  });
});

describe('team replies to the window', () => {
  it('drops a secret field from team tokens, whatever a handler put in', () => {
    const token = { ...publicToken(), secret: SENTINEL_TOKEN, team: 'acme', exposedTo: ['bob'], only: [], changedBy: 'alice', changedAt: new Date().toISOString() };
    const parsed = REPLIES['teams:list'].parse({ teams: [{ name: 'acme', tokens: [token], error: null }] });
    expect(JSON.stringify(parsed)).not.toContain(SENTINEL_TOKEN);
    expect(parsed.teams[0]!.tokens[0]).toMatchObject({ team: 'acme', exposedTo: ['bob'] });
  });

  it('sends a resolve’s outcome without any field the schema does not name', () => {
    const parsed = REPLIES['teams:resolve'].parse({ id: 'abcd123456', label: 'Acme site', keep: 'mine', message: 'Kept your version of Acme site.', sync: null, secret: SENTINEL_TOKEN, token: { secret: SENTINEL_TOKEN } });
    expect(JSON.stringify(parsed)).not.toContain(SENTINEL_TOKEN);
    expect(Object.keys(parsed).sort()).toEqual(['id', 'keep', 'label', 'message', 'sync']);
  });

  it('has a request and a reply schema for every team channel', () => {
    for (const c of ['teams:list', 'teams:status', 'teams:sync', 'teams:resolve', 'teams:rotate', 'teams:rotateOAuth'] as const) {
      expect(REQUESTS[c], c).toBeDefined();
      expect(REPLIES[c], c).toBeDefined();
    }
  });
});

describe('team sync on a timer', () => {
  it('runs every interval once started, and not after it is stopped', async () => {
    const timers = new ManualTimers();
    const timer = new TeamSyncTimer(timers, 1000);
    const run = vi.fn(async () => undefined);
    timer.setRun(run);
    timer.start();
    timer.start();
    expect(timers.pending.size).toBe(1);
    expect([...timers.pending.values()][0]!.ms).toBe(1000);
    timers.fire();
    await vi.waitFor(() => expect(timers.pending.size).toBe(1));
    expect(run).toHaveBeenCalledTimes(1);
    timer.stop();
    expect(timers.pending.size).toBe(0);
    expect(timer.armed).toBe(false);
  });

  it('keeps going after a failed sync, and stays stopped when stopped while one runs', async () => {
    const timers = new ManualTimers();
    const timer = new TeamSyncTimer(timers, 1000);
    let release!: () => void;
    timer.setRun(() => new Promise<void>((_resolve, reject) => (release = () => reject(new Error('remote down')))));
    timer.start();
    timers.fire();
    release();
    await vi.waitFor(() => expect(timer.armed).toBe(true));

    let finish!: () => void;
    timer.setRun(() => new Promise<void>((resolve) => (finish = resolve)));
    timers.fire();
    timer.stop();
    finish();
    await new Promise((r) => setImmediate(r));
    expect(timer.armed).toBe(false);
    expect(timers.pending.size).toBe(0);
  });

  it('is armed while the window’s vault is unlocked and dropped when it locks', async () => {
    const timers = new ManualTimers();
    const { s } = fakeVaultSession({ dir: '/tmp/team-timer', ports: { timers } });
    expect(s.teamSync.armed).toBe(false);
    await s.call('vault:init', { mode: 'keychain' });
    expect(s.teamSync.armed).toBe(true);
    await s.call('vault:lock', {});
    expect(s.teamSync.armed).toBe(false);
    await s.call('vault:unlock', {});
    expect(s.teamSync.armed).toBe(true);
    await s.shutdown();
    expect(s.teamSync.armed).toBe(false);
  });
});
