// TeamReads: one read of the teams for callers with no change between them, a tray copy that
// lasts until a change or a few minutes, and never a read begun before a change handed out after.
import { describe, expect, it } from 'vitest';
import { TeamReads, TRAY_COPY_MS } from '../../main/services/app-team-reads.js';
import type { ReplyOf } from '../../preload/contract.js';

type Reply = ReplyOf<'teams:list'>;

/** A read that finishes when the test says, each with its own reply object. */
function reads() {
  const pending: ((r: Reply) => void)[] = [];
  let count = 0;
  const read = () =>
    new Promise<Reply>((resolve) => {
      count++;
      pending.push(resolve);
    });
  const finishAll = () => {
    for (const resolve of pending.splice(0)) resolve({ teams: [] });
  };
  return { read, finishAll, count: () => count };
}

describe('TeamReads', () => {
  it('shares one read between callers with no change between them, and reads again once it is over', async () => {
    const r = reads();
    const t = new TeamReads(r.read, () => 0);
    const a = t.list();
    const b = t.list();
    expect(r.count()).toBe(1);
    r.finishAll();
    expect(await b).toBe(await a);
    const c = t.list();
    expect(r.count()).toBe(2);
    r.finishAll();
    expect(await c).not.toBe(await a);
  });

  it('never hands a read begun before a change to a caller after it', async () => {
    const r = reads();
    const t = new TeamReads(r.read, () => 0);
    const before = t.list();
    t.changed();
    const after = t.list();
    expect(r.count()).toBe(2);
    r.finishAll();
    expect(await after).not.toBe(await before);
  });

  it('keeps the tray copy until a change, or until it is a few minutes old', async () => {
    const r = reads();
    let now = 0;
    const t = new TeamReads(r.read, () => now);
    const first = t.forTray();
    r.finishAll();
    const copy = await first;
    now = TRAY_COPY_MS - 1;
    expect(await t.forTray()).toBe(copy);
    expect(r.count()).toBe(1);
    now = TRAY_COPY_MS;
    const aged = t.forTray();
    r.finishAll();
    expect(await aged).not.toBe(copy);
    const kept = await t.forTray();
    t.changed();
    const fresh = t.forTray();
    r.finishAll();
    expect(await fresh).not.toBe(kept);
    expect(r.count()).toBe(3);
  });

  it('does not keep a copy in which a team could not be read, unless it is only not joined yet', async () => {
    const replies: Reply[] = [
      { teams: [{ name: 'acme', tokens: [], error: { code: 'keychain_timeout', message: 'The keychain did not answer.' } }] },
      { teams: [{ name: 'acme', tokens: [], error: { code: 'team_not_member', message: 'Not admitted yet.' } }] },
    ];
    let count = 0;
    const t = new TeamReads(async () => replies[Math.min(count++, 1)]!, () => 0);
    expect((await t.forTray()).teams[0]!.error?.code).toBe('keychain_timeout');
    expect((await t.forTray()).teams[0]!.error?.code).toBe('team_not_member');
    await t.forTray();
    expect(count).toBe(2);
  });

  it('does not keep a copy read across a change', async () => {
    const r = reads();
    const t = new TeamReads(r.read, () => 0);
    const during = t.forTray();
    t.changed();
    r.finishAll();
    await during;
    const next = t.forTray();
    expect(r.count()).toBe(2);
    r.finishAll();
    await next;
  });
});
