// Team vaults end to end: real git with a local bare remote, and one real gnome-keyring per member
// (each in its own home and private D-Bus session). The steps build on each other, as a team's
// history does: create, join, admit, share, tamper, race, remove, rotate, CI.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { entrySignedText } from '../../main/core/team-chain.js';
import { tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { startMember, type Member } from '../helpers/member-keyring.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const exec = promisify(execFile);
// Each step runs many CLI processes against real keyrings and git; on a loaded machine that takes minutes.
const STEP_MS = 600_000;

function secret(): string {
  return randomBytes(32).toString('hex');
}

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: 'host', GIT_AUTHOR_EMAIL: 'host@example.test', GIT_COMMITTER_NAME: 'host', GIT_COMMITTER_EMAIL: 'host@example.test' }, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

describeWithKeyring('team vaults over git and age (real keyrings, one per member)', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let remote: string;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let sim: Simulator;
  const secrets = new Map<string, string>();
  const allSecrets = () => [...secrets.values()];

  /** Runs a CLI command as a member and checks that no secret of the run shows in its output. */
  async function as(m: Member, args: string[], input?: string) {
    const r = await m.cli(args, { input });
    assertNoSecret(r.stdout + r.stderr, allSecrets().filter((s) => s !== input));
    return r;
  }

  async function ok(m: Member, args: string[], input?: string) {
    const r = await as(m, args, input);
    expect(r.code, `${m.name}: wfvault ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  }

  async function fingerprintOf(m: Member): Promise<string> {
    return JSON.parse((await ok(m, ['team', 'status', 'acme', '--json'])).stdout).me.fingerprint as string;
  }

  async function join(m: Member, admitter: Member): Promise<void> {
    const request = (await ok(m, ['team', 'join', remote])).stdout.trim();
    expect(request).toMatch(/^wfvault-team-join:1:/u);
    const fp = await fingerprintOf(m);
    const admitted = await ok(admitter, ['team', 'add-member', request, '--fingerprint', fp]);
    expect(admitted.stderr).toContain(fp);
    await ok(m, ['team', 'sync']);
  }

  async function addToken(m: Member, label: string, extra: string[] = []): Promise<string> {
    const value = secret();
    secrets.set(label, value);
    const r = await ok(m, ['add', '--team', 'acme', '--label', label, '--offline', '--json', ...extra], value);
    return JSON.parse(r.stdout).id as string;
  }

  /** Prints one secret on purpose; every other secret must stay out of its output. */
  async function reveal(m: Member, ref: string) {
    const r = await m.cli(['reveal', '--team', 'acme', ref]);
    assertNoSecret(r.stderr, allSecrets());
    assertNoSecret(r.stdout, allSecrets().filter((s) => s !== secrets.get(ref)));
    return r;
  }

  /** A clone for the git host, who can push anything. */
  async function hostClone(): Promise<string> {
    const dir = path.join(tmp.path, `host-${randomBytes(4).toString('hex')}`);
    await git(tmp.path, 'clone', '--quiet', '--branch', 'main', remote, dir);
    return dir;
  }

  beforeAll(async () => {
    tmp = await tempDir('wfvault-team-');
    remote = path.join(tmp.path, 'remote.git');
    await git(tmp.path, 'init', '--quiet', '--bare', remote);
    const started = await Promise.all(['alice', 'bob', 'carol'].map((n) => startMember(tmp.path, n)));
    [alice, bob, carol] = started as [Member, Member, Member];
    sim = await startSimulator();
    sim.addSite({ id: 'site-alpha', displayName: 'Alpha Co', shortName: 'alpha-co' });
    sim.addSite({ id: 'site-beta', displayName: 'Beta Co', shortName: 'beta-co' });
    for (const m of started) Object.assign(m.env, sim.env);
  }, STEP_MS);

  afterAll(async () => {
    await Promise.all([alice, bob, carol].filter(Boolean).map((m) => m.stop()));
    await sim?.close();
    await tmp?.cleanup();
  }, STEP_MS);

  it('three members create, join, admit, add and sync, and each reads the others\' tokens', async () => {
    const created = await ok(alice, ['team', 'create', 'acme', '--remote', remote]);
    expect(created.stderr).toContain('Your fingerprint:');
    await join(bob, alice);
    await join(carol, bob); // admitted by a member who was admitted himself
    await addToken(alice, 'Alice client site');
    await addToken(bob, 'Bob client site');
    await addToken(carol, 'Carol client site');
    // The first round pushes each member's token; the second brings everyone's to everyone.
    for (const m of [alice, bob, carol, alice, bob]) await ok(m, ['team', 'sync']);
    for (const m of [alice, bob, carol]) {
      const listed = JSON.parse((await ok(m, ['list', '--team', 'acme', '--json'])).stdout) as { label: string; team: string }[];
      expect(listed.map((t) => t.label).sort()).toEqual(['Alice client site', 'Bob client site', 'Carol client site']);
      expect(listed.every((t) => t.team === 'acme')).toBe(true);
      for (const label of ['Alice client site', 'Bob client site', 'Carol client site']) {
        const r = await reveal(m, label);
        expect(r.code).toBe(0);
        expect(r.stdout.trim() === secrets.get(label)).toBe(true);
      }
    }
    const status = JSON.parse((await ok(carol, ['team', 'status', 'acme', '--json'])).stdout);
    expect(status.members.map((x: { name: string }) => x.name).sort()).toEqual(['alice', 'bob', 'carol']);
    // Plain `list` is the member's own vault; it points to the team's tokens rather than only
    // saying there is nothing, with or without a vault of one's own.
    const noVault = await as(carol, ['list']);
    expect(noVault.code).toBe(5);
    expect(noVault.stderr).toContain('There is no vault in');
    expect(noVault.stderr).toContain('Your team tokens are listed with: wfvault list --team acme');
    await ok(carol, ['init']);
    const empty = await ok(carol, ['list']);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('no tokens of your own yet; team tokens are listed with: wfvault list --team acme');
    secrets.set('Carol personal', secret());
    await ok(carol, ['add', '--label', 'Carol personal', '--offline'], secrets.get('Carol personal'));
    const own = await ok(carol, ['list']);
    expect(own.stdout).toContain('Carol personal');
    expect(own.stdout).not.toContain('Alice client site');
    expect(own.stderr).toContain('Team tokens are listed with: wfvault list --team acme');
  }, STEP_MS);

  it('--only shares a token with the members named and no one else', async () => {
    await addToken(alice, 'Alice and Bob only', ['--only', 'bob']);
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    await ok(carol, ['team', 'sync']);
    expect((await reveal(bob, 'Alice and Bob only')).stdout.trim() === secrets.get('Alice and Bob only')).toBe(true);
    const denied = await reveal(carol, 'Alice and Bob only');
    expect(denied.code).toBe(2);
    const listed = JSON.parse((await ok(carol, ['list', '--team', 'acme', '--json'])).stdout) as { label: string }[];
    expect(listed.map((t) => t.label)).not.toContain('Alice and Bob only');
  }, STEP_MS);

  it('a non-member and the remote\'s owner read no secret and no label', async () => {
    const dave = await startMember(tmp.path, 'dave');
    try {
      await ok(dave, ['team', 'join', remote]);
      const listed = await as(dave, ['list', '--team', 'acme']);
      expect(listed.code).toBe(1);
      expect(listed.stderr).toContain('not a member of team acme yet');
      expect((await reveal(dave, 'Alice client site')).code).toBe(1);
    } finally {
      await dave.stop();
    }
    // Everything the host stores, every object of every commit:
    const objects = await git(remote, 'cat-file', '--batch-all-objects', '--batch');
    for (const label of secrets.keys()) expect(objects.includes(label), label).toBe(false);
    assertNoSecret(objects, allSecrets());
    const files = await readdir(path.join(await hostClone(), 'tokens'));
    expect(files.every((f) => /^[0-9a-z]+\.(age|sig)$/u.test(f))).toBe(true);
  }, STEP_MS);

  it('refuses a token file changed on the remote, and keeps using the verified one', async () => {
    const host = await hostClone();
    const id = JSON.parse((await ok(alice, ['show', '--team', 'acme', 'Alice client site', '--json'])).stdout).id as string;
    const file = path.join(host, 'tokens', `${id}.age`);
    const bytes = await readFile(file);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x01;
    await writeFile(file, bytes);
    await git(host, 'commit', '--quiet', '-am', 'tamper');
    await git(host, 'push', '--quiet', 'origin', 'main');
    const r = await as(bob, ['team', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Token ${id} was altered after alice signed it`);
    expect((await reveal(bob, 'Alice client site')).stdout.trim() === secrets.get('Alice client site')).toBe(true);
    await git(host, 'revert', '--no-edit', 'HEAD');
    await git(host, 'push', '--quiet', 'origin', 'main');
    await ok(bob, ['team', 'sync']);
  }, STEP_MS);

  it('refuses a member added without a member\'s signature', async () => {
    const host = await hostClone();
    const names = (await readdir(path.join(host, 'members'))).sort();
    const last = JSON.parse(await readFile(path.join(host, 'members', names[names.length - 1]!), 'utf8'));
    const prev = createHash('sha256').update(`${entrySignedText(last)}\n${last.sig}`).digest('hex');
    const forged = { ...last, seq: last.seq + 1, prev, op: 'add', member: { ...last.member, name: 'mallory', recipient: 'age1mallory' }, sig: Buffer.alloc(64, 7).toString('base64') };
    await writeFile(path.join(host, 'members', `${String(forged.seq).padStart(6, '0')}.json`), JSON.stringify(forged));
    await git(host, 'add', '-A');
    await git(host, 'commit', '--quiet', '-m', 'add mallory');
    await git(host, 'push', '--quiet', 'origin', 'main');
    const r = await as(carol, ['team', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Entry \d+ of the member list \(add mallory\) (does not carry a valid signature|is not signed by a member)/u);
    const status = JSON.parse((await ok(carol, ['team', 'status', 'acme', '--json'])).stdout);
    expect(status.members.map((x: { name: string }) => x.name)).not.toContain('mallory');
    await git(host, 'revert', '--no-edit', 'HEAD');
    await git(host, 'push', '--quiet', 'origin', 'main');
    await ok(carol, ['team', 'sync']);
  }, STEP_MS);

  it('refuses a forced push that rolls history back', async () => {
    const host = await hostClone();
    const first = (await git(host, 'rev-list', '--max-parents=0', 'HEAD')).trim();
    const current = (await git(host, 'rev-parse', 'HEAD')).trim();
    await git(host, 'push', '--quiet', '--force', 'origin', `${first}:refs/heads/main`);
    const r = await as(alice, ['team', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rolled back or rewritten');
    expect((await reveal(alice, 'Bob client site')).stdout.trim() === secrets.get('Bob client site')).toBe(true);
    await git(host, 'push', '--quiet', '--force', 'origin', `${current}:refs/heads/main`);
    await ok(alice, ['team', 'sync']);
  }, STEP_MS);

  it('refuses a rollback also when this machine has a change to push, and pushes nothing onto the rolled-back remote', async () => {
    await ok(alice, ['team', 'sync']);
    const host = await hostClone();
    const first = (await git(host, 'rev-list', '--max-parents=0', 'HEAD')).trim();
    const current = (await git(host, 'rev-parse', 'HEAD')).trim();
    await addToken(alice, 'Added during a rollback');
    await git(host, 'push', '--quiet', '--force', 'origin', `${first}:refs/heads/main`);
    const r = await as(alice, ['team', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('rolled back or rewritten');
    expect((await git(remote, 'rev-parse', 'refs/heads/main')).trim()).toBe(first);
    expect((await reveal(alice, 'Added during a rollback')).stdout.trim() === secrets.get('Added during a rollback')).toBe(true);
    await git(host, 'push', '--quiet', '--force', 'origin', `${current}:refs/heads/main`);
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    expect((await reveal(bob, 'Added during a rollback')).stdout.trim() === secrets.get('Added during a rollback')).toBe(true);
  }, STEP_MS);

  it('refuses an older, validly signed copy of a token file put back in a new commit, and a deleted token brought back', async () => {
    const id = await addToken(alice, 'Rollback probe');
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    const host = await hostClone();
    const files = [`tokens/${id}.age`, `tokens/${id}.sig`];
    const older = await Promise.all(files.map((f) => readFile(path.join(host, f))));
    // A newer version by alice that bob verified: marking it revoke-pending needs no Webflow.
    await ok(alice, ['revoke', '--team', 'acme', id]);
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    await git(host, 'pull', '--quiet', '--no-rebase', 'origin', 'main');
    await Promise.all(files.map((f, i) => writeFile(path.join(host, f), older[i]!)));
    await git(host, 'commit', '--quiet', '-am', 'put an old version back');
    await git(host, 'push', '--quiet', 'origin', 'main');
    const r = await as(bob, ['team', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Token ${id} of team acme is an older version`);
    expect(JSON.parse((await ok(bob, ['show', '--team', 'acme', id, '--json'])).stdout).revokePendingSince).not.toBeNull();
    await git(host, 'revert', '--no-edit', 'HEAD');
    await git(host, 'push', '--quiet', 'origin', 'main');
    await ok(bob, ['team', 'sync']);

    // The host may delete a token; bringing its last file back later is a rollback too.
    await git(host, 'rm', '--quiet', ...files);
    await git(host, 'commit', '--quiet', '-m', 'drop');
    await git(host, 'push', '--quiet', 'origin', 'main');
    await ok(bob, ['team', 'sync']);
    await git(host, 'revert', '--no-edit', 'HEAD');
    await git(host, 'push', '--quiet', 'origin', 'main');
    const back = await as(bob, ['team', 'sync']);
    expect(back.code).toBe(1);
    expect(back.stderr).toContain(`Token ${id} of team acme was deleted, and an old copy of its file was put back`);
    expect((await reveal(bob, 'Rollback probe')).code).toBe(2);
    await git(host, 'rm', '--quiet', ...files);
    await git(host, 'commit', '--quiet', '-m', 'drop again');
    await git(host, 'push', '--quiet', 'origin', 'main');
    for (const m of [bob, alice, carol]) await ok(m, ['team', 'sync']);
  }, STEP_MS);

  it('two members adding 50 tokens each and syncing at once: all 100 reach all three', async () => {
    const addMany = async (m: Member, prefix: string) => {
      for (let i = 0; i < 50; i++) await addToken(m, `${prefix} ${i}`);
    };
    await Promise.all([addMany(alice, 'Alice bulk'), addMany(bob, 'Bob bulk')]);
    await Promise.all([ok(alice, ['team', 'sync']), ok(bob, ['team', 'sync'])]);
    for (const m of [alice, bob, carol]) await ok(m, ['team', 'sync']);
    for (const m of [alice, bob, carol]) {
      const labels = (JSON.parse((await ok(m, ['list', '--team', 'acme', '--json'])).stdout) as { label: string }[]).map((t) => t.label);
      expect(labels.filter((l) => /^(Alice|Bob) bulk \d+$/u.test(l))).toHaveLength(100);
    }
  }, 2 * STEP_MS);

  it('the same token changed on two machines keeps both versions until one is picked', async () => {
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    // A change that needs no Webflow: marking a Site token "revoke pending", on each side.
    const id = JSON.parse((await ok(alice, ['show', '--team', 'acme', 'Alice bulk 0', '--json'])).stdout).id as string;
    await ok(alice, ['revoke', '--team', 'acme', id]);
    await ok(bob, ['revoke', '--team', 'acme', id]);
    await ok(alice, ['team', 'sync']);
    const r = await ok(bob, ['team', 'sync']);
    expect(r.stderr).toContain(`token ${id} was changed here and by someone else`);
    expect(JSON.parse((await ok(bob, ['show', '--team', 'acme', id, '--json'])).stdout).changedBy).toBe('alice');
    const status = JSON.parse((await ok(bob, ['team', 'status', 'acme', '--json'])).stdout);
    expect(status.conflicts).toEqual([id]);
    await ok(bob, ['team', 'resolve', id, '--team', 'acme', '--keep', 'mine']);
    await ok(bob, ['team', 'sync']);
    await ok(alice, ['team', 'sync']);
    expect(JSON.parse((await ok(alice, ['show', '--team', 'acme', id, '--json'])).stdout).changedBy).toBe('bob');
  }, STEP_MS);

  it('works offline from the last synced state', async () => {
    const moved = `${remote}-away`;
    await exec('mv', [remote, moved]);
    try {
      const r = await as(bob, ['team', 'sync']);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('working from the last synced state');
      expect((await reveal(bob, 'Carol client site')).stdout.trim() === secrets.get('Carol client site')).toBe(true);
    } finally {
      await exec('mv', [moved, remote]);
    }
  }, STEP_MS);

  it('the stock age command decrypts a token file with an exported identity', async () => {
    const exported = await ok(bob, ['team', 'export-identity', '--team', 'acme']);
    expect(exported.stderr).toContain('warning:');
    const identityFile = path.join(bob.home, 'bob.agekey');
    await writeFile(identityFile, exported.stdout, { mode: 0o600 });
    const id = JSON.parse((await ok(bob, ['show', '--team', 'acme', 'Alice client site', '--json'])).stdout).id as string;
    const { stdout } = await exec('age', ['-d', '-i', identityFile, path.join(bob.vaultDir, 'teams', 'acme', 'repo', 'tokens', `${id}.age`)]);
    const record = JSON.parse(stdout);
    expect(record.token.label).toBe('Alice client site');
    expect(record.token.secret === secrets.get('Alice client site')).toBe(true);
  }, STEP_MS);

  it('CI: a machine member runs exec --team with WFVAULT_TEAM_IDENTITY_FILE and no keychain', async () => {
    const added = await ok(alice, ['team', 'add-machine', 'ci', '--team', 'acme']);
    expect(added.stderr).toContain('shown once');
    expect(added.stdout).toMatch(/^AGE-SECRET-KEY-1/mu);
    const ci = await startMember(tmp.path, 'ci', { keyring: false });
    try {
      const file = path.join(ci.home, 'ci-identity');
      await writeFile(file, added.stdout, { mode: 0o600 });
      const env = { WFVAULT_TEAM_IDENTITY_FILE: file };
      const joined = await ci.cli(['team', 'join', remote], { env });
      expect(joined.code, joined.stderr).toBe(0);
      const run = await ci.cli(['exec', '--team', 'acme', 'Bob client site', '--', 'sh', '-c', 'test "$WEBFLOW_API_TOKEN" = "$EXPECTED" && echo same'], { env: { ...env, EXPECTED: secrets.get('Bob client site')! } });
      assertNoSecret(run.stdout + run.stderr, allSecrets());
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe('same');
      // Without the identity there is nothing to read with: no keychain on this machine.
      const without = await ci.cli(['exec', '--team', 'acme', 'Bob client site', '--', 'true']);
      expect(without.code).toBe(5);
      expect(without.stderr).toContain('WFVAULT_TEAM_IDENTITY_FILE');
      // A machine member changes nothing.
      const write = await ci.cli(['add', '--team', 'acme', '--label', 'from ci', '--offline'], { env, input: secret() });
      expect(write.code).toBe(1);
      expect(write.stderr).toContain('machine member');
    } finally {
      await ci.stop();
    }
  }, STEP_MS);

  let carolIdentity = '';
  let simOld = '';

  it('removing a member re-encrypts to the rest and lists every token they could read as exposed', async () => {
    const site = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: ['site-alpha'] });
    simOld = site.token;
    secrets.set('Sim site', site.token);
    await ok(alice, ['add', '--team', 'acme', '--label', 'Sim site'], site.token);
    for (const m of [alice, bob, carol]) await ok(m, ['team', 'sync']);
    carolIdentity = path.join(carol.home, 'carol.agekey');
    await writeFile(carolIdentity, (await ok(carol, ['team', 'export-identity', '--team', 'acme'])).stdout, { mode: 0o600 });

    const r = await ok(alice, ['team', 'remove-member', 'carol', '--team', 'acme', '--json']);
    const removal = JSON.parse(r.stdout) as { exposed: { id: string; label: string | null }[] };
    const exposedLabels = removal.exposed.map((e) => e.label);
    expect(exposedLabels).toContain('Carol client site');
    expect(exposedLabels).toContain('Sim site');
    expect(exposedLabels).not.toContain('Alice and Bob only');

    // Every token file the remote holds now was written after the removal or never was carol's:
    const host = await hostClone();
    const files = (await readdir(path.join(host, 'tokens'))).filter((f) => f.endsWith('.age'));
    expect(files.length).toBeGreaterThan(100);
    let opened = 0;
    for (const f of files) {
      await exec('age', ['-d', '-i', carolIdentity, path.join(host, 'tokens', f)]).then(
        () => opened++,
        () => undefined,
      );
    }
    expect(opened).toBe(0);

    await ok(bob, ['team', 'sync']);
    const listed = JSON.parse((await ok(bob, ['list', '--team', 'acme', '--json'])).stdout) as { label: string; exposedTo: string[] }[];
    expect(listed.find((t) => t.label === 'Carol client site')!.exposedTo).toEqual(['carol']);
    expect(listed.find((t) => t.label === 'Alice and Bob only')!.exposedTo).toEqual([]);
    const table = (await ok(bob, ['list', '--team', 'acme'])).stdout;
    expect(table).toMatch(/Carol client site\s+site\s+exposed/u);
    const status = JSON.parse((await ok(bob, ['team', 'status', 'acme', '--json'])).stdout);
    expect(status.exposed.length).toBe(removal.exposed.length);
    expect(status.members.find((m: { name: string }) => m.name === 'carol').removed).toBe(true);
  }, STEP_MS);

  it('refuses a token signed by a removed member', async () => {
    // Carol's clone has not heard of her removal: she writes a token and pushes it with plain git.
    const id = await addToken(carol, 'Carol after removal');
    const repo = path.join(carol.vaultDir, 'teams', 'acme', 'repo');
    await git(repo, 'pull', '--quiet', '--no-rebase', '--no-edit', 'origin', 'main');
    await git(repo, 'push', '--quiet', 'origin', 'HEAD:main');
    const r = await as(bob, ['team', 'sync']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Token ${id} is signed by carol, who was removed from the team`);
    expect((await reveal(bob, 'Carol after removal')).code).toBe(2);
    const host = await hostClone();
    await git(host, 'rm', '--quiet', `tokens/${id}.age`, `tokens/${id}.sig`);
    await git(host, 'commit', '--quiet', '-m', 'drop');
    await git(host, 'push', '--quiet', 'origin', 'main');
    await ok(bob, ['team', 'sync']);
    await ok(alice, ['team', 'sync']);
  }, STEP_MS);

  it('rotation walks through the exposed tokens; a Site token is replaced by a matching one and the old one is revoke-pending until Webflow rejects it', async () => {
    const plan = JSON.parse((await ok(alice, ['team', 'rotate', '--team', 'acme', '--json'])).stdout) as { steps: { id: string; label: string; how: string }[] };
    const step = plan.steps.find((s) => s.label === 'Sim site')!;
    expect(step.how).toContain('wfvault team rotate');
    const wrongSite = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: ['site-beta'] });
    const fewerScopes = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: ['site-alpha'] });
    const good = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read', 'pages:read'], siteIds: ['site-alpha'] });
    for (const t of [wrongSite, fewerScopes, good]) secrets.set(`replacement ${t.id}`, t.token);
    const refusedSite = await as(alice, ['team', 'rotate', 'Sim site', '--team', 'acme'], wrongSite.token);
    expect(refusedSite.code).toBe(2);
    expect(refusedSite.stderr).toContain('it does not reach site-alpha');
    const refusedScopes = await as(alice, ['team', 'rotate', 'Sim site', '--team', 'acme'], fewerScopes.token);
    expect(refusedScopes.stderr).toContain('it lacks the scopes cms:read');
    const rotated = JSON.parse((await ok(alice, ['team', 'rotate', 'Sim site', '--team', 'acme', '--json'], good.token)).stdout) as { old: { id: string } };
    secrets.set('Sim site', good.token);
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    const listed = JSON.parse((await ok(bob, ['list', '--team', 'acme', '--json'])).stdout) as { id: string; label: string; exposedTo: string[]; revokePendingSince: string | null }[];
    expect(listed.find((t) => t.label === 'Sim site')!.exposedTo).toEqual([]);
    expect((await reveal(bob, 'Sim site')).stdout.trim() === good.token).toBe(true);
    const old = listed.find((t) => t.id === rotated.old.id)!;
    expect(old.revokePendingSince).not.toBeNull();
    expect(old.exposedTo).toEqual(['carol']);
    // Still accepted by Webflow: stays.
    const early = await as(bob, ['revoke', '--team', 'acme', '--confirm', old.id]);
    expect(early.code).toBe(1);
    sim.revokeToken(simOld);
    await ok(bob, ['revoke', '--team', 'acme', '--confirm', old.id]);
    await ok(bob, ['team', 'sync']);
    const after = JSON.parse((await ok(bob, ['list', '--team', 'acme', '--json'])).stdout) as { id: string }[];
    expect(after.some((t) => t.id === old.id)).toBe(false);
  }, STEP_MS);
});
