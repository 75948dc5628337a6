// A team token's test results stay on the machine that ran the test, encrypted to that member
// alone, and apply only to the secret they were measured for: a rotated token (same id, new
// secret) starts untested.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Decrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHealth, saveHealth, withHealth } from '../../main/team/health.js';
import type { Team } from '../../main/team/team.js';
import type { StoredToken } from '../../main/core/token.js';
import { lastTest, publicToken } from '../helpers/tokens.js';

const SECRET = 'a'.repeat(64);

async function fakeTeam(dir: string, ids: string[]): Promise<{ team: Team; identity: string }> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const d = new Decrypter();
  d.addIdentity(identity);
  const team = {
    ctx: { vaultDir: dir },
    name: 'acme',
    state: { teamId: '0'.repeat(32), me: { fingerprint: 'me' } },
    roster: { members: new Map([['me', { recipient }]]) },
    files: new Map(ids.map((id) => [id, {}])),
    decrypter: async () => d,
  } as unknown as Team;
  return { team, identity };
}

describe('team token health on this machine', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wfvault-health-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const shared = (over: Partial<StoredToken> = {}): StoredToken => ({ ...publicToken({ id: 'tok00001', label: 'Client Co site', lastTest: null, testHistory: [] }), secret: SECRET, ...over });

  it('keeps a newer local test over the shared record, in a file only this member can open', async () => {
    const { team } = await fakeTeam(dir, ['tok00001']);
    const test = lastTest({ at: '2026-06-01T10:00:00Z', ok: false, httpStatus: 401, code: 'not_authorized' });
    await saveHealth(team, [{ ...shared(), lastTest: test, testHistory: [test], sites: [{ id: 's1', displayName: 'Client Co' }] }]);
    const file = await readFile(path.join(dir, 'teams', 'acme', 'health.age'));
    expect(file.includes('Client Co')).toBe(false);
    expect(file.includes('not_authorized')).toBe(false);
    const health = await loadHealth(team);
    const seen = withHealth(team, health, shared());
    expect(seen.lastTest).toEqual(test);
    expect(seen.sites).toEqual([{ id: 's1', displayName: 'Client Co' }]);
    // A shared record tested later than this machine did wins.
    const later = lastTest({ at: '2026-06-02T10:00:00Z' });
    expect(withHealth(team, health, shared({ lastTest: later })).lastTest).toEqual(later);
  });

  it('drops results for a replaced secret and for tokens that left the team', async () => {
    const { team } = await fakeTeam(dir, ['tok00001']);
    const test = lastTest({ at: '2026-06-01T10:00:00Z' });
    await saveHealth(team, [{ ...shared(), lastTest: test }, { ...shared({ id: 'gone0001' }), lastTest: test }]);
    const health = await loadHealth(team);
    expect([...health.keys()]).toEqual(['tok00001']);
    expect(withHealth(team, health, shared({ secret: 'b'.repeat(64) })).lastTest).toBeNull();
  });

  it('keeps the results of an earlier run for the tokens this run did not test', async () => {
    const { team } = await fakeTeam(dir, ['tok00001', 'tok00002']);
    const first = lastTest({ at: '2026-06-01T10:00:00Z' });
    const second = lastTest({ at: '2026-06-01T11:00:00Z', ok: false, httpStatus: 401 });
    await saveHealth(team, [{ ...shared(), lastTest: first }]);
    await saveHealth(team, [{ ...shared({ id: 'tok00002', secret: 'c'.repeat(64) }), lastTest: second }]);
    const health = await loadHealth(team);
    expect(withHealth(team, health, shared()).lastTest).toEqual(first);
    expect(withHealth(team, health, shared({ id: 'tok00002', secret: 'c'.repeat(64) })).lastTest).toEqual(second);
  });

  it('starts over when the file does not open with this member\'s key', async () => {
    const { team } = await fakeTeam(dir, ['tok00001']);
    await saveHealth(team, [{ ...shared(), lastTest: lastTest({ at: '2026-06-01T10:00:00Z' }) }]);
    const { team: other } = await fakeTeam(dir, ['tok00001']);
    expect((await loadHealth(other)).size).toBe(0);
  });
});
