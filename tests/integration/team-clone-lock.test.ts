// One change at a time in a team's clone. Several wfvault processes of one member (the window's
// timer sync, CLI runs) write token files and commit in the same clone; the clone's lock keeps
// them from committing each other's half-written files, a reader from taking a half-written
// change for tampering, and a change from writing back a token that another changed meanwhile.
// Real git with a bare remote; the cross-process case runs real CLI processes against a real
// keyring.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceDeps } from '../../main/services/deps.js';
import { addTeamToken, openTeam, syncTeams, teamContext, teamStoredToken, updateTeamRecord } from '../../main/services/team.js';
import { withCloneLock } from '../../main/team/clone-lock.js';
import { createTeam } from '../../main/team/membership.js';
import { Team } from '../../main/team/team.js';
import { startCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { startMember, type Member } from '../helpers/member-keyring.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { offlineMember } from '../helpers/team-member.js';

const exec = promisify(execFile);
const STEP_MS = 300_000;

describe('changes to one clone from one process', () => {
  let root: string;
  let alice: ServiceDeps;
  let repo: string;
  const git = async (...args: string[]) => (await exec('git', args, { cwd: repo })).stdout;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wfv-clone-lock-'));
    const remote = join(root, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    alice = await offlineMember(root, 'alice');
    repo = join(alice.vault.dir, 'teams', 'acme', 'repo');
    await createTeam(teamContext(alice), { name: 'acme', remote, me: { name: 'alice', email: 'alice@example.test' } });
    await addTeamToken(alice, 'acme', { label: 'Shared site', secret: randomBytes(32).toString('hex'), offline: true });
  }, STEP_MS);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('adds made at once, with a sync among them, each land in a commit of their own', async () => {
    const before = Number((await git('rev-list', '--count', 'HEAD')).trim());
    const labels = ['One', 'Two', 'Three', 'Four', 'Five', 'Six'].map((n) => `${n} site`);
    const results = await Promise.allSettled([
      ...labels.map((label) => addTeamToken(alice, 'acme', { label, secret: randomBytes(32).toString('hex'), offline: true })),
      syncTeams(alice, 'acme'),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const team = await openTeam(alice, 'acme');
    const stored = (await team.readAll()).map((t) => t.record.token.label);
    expect(stored.sort()).toEqual([...labels, 'Shared site'].sort());
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(Number((await git('rev-list', '--count', 'HEAD')).trim())).toBe(before + labels.length);
  }, STEP_MS);

  it('a token read before another change to it landed is not written back over that change', async () => {
    const first = await teamStoredToken(alice, 'acme', 'Shared site');
    const second = await teamStoredToken(alice, 'acme', 'Shared site');
    await updateTeamRecord(second.team, second.token, { ...second.token.record.token, notes: 'written second, landed first' }, alice.now());
    await expect(updateTeamRecord(first.team, first.token, { ...first.token.record.token, notes: 'read first, written late' }, alice.now())).rejects.toMatchObject({ code: 'team_conflict' });
    expect((await teamStoredToken(alice, 'acme', 'Shared site')).token.record.token.notes).toBe('written second, landed first');
    expect(await git('status', '--porcelain', '--untracked-files=all')).toBe('');
  }, STEP_MS);

  it('a reader that meets a change half-written waits for it instead of calling it tampering', async () => {
    const { token } = await teamStoredToken(alice, 'acme', 'Shared site');
    const file = join(repo, 'tokens', `${token.record.token.id}.age`);
    const committed = await readFile(file);
    let halfWritten!: () => void;
    const written = new Promise<void>((resolve) => (halfWritten = resolve));
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    // A change in progress: the token's ciphertext is new, its signature not yet.
    const change = withCloneLock(alice.vault.dir, 'acme', async () => {
      await writeFile(file, randomBytes(committed.length));
      halfWritten();
      await finished;
      await writeFile(file, committed);
    });
    await written;
    let waiting!: () => void;
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    const opening = Team.open({ ...teamContext(alice), lockOptions: { onWait: () => waiting() } }, 'acme');
    try {
      // The reader says it waits only once it has met the half-written token and is blocked on
      // the lock; one that opens or fails before that has not waited.
      await Promise.race([waited, opening.then(() => Promise.reject(new Error('opened while the change was half-written')))]);
    } finally {
      finish();
      await change;
    }
    const team = await opening;
    expect((await team.read(token.record.token.id)).record.token.label).toBe('Shared site');
  }, STEP_MS);

  it('a file altered while no change runs is still refused', async () => {
    const { token } = await teamStoredToken(alice, 'acme', 'Shared site');
    const file = join(repo, 'tokens', `${token.record.token.id}.age`);
    const committed = await readFile(file);
    await writeFile(file, randomBytes(committed.length));
    try {
      await expect(openTeam(alice, 'acme')).rejects.toMatchObject({ code: 'team_tampered', details: { reason: 'token_altered' } });
    } finally {
      await writeFile(file, committed);
    }
  }, STEP_MS);
});

describeWithKeyring('changes to one clone from several wfvault processes (real keyring)', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let alice: Member;
  const secrets: string[] = [];

  beforeAll(async () => {
    tmp = await tempDir('wfv-clone-lock-cli-');
    const remote = join(tmp.path, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    alice = await startMember(tmp.path, 'alice');
    const created = await alice.cli(['team', 'create', 'acme', '--remote', remote]);
    expect(created.code, created.stderr).toBe(0);
  }, STEP_MS);

  afterAll(async () => {
    await alice?.stop();
    await tmp?.cleanup();
  });

  it('CLI adds and a sync run at once all succeed, and every token reaches the remote', async () => {
    const labels = ['North', 'South', 'East', 'West', 'Centre'].map((n) => `${n} site`);
    const runs = await Promise.all([
      ...labels.map((label) => {
        const value = randomBytes(32).toString('hex');
        secrets.push(value);
        return alice.cli(['add', '--team', 'acme', '--label', label, '--offline'], { input: value });
      }),
      alice.cli(['team', 'sync']),
    ]);
    for (const r of runs) {
      assertNoSecret(r.stdout + r.stderr, secrets);
      expect(r.code, r.stderr).toBe(0);
    }
    const synced = await alice.cli(['team', 'sync']);
    expect(synced.code, synced.stderr).toBe(0);
    const listed = await alice.cli(['list', '--team', 'acme', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { label: string }[]).map((t) => t.label).sort()).toEqual([...labels].sort());
    const repo = join(alice.vaultDir, 'teams', 'acme', 'repo');
    expect((await exec('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: repo })).stdout).toBe('');
    const remoteFiles = (await exec('git', ['ls-tree', '-r', '--name-only', 'main', 'tokens'], { cwd: join(tmp.path, 'remote.git') })).stdout.split('\n').filter(Boolean);
    expect(remoteFiles.length).toBe(labels.length * 2);
  }, STEP_MS);

  it('a command that waits for another change says for whom, and goes on when it is done', async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const change = withCloneLock(alice.vaultDir, 'acme', async () => {
      held();
      await released;
    }, { owner: 'a test holding the lock' });
    await holding;
    const value = randomBytes(32).toString('hex');
    secrets.push(value);
    const run = startCli(['add', '--team', 'acme', '--label', 'Patient site', '--offline'], { env: alice.env, input: value });
    try {
      await new Promise<void>((resolve, reject) => {
        let said = '';
        run.child.stderr.on('data', (d: string) => {
          said += d;
          if (said.includes('Waiting for team acme')) resolve();
        });
        void run.done.then((r) => reject(new Error(`finished without waiting (exit ${r.code}): ${r.stderr}`)));
      });
    } finally {
      release();
      await change;
    }
    const r = await run.done;
    assertNoSecret(r.stdout + r.stderr, secrets);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('a test holding the lock');
  }, STEP_MS);
});
