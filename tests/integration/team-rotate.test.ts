// Team tokens against the Webflow simulator: `test --team` keeps its results on the testing
// machine (no commit), exposure after a removal is flagged wherever a token is used, and the
// rotation of an exposed OAuth token (revoked by API, replaced through the loopback login) and of
// a Site token (a pasted replacement that must match) run end to end.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { cannotMount, mountReadOnly, umount } from '../helpers/mounts.js';
import { startMember, type Member } from '../helpers/member-keyring.js';
import { freePort } from '../helpers/ports.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { consent } from '../sim/drive-consent.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const exec = promisify(execFile);
const STEP_MS = 300_000;
const noMount = cannotMount();
if (noMount) console.warn(`team-rotate: the read-only disk case is skipped, ${noMount}`);

interface Listed {
  id: string;
  label: string;
  kind: string;
  exposedTo: string[];
  revokePendingSince: string | null;
  lastTest: { at: string; ok: boolean; httpStatus: number | null } | null;
}

describeWithKeyring('team tokens against the simulator: test, exposure, rotation', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let remote: string;
  let alice: Member;
  let bob: Member;
  let carol: Member;
  let sim: Simulator;
  const secrets = new Map<string, string>();
  const all = () => [...secrets.values()];

  async function as(m: Member, args: string[], input?: string, env?: NodeJS.ProcessEnv) {
    const r = await m.cli(args, { input, env });
    assertNoSecret(r.stdout + r.stderr, all().filter((s) => s !== input));
    return r;
  }

  async function ok(m: Member, args: string[], input?: string) {
    const r = await as(m, args, input);
    expect(r.code, `${m.name}: wfvault ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  }

  async function listed(m: Member): Promise<Listed[]> {
    return JSON.parse((await ok(m, ['list', '--team', 'acme', '--json'])).stdout) as Listed[];
  }

  async function reveal(m: Member, ref: string): Promise<string> {
    const r = await m.cli(['reveal', '--team', 'acme', ref]);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout.trim();
  }

  async function headOf(m: Member): Promise<string> {
    return (await exec('git', ['rev-parse', 'HEAD'], { cwd: path.join(m.vaultDir, 'teams', 'acme', 'repo') })).stdout.trim();
  }

  async function syncAll(): Promise<void> {
    for (const m of [alice, bob, carol, alice, bob]) await ok(m, ['team', 'sync']);
  }

  /** Introspects a token at the simulator the way Webflow would answer a client. */
  async function simStatus(token: string): Promise<number> {
    const res = await fetch(`${sim.apiUrl}/v2/token/introspect`, { headers: { Authorization: `Bearer ${token}` } });
    await res.arrayBuffer();
    return res.status;
  }

  /** A login in progress (login or team rotate): authorizes at the consent page and lets the browser land on the loopback callback. */
  async function authorize(args: string[], m: Member) {
    const running = startCli(args, { env: { ...m.env }, timeoutMs: 120_000 });
    const url = (await running.firstLine).trim();
    expect(url).toMatch(/\/oauth\/authorize\?/u);
    const decided = await consent(url, 'allow');
    expect(decided.location, 'the consent page sends the browser back').not.toBeNull();
    const landed = await fetch(decided.location!);
    await landed.arrayBuffer();
    const r = await running.done;
    assertNoSecret(r.stdout + r.stderr, all());
    expect(r.code, r.stderr).toBe(0);
    return r;
  }

  beforeAll(async () => {
    tmp = await tempDir('wfvault-team-rotate-');
    remote = path.join(tmp.path, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    [alice, bob, carol] = (await Promise.all(['alice', 'bob', 'carol'].map((n) => startMember(tmp.path, n)))) as [Member, Member, Member];
    sim = await startSimulator();
    sim.addSite({ id: 'site-alpha', displayName: 'Alpha Co', shortName: 'alpha-co' });
    sim.addSite({ id: 'site-beta', displayName: 'Beta Co', shortName: 'beta-co' });
    for (const m of [alice, bob, carol]) Object.assign(m.env, sim.env);
    await ok(alice, ['init']);
    await ok(alice, ['team', 'create', 'acme', '--remote', remote]);
    for (const m of [bob, carol]) {
      const request = (await ok(m, ['team', 'join', remote])).stdout.trim();
      const fp = JSON.parse((await ok(m, ['team', 'status', 'acme', '--json'])).stdout).me.fingerprint as string;
      await ok(alice, ['team', 'add-member', request, '--fingerprint', fp]);
      await ok(m, ['team', 'sync']);
    }
  }, STEP_MS);

  afterAll(async () => {
    await Promise.all([alice, bob, carol].filter(Boolean).map((m) => m.stop()));
    await sim?.close();
    await tmp?.cleanup();
  }, STEP_MS);

  let oauthOld = '';
  let siteOld = '';

  it('test --team tests team tokens at Webflow and keeps the results on this machine, without a commit', async () => {
    const site = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: ['site-alpha'] });
    const probe = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: ['site-beta'] });
    siteOld = site.token;
    secrets.set('Sim site', site.token);
    secrets.set('Probe', probe.token);
    await ok(alice, ['add', '--team', 'acme', '--label', 'Sim site'], site.token);
    await ok(alice, ['add', '--team', 'acme', '--label', 'Probe', '--offline'], probe.token);
    await syncAll();
    const added = (await listed(bob)).find((t) => t.label === 'Probe')!;
    expect(added.lastTest).toBeNull();

    const before = await headOf(bob);
    const tested = await ok(bob, ['test', '--team', 'acme', '--json']);
    const results = JSON.parse(tested.stdout) as { label: string; ok: boolean; team: string; status: string }[];
    expect(results.map((r) => r.label).sort()).toEqual(['Probe', 'Sim site']);
    expect(results.every((r) => r.ok && r.team === 'acme')).toBe(true);
    const afterTest = (await listed(bob)).find((t) => t.label === 'Probe')!;
    expect(afterTest.lastTest?.ok).toBe(true);
    expect(await headOf(bob)).toBe(before);
    expect(JSON.parse((await ok(bob, ['team', 'status', 'acme', '--json'])).stdout).unpushed).toBe(false);
    // Another machine keeps its own view: alice never tested the probe.
    expect((await listed(alice)).find((t) => t.label === 'Probe')!.lastTest).toBeNull();

    // A REF tests one token; a rejected one exits 3 and shows as rejected here, and exec warns of it.
    sim.revokeToken(probe.token);
    const rejected = await as(bob, ['test', '--team', 'acme', 'Probe']);
    expect(rejected.code).toBe(3);
    expect(rejected.stdout).toMatch(/rejected\s+\S+\s+Probe/u);
    expect((await listed(bob)).find((t) => t.label === 'Probe')!.lastTest).toMatchObject({ ok: false, httpStatus: 401 });
    const used = await as(bob, ['exec', '--team', 'acme', 'Probe', '--', 'true']);
    expect(used.code).toBe(0);
    expect(used.stderr).toContain('Webflow rejected "Probe"');
    const strict = await as(bob, ['exec', '--team', 'acme', '--strict', 'Probe', '--', 'true']);
    expect(strict.code).toBe(3);
    expect(await headOf(bob)).toBe(before);
    // Unknown REFs in a team say so, as for personal tokens.
    const unknown = await as(bob, ['test', '--team', 'acme', 'no-such-token']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('team acme');
  }, STEP_MS);

  it.runIf(noMount === null)('test --team on a read-only disk still answers, and warns that the results were not kept', async () => {
    const teamDir = path.join(carol.vaultDir, 'teams', 'acme');
    const before = (await listed(carol)).find((t) => t.label === 'Sim site')!.lastTest;
    expect(mountReadOnly(teamDir)).toBe(true);
    try {
      const r = await as(carol, ['test', '--team', 'acme', 'Sim site']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/valid\s+\S+\s+Sim site/u);
      expect(r.stderr).toContain('the results were not kept on this machine');
      expect(r.stderr).toContain(path.join(teamDir, 'health.lock'));
      const json = await as(carol, ['test', '--team', 'acme', 'Sim site', '--json']);
      expect(json.code, json.stderr).toBe(0);
      expect((JSON.parse(json.stdout) as { label: string; ok: boolean }[]).map((t) => [t.label, t.ok])).toEqual([['Sim site', true]]);
    } finally {
      umount(teamDir);
    }
    expect((await listed(carol)).find((t) => t.label === 'Sim site')!.lastTest).toEqual(before);
  }, STEP_MS);

  it('an OAuth token connected through login moves into the team', async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/callback`;
    const clientSecret = randomBytes(32).toString('hex');
    secrets.set('client secret', clientSecret);
    sim.addApp({ name: 'Agency Tools', clientId: 'agency-client', clientSecret, redirectUris: [redirectUri], scopes: ['sites:read', 'cms:read'], siteIds: ['site-alpha'] });
    await ok(alice, ['app', 'add', '--name', 'agency', '--client-id', 'agency-client', '--redirect-uri', redirectUri, '--scopes', 'sites:read,cms:read'], `${clientSecret}\n`);
    await authorize(['login', '--app', 'agency', '--no-browser', '--label', 'Team OAuth'], alice);
    const personal = await alice.cli(['reveal', 'Team OAuth']);
    oauthOld = personal.stdout.trim();
    secrets.set('Team OAuth', oauthOld);
    expect(await simStatus(oauthOld)).toBe(200);
    await ok(alice, ['move', 'Team OAuth', '--team', 'acme']);
    await syncAll();
    expect((await reveal(bob, 'Team OAuth')) === oauthOld).toBe(true);
  }, STEP_MS);

  it('after a removal, list, status, exec and run flag every exposed token', async () => {
    await ok(alice, ['team', 'remove-member', 'carol', '--team', 'acme']);
    await ok(bob, ['team', 'sync']);
    const table = (await ok(bob, ['list', '--team', 'acme'])).stdout;
    expect(table).toMatch(/Team OAuth\s+oauth\s+exposed/u);
    expect(table).toMatch(/Sim site\s+site\s+exposed/u);

    const status = await as(alice, ['status', '--json']);
    expect(status.code).toBe(1);
    const report = JSON.parse(status.stdout) as { teams: { team: string; exposed: { label: string; exposedTo: string[] }[] }[] };
    const acme = report.teams.find((t) => t.team === 'acme')!;
    expect(acme.exposed.map((e) => e.label).sort()).toEqual(['Probe', 'Sim site', 'Team OAuth']);
    expect(acme.exposed.every((e) => e.exposedTo.join() === 'carol')).toBe(true);
    const human = await as(alice, ['status']);
    expect(human.stdout).toMatch(/Team acme\n(?:.*\n)*?.*Sim site \(\w+\): exposed: carol could read it/u);

    const used = await as(bob, ['exec', '--team', 'acme', 'Sim site', '--', 'true']);
    expect(used.code).toBe(0);
    expect(used.stderr).toContain('"Sim site"');
    expect(used.stderr).toContain('is exposed: carol could read it');
    const envFile = path.join(bob.home, '.env');
    await writeFile(envFile, 'WEBFLOW_API_TOKEN=wfvault://Team%20OAuth\n');
    const ran = await as(bob, ['run', '--team', 'acme', '-f', envFile, '--', 'true']);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stderr).toContain('"Team OAuth"');
    expect(ran.stderr).toContain('is exposed');
  }, STEP_MS);

  it('rotating an exposed OAuth token revokes it at Webflow and replaces it through the loopback login', async () => {
    const plan = JSON.parse((await ok(alice, ['team', 'rotate', '--team', 'acme', '--json'])).stdout) as { steps: { label: string; how: string }[] };
    expect(plan.steps.find((s) => s.label === 'Team OAuth')!.how).toContain('revokes it through the API');
    const idBefore = (await listed(alice)).find((t) => t.label === 'Team OAuth')!.id;
    const revocationsBefore = sim.revocations.length;
    const r = await authorize(['team', 'rotate', 'Team OAuth', '--team', 'acme', '--no-browser'], alice);
    expect(r.stderr).toContain('the old token is revoked and the new one is stored');
    expect(sim.revocations.length).toBe(revocationsBefore + 1);
    expect(await simStatus(oauthOld)).toBe(401);
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    const now = (await listed(bob)).find((t) => t.label === 'Team OAuth')!;
    expect(now.id).toBe(idBefore);
    expect(now.exposedTo).toEqual([]);
    const fresh = await reveal(bob, 'Team OAuth');
    secrets.set('Team OAuth new', fresh);
    expect(fresh === oauthOld).toBe(false);
    expect(await simStatus(fresh)).toBe(200);
    const after = JSON.parse((await ok(alice, ['team', 'rotate', '--team', 'acme', '--json'])).stdout) as { steps: { label: string }[] };
    expect(after.steps.map((s) => s.label)).not.toContain('Team OAuth');
  }, STEP_MS);

  it('a Site token replacement that lacks a site or a scope is refused and changes nothing; a matching one leaves the old revoke-pending until Webflow answers 401', async () => {
    const headBefore = await headOf(alice);
    const wrongSite = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: ['site-beta'] });
    const fewerScopes = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: ['site-alpha'] });
    const good = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read', 'pages:read'], siteIds: ['site-alpha'] });
    for (const t of [wrongSite, fewerScopes, good]) secrets.set(`replacement ${t.id}`, t.token);
    const refusedSite = await as(alice, ['team', 'rotate', 'Sim site', '--team', 'acme'], wrongSite.token);
    expect(refusedSite.code).toBe(2);
    expect(refusedSite.stderr).toContain('The replacement does not match Sim site: it does not reach site-alpha; it also reaches site-beta');
    const refusedScopes = await as(alice, ['team', 'rotate', 'Sim site', '--team', 'acme'], fewerScopes.token);
    expect(refusedScopes.code).toBe(2);
    expect(refusedScopes.stderr).toContain('it lacks the scopes cms:read');
    expect(await headOf(alice)).toBe(headBefore);
    expect((await listed(alice)).find((t) => t.label === 'Sim site')!.exposedTo).toEqual(['carol']);
    expect((await reveal(alice, 'Sim site')) === siteOld).toBe(true);

    const rotated = JSON.parse((await ok(alice, ['team', 'rotate', 'Sim site', '--team', 'acme', '--json'], good.token)).stdout) as { old: { id: string; plan: { url: string } } };
    await ok(alice, ['team', 'sync']);
    await ok(bob, ['team', 'sync']);
    const tokens = await listed(bob);
    expect(tokens.find((t) => t.label === 'Sim site')!.exposedTo).toEqual([]);
    expect((await reveal(bob, 'Sim site')) === good.token).toBe(true);
    const old = tokens.find((t) => t.id === rotated.old.id)!;
    expect(old.revokePendingSince).not.toBeNull();
    expect((await reveal(bob, rotated.old.id)) === siteOld).toBe(true);
    const early = await as(bob, ['revoke', '--team', 'acme', '--confirm', old.id]);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('Webflow still accepts this token');
    expect((await listed(bob)).some((t) => t.id === old.id)).toBe(true);
    sim.revokeToken(siteOld);
    await ok(bob, ['revoke', '--team', 'acme', '--confirm', old.id]);
    await ok(bob, ['team', 'sync']);
    await ok(alice, ['team', 'sync']);
    expect((await listed(alice)).some((t) => t.id === old.id)).toBe(false);
  }, STEP_MS);
});
