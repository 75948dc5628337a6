// A change to the member list that fails half-way leaves nothing behind. Here a member (bob)
// shares a token file signed as readable by alice that only he can decrypt; when alice admits
// carol, re-encrypting it for her fails. The admission is refused, and the member entry and the
// tokens re-encrypted before the failure are gone from alice's clone, so no later commit takes in
// an admission she never finished. The tray then names the team it cannot read. Real git, a bare
// remote in a temp folder.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Encrypter } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { createAppSession } from '../../main/services/app-session.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { addTeamToken, openTeam, syncTeams, teamContext } from '../../main/services/team.js';
import { admitMember, createTeam, joinTeam, parseJoinRequest } from '../../main/team/membership.js';
import { quietPorts } from '../helpers/app-session.js';
import { offlineMember } from '../helpers/team-member.js';

const exec = promisify(execFile);
const STEP_MS = 120_000;

describe('a member-list change that fails half-way', () => {
  let root: string;
  let alice: ServiceDeps;
  let repo: string;
  let request: string;

  const git = async (...args: string[]) => (await exec('git', args, { cwd: repo })).stdout;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wfv-change-undo-'));
    const remote = join(root, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    alice = await offlineMember(root, 'alice');
    const bob = await offlineMember(root, 'bob');
    const carol = await offlineMember(root, 'carol');
    repo = join(alice.vault.dir, 'teams', 'acme', 'repo');
    await createTeam(teamContext(alice), { name: 'acme', remote, me: { name: 'alice', email: 'alice@example.test' } });
    const joined = await joinTeam(teamContext(bob), { url: remote, me: { name: 'bob', email: 'bob@example.test' } });
    await admitMember(await openTeam(alice, 'acme'), parseJoinRequest(joined.request!));
    // Tokens alice can read, which admitting carol re-encrypts.
    for (const label of ['Acme site', 'Beta site', 'Gamma site']) await addTeamToken(alice, 'acme', { label, secret: randomBytes(32).toString('hex'), offline: true });
    await syncTeams(alice, 'acme');
    await syncTeams(bob, 'acme');

    // bob's file: signed by a member, naming alice as a reader, encrypted to bob alone.
    const team = await openTeam(bob, 'acme');
    const bobFp = team.state.me.fingerprint;
    const enc = new Encrypter();
    enc.addRecipient(team.recipientOf(bobFp));
    const readers = [...team.roster.members.keys()].sort();
    await team.writeSigned(team.newTokenId(), await enc.encrypt('{"not":"for alice"}'), readers, 'all');
    await team.git.commitAll('bob: a token alice cannot read');
    await syncTeams(bob, 'acme');
    await syncTeams(alice, 'acme');
    request = (await joinTeam(teamContext(carol), { url: remote, me: { name: 'carol', email: 'carol@example.test' } })).request!;
  }, STEP_MS);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('is refused and leaves the clone as it was, with nothing for the next commit to take in', async () => {
    const entries = (await readdir(join(repo, 'members'))).length;
    const head = (await git('rev-parse', 'HEAD')).trim();
    await expect(admitMember(await openTeam(alice, 'acme'), parseJoinRequest(request))).rejects.toMatchObject({ code: 'team_tampered' });
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect((await git('rev-parse', 'HEAD')).trim()).toBe(head);
    expect((await readdir(join(repo, 'members'))).length).toBe(entries);
    const team = await openTeam(alice, 'acme');
    expect([...team.roster.members.values()].map((m) => m.name).sort()).toEqual(['alice', 'bob']);
    // What the next command's commit would take in: nothing.
    expect(await team.git.commitAll('anything left over?')).toBe(false);
  }, STEP_MS);

  it('the tray names the team it cannot read and shows no all-clear', async () => {
    const session = createAppSession(alice, quietPorts(new PassphraseBroker()));
    try {
      const tray = await session.trayModel();
      expect(tray.items).toContainEqual({ kind: 'action', label: 'Team acme cannot be read: see the window…', action: { type: 'openVault' }, enabled: true });
      expect(tray.icon).not.toBe('ok');
      expect(tray.tooltip).toContain('1 team unreadable');
    } finally {
      await session.shutdown();
    }
  }, STEP_MS);
});
