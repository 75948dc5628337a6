// What `list` and `show` look like to a person, and what --json failures look like to a script:
// the list fits the terminal, times are local with their age, one failed network check does not
// hide that the token worked, and with --json an error is JSON on stderr.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

describeWithKeyring('wfvault list and show output', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };
  let dir: string;
  const cli = (args: string[], input?: string, env: NodeJS.ProcessEnv = {}) =>
    runCli(args, { input, env: { ...sim.env, WFVAULT_DIR: dir, WFVAULT_MAX_RETRY_WAIT_MS: '0', WFVAULT_HTTP_TIMEOUT_MS: '2000', COLUMNS: '', ...env } });

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addSite({ id: 'site-long', displayName: 'A site with a rather long display name', shortName: 'a-site-with-a-rather-long-short-name' });
    tmp = await tempDir('wfv-output-');
    dir = join(tmp.path, 'vault');
    expect((await cli(['init'])).code).toBe(0);
    const site = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read', 'cms:write', 'forms:read', 'pages:read'], siteIds: ['site-long'] });
    const workspace = sim.addToken({ kind: 'workspace', workspaceIds: ['64f1a2b3c4d5e6f708192a3b'] });
    expect((await cli(['add', '--label', 'A label far too long to fit in any sensible list column', '--kind', 'site'], `${site.token}\n`)).code).toBe(0);
    expect((await cli(['add', '--label', 'ws', '--kind', 'workspace'], `${workspace.token}\n`)).code).toBe(0);
  });
  afterAll(async () => {
    await sim?.close();
    await tmp?.cleanup();
  });

  it('list fits the terminal width, cutting labels with …, with short workspace ids', async () => {
    const r = await cli(['list'], undefined, { COLUMNS: '80' });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+LABEL\s+KIND\s+HEALTH\s+SCOPES\s+SITES\s+EXPIRES\s+WEBFLOW LAST USE$/);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(r.stdout).toContain('A label…');
    expect(r.stdout).not.toContain('A label far too long to fit');
    // Without a width to fit (not a terminal, no COLUMNS) nothing is cut.
    const wide = await cli(['list']);
    expect(wide.stdout).toContain('A label far too long to fit in any sensible list column');
    expect(wide.stdout).toContain('workspace 64f1a2b3…');
    expect(wide.stdout).not.toContain('64f1a2b3c4d5e6f708192a3b');
  });

  it('show prints local times with their age', async () => {
    const r = await cli(['show', 'ws'], undefined, { TZ: 'Asia/Kolkata' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/added\s+\d{4}-\d\d-\d\d \d\d:\d\d \+05:30 \((just now|\d+ min ago)\)/);
    expect(r.stdout).toMatch(/last test\s+\d{4}-\d\d-\d\d \d\d:\d\d \+05:30 \(/);
    expect(r.stdout).not.toMatch(/\d\d:\d\d:\d\d\.\d{3}Z/);
  });

  it('one failed network check keeps the last known health, and says so', async () => {
    sim.inject({ kind: 'drop', path: /^\/v2\//, count: 50 });
    try {
      expect((await cli(['test', 'ws'])).code).toBe(6);
    } finally {
      sim.clearFaults();
    }
    const list = await cli(['list']);
    expect(list.stdout).toMatch(/ws\s+workspace\s+valid, last check failed: network/);
    const show = await cli(['show', 'ws']);
    expect(show.stdout).toMatch(/health\s+valid, last check failed: network/);
    // The next check that reaches Webflow clears the note.
    expect((await cli(['test', 'ws'])).code).toBe(0);
    expect((await cli(['list'])).stdout).not.toContain('last check failed');
  });

  it('with --json, errors are JSON on stderr; without it, a sentence', async () => {
    for (const args of [['show', 'no-such-token', '--json'], ['--json', 'list', '--bogus'], ['show', '--json']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBeGreaterThan(0);
      expect(r.stdout).toBe('');
      const parsed = JSON.parse(r.stderr) as { error: { code: string; message: string } };
      expect(Object.keys(parsed)).toEqual(['error']);
      expect(parsed.error).toEqual({ code: expect.stringMatching(/^[a-z_]+$/), message: expect.any(String) });
      expect(parsed.error.message.length).toBeGreaterThan(5);
    }
    const unknown = await cli(['show', 'no-such-token', '--json']);
    expect(JSON.parse(unknown.stderr).error.code).toBe('ref_not_found');
    const text = await cli(['show', 'no-such-token']);
    expect(text.stderr).toMatch(/^error: /);
    // A --json after `--` belongs to the child of exec, not to wfvault.
    const child = await cli(['exec', 'no-such-token', '--', 'node', '--json']);
    expect(child.stderr).toMatch(/^error: /);
  });
});
