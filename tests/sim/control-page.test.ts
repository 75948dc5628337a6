// The simulator's control page: a person revokes a seeded Site token in the simulated "dashboard",
// and the real `wfvault revoke --confirm` then sees Webflow reject it. The page is guarded by the
// per-run key, since any web page in a browser can POST to loopback.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { startSimulator, type Simulator } from './simulator.js';

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
  redirect: 'manual' as const,
});

describeWithKeyring('simulator control page', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    sim = await startSimulator({ seed: true });
    tmp = await tempDir();
  });
  afterAll(async () => {
    await sim.close();
    await tmp.cleanup();
  });

  it('revokes a seeded Site token only with the run key, and `revoke --confirm` then keeps a tombstone', async () => {
    const seeded = sim.seeded!;
    const secrets = [seeded.siteToken.token, seeded.workspaceToken.token, seeded.app.clientSecret];
    const env = { ...sim.env, WFVAULT_DIR: join(tmp.path, 'vault') };
    const cli = async (args: string[], input?: string) => {
      const r = await runCli(args, { input, env });
      assertNoSecret(r.stdout + r.stderr, secrets);
      return r;
    };
    const listAll = async () => JSON.parse((await cli(['list', '--json', '--all'])).stdout) as Array<Record<string, unknown>>;

    expect((await cli(['init'])).code).toBe(0);
    expect((await cli(['add', '--label', 'seeded'], `${seeded.siteToken.token}\n`)).code).toBe(0);
    expect((await cli(['revoke', 'seeded'])).code).toBe(0);

    const page = await fetch(sim.controlUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('This is the Webflow simulator, not Webflow.');
    expect(html).toContain(seeded.siteToken.id);
    assertNoSecret(html, secrets);

    // Without the key, with a wrong one, or from another page's origin: refused, nothing revoked.
    const revokeUrl = `${sim.apiUrl}/_sim/revoke`;
    expect((await fetch(`${sim.apiUrl}/_sim/`)).status).toBe(403);
    expect((await fetch(revokeUrl, form({ id: seeded.siteToken.id }))).status).toBe(403);
    expect((await fetch(revokeUrl, form({ id: seeded.siteToken.id, key: '0'.repeat(32) }))).status).toBe(403);
    const foreign = form({ id: seeded.siteToken.id, key: sim.controlKey });
    expect((await fetch(revokeUrl, { ...foreign, headers: { ...foreign.headers, Origin: 'http://evil.example' } })).status).toBe(403);
    const early = await cli(['revoke', '--confirm', 'seeded']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/still accepts/);

    const done = await fetch(revokeUrl, form({ id: seeded.siteToken.id, key: sim.controlKey }));
    expect(done.status).toBe(303);
    expect(seeded.siteToken.revoked).toBe(true);

    const confirmed = await cli(['revoke', '--confirm', 'seeded']);
    expect(confirmed.code).toBe(0);
    expect(sim.requests.some((r) => r.authId === seeded.siteToken.id && r.status === 401)).toBe(true);
    expect(await listAll()).toEqual([expect.objectContaining({ label: 'seeded', kind: 'site', revokedAt: expect.any(String) })]);
  }, 60_000);
});
