// `teams:resolve` on a real conflict: two members (alice in an app session, bob through the same
// services the CLI runs), each with their own vault and keys, sharing a bare git remote in a temp
// folder. Both change the same token before either syncs; alice's sync keeps both versions, and
// the window's call picks one, commits it and syncs, so bob gets the pick at his next sync.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallChannel, Envelope, EventChannel } from '../../preload/contract.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { createAppSession, type AppSession } from '../../main/services/app-session.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { addTeamToken, openTeam, syncTeams, teamContext, teamStatus, teamStoredToken, updateTeamRecord } from '../../main/services/team.js';
import { admitMember, createTeam, joinTeam, parseJoinRequest } from '../../main/team/membership.js';
import { quietPorts } from '../helpers/app-session.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { offlineMember } from '../helpers/team-member.js';

const exec = promisify(execFile);
// git and age for two members on a machine shared with other runs.
const STEP_MS = 120_000;

/** A member's own vault and keychain, and the passphrase broker its window's session asks. */
async function member(root: string, name: string): Promise<{ deps: ServiceDeps; passphrase: PassphraseBroker }> {
  const passphrase = new PassphraseBroker();
  return { deps: await offlineMember(root, name, passphrase), passphrase };
}

describe('teams:resolve on a conflict between two members (real git, bare remote)', () => {
  let root: string;
  let alice: ServiceDeps;
  let bob: ServiceDeps;
  let session: AppSession;
  let id: string;
  let round = 0;
  const secret = randomBytes(32).toString('hex');
  const seen: { what: string; text: string }[] = [];
  const events: { channel: EventChannel; payload: unknown }[] = [];

  const call = async (channel: CallChannel, payload: unknown): Promise<Envelope<unknown>> => {
    const reply = (await session.call(channel, payload)) as Envelope<unknown>;
    seen.push({ what: `reply of ${channel}`, text: JSON.stringify(reply) });
    return reply;
  };
  const ok = async <T = Record<string, unknown>>(channel: CallChannel, payload: unknown): Promise<T> => {
    const reply = await call(channel, payload);
    if (!reply.ok) throw new Error(`${channel} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.value as T;
  };

  const notesOf = async (deps: ServiceDeps) => (await teamStoredToken(deps, 'acme', id)).token.record.token.notes;

  /** A change that needs no Webflow: the token's note, written and committed in one member's clone. */
  async function edit(deps: ServiceDeps, notes: string): Promise<void> {
    const { team, token } = await teamStoredToken(deps, 'acme', id);
    await updateTeamRecord(team, token, { ...token.record.token, notes }, deps.now());
  }

  /** Both change the token; bob pushes first, so alice's sync (from the window) finds the conflict. */
  async function conflict(): Promise<{ mine: string; theirs: string }> {
    round++;
    const mine = `alice's note ${round}`;
    const theirs = `bob's note ${round}`;
    await edit(alice, mine);
    await edit(bob, theirs);
    expect((await syncTeams(bob, 'acme'))[0]).toMatchObject({ pushed: true, conflicts: [] });
    const { results } = await ok<{ results: { state: string; conflicts: string[]; message: string }[] }>('teams:sync', { team: 'acme' });
    expect(results[0]).toMatchObject({ state: 'synced', conflicts: [id] });
    expect(results[0]!.message).toContain('Changed on both sides');
    expect(await ok('teams:status', { team: 'acme' })).toMatchObject({ conflicts: [id] });
    // The repository holds the team's version until the pick.
    expect(await notesOf(alice)).toBe(theirs);
    return { mine, theirs };
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wfv-ipc-resolve-'));
    const remote = join(root, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    const a = await member(root, 'alice');
    alice = a.deps;
    bob = (await member(root, 'bob')).deps;
    await createTeam(teamContext(alice), { name: 'acme', remote, me: { name: 'alice', email: 'alice@example.test' } });
    const joined = await joinTeam(teamContext(bob), { url: remote, me: { name: 'bob', email: 'bob@example.test' } });
    await admitMember(await openTeam(alice, 'acme'), parseJoinRequest(joined.request!));
    const { token } = await addTeamToken(alice, 'acme', { label: 'Acme site', secret, offline: true });
    id = token.id;
    await syncTeams(alice, 'acme');
    await syncTeams(bob, 'acme');
    session = createAppSession(alice, quietPorts(a.passphrase, { events: { emit: (channel, payload) => (events.push({ channel, payload }), seen.push({ what: `event ${channel}`, text: JSON.stringify(payload) })) } }));
  }, STEP_MS);

  afterAll(async () => {
    await session?.shutdown();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('keep mine: alice’s version reaches bob at his next sync, and the conflict is gone for both', async () => {
    const { mine } = await conflict();
    events.length = 0;
    const r = await ok<{ id: string; label: string | null; keep: string; message: string; sync: { state: string; pushed: boolean } | null }>('teams:resolve', { team: 'acme', id, keep: 'mine' });
    expect(r).toMatchObject({ id, label: 'Acme site', keep: 'mine', sync: { state: 'synced', pushed: true } });
    expect(r.message).toBe('Kept your version of Acme site; every member gets it at their next sync.');
    // The window hears of the sync like any other, and its list reloads.
    expect(events.map((e) => e.channel)).toEqual(expect.arrayContaining(['event:teamSync', 'event:vaultChanged']));

    expect(await notesOf(alice)).toBe(mine);
    expect((await syncTeams(bob, 'acme'))[0]).toMatchObject({ pulled: true, conflicts: [] });
    expect(await notesOf(bob)).toBe(mine);
    expect((await teamStoredToken(bob, 'acme', id)).token.record.writtenBy).toBe('alice');
    expect(await ok('teams:status', { team: 'acme' })).toMatchObject({ conflicts: [], ahead: 0 });
    expect((await teamStatus(bob, 'acme')).conflicts).toEqual([]);
  }, STEP_MS);

  it('keep theirs: bob’s version stays for both, and alice’s is dropped', async () => {
    const { theirs } = await conflict();
    const r = await ok<{ label: string | null; keep: string; message: string; sync: { state: string; pushed: boolean } | null }>('teams:resolve', { team: 'acme', id, keep: 'theirs' });
    expect(r).toMatchObject({ label: 'Acme site', keep: 'theirs', sync: { state: 'synced', pushed: false } });
    expect(r.message).toBe('Kept the version of Acme site from team acme; the one made here is dropped.');

    expect(await notesOf(alice)).toBe(theirs);
    expect((await syncTeams(bob, 'acme'))[0]).toMatchObject({ conflicts: [] });
    expect(await notesOf(bob)).toBe(theirs);
    expect(await ok('teams:status', { team: 'acme' })).toMatchObject({ conflicts: [], ahead: 0 });
    expect((await teamStatus(bob, 'acme')).conflicts).toEqual([]);
    // Dropped means gone: a second pick finds nothing to pick from.
    expect(await call('teams:resolve', { team: 'acme', id, keep: 'mine' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  }, STEP_MS);

  it('answers a bad pick with a typed error and changes nothing', async () => {
    const before = await notesOf(alice);
    const refused: [unknown, string][] = [
      // A token of the team that has no conflict, and an id no token has.
      [{ team: 'acme', id, keep: 'mine' }, 'not_found'],
      [{ team: 'acme', id: 'zzzz999999', keep: 'theirs' }, 'not_found'],
      [{ team: 'nosuchteam', id, keep: 'mine' }, 'team_not_found'],
      [{ team: 'acme', id, keep: 'both' }, 'usage'],
      [{ team: 'acme', id, keep: 'mine', force: true }, 'usage'],
      [{ team: 'acme', id: '../conflicts/x', keep: 'mine' }, 'usage'],
    ];
    for (const [payload, code] of refused) {
      const reply = await call('teams:resolve', payload);
      expect(reply, JSON.stringify(payload)).toMatchObject({ ok: false, error: { code } });
    }
    expect(await notesOf(alice)).toBe(before);
    expect(await ok('teams:status', { team: 'acme' })).toMatchObject({ conflicts: [], ahead: 0 });
  }, STEP_MS);

  it('kept the token’s secret out of every reply and event', () => {
    expect(seen.length).toBeGreaterThan(0);
    for (const { what, text } of seen) {
      try {
        assertNoSecret(text, [secret]);
      } catch {
        throw new Error(`the secret appeared in the ${what}`);
      }
    }
  });
});
