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
  });

  afterAll(async () => {
    await Promise.all([alice, bob, carol].filter(Boolean).map((m) => m.stop()));
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
});
