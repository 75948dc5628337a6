// `wfvault login` end to end: the CLI's loopback listener, Debian's Chromium clicking through the
// simulator's consent page (a fake Webflow), the code exchange, and the token in the vault.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { browserSuite, launchChromium } from '../helpers/browser.js';
import { runCli, startCli, tempDir, type CliResult } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { freePort, portIsFree } from '../helpers/ports.js';
import { assertNoSecret, SENTINEL_CLIENT_SECRET } from '../helpers/sentinel.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const describeE2E = browserSuite(describeWithKeyring);

describeE2E('wfvault login through a real browser', () => {
  let sim: Simulator;
  let browser: Browser;
  let tmp: { path: string; cleanup: () => Promise<void> };
  let port: number;
  let redirectUri: string;
  let env: NodeJS.ProcessEnv;
  const seen: string[] = [];

  const watch = (r: CliResult) => {
    seen.push(r.stdout, r.stderr);
    assertNoSecret(r.stderr + r.stdout, [SENTINEL_CLIENT_SECRET]);
    return r;
  };
  const cli = async (args: string[], input?: string) => watch(await runCli(args, { env, input }));

  async function authorizeIn(page: Page, url: string, button: 'Authorize' | 'Deny') {
    await page.goto(url);
    await page.getByRole('button', { name: button }).click();
    await page.waitForLoadState('load');
  }

  async function waitForUrl(login: ReturnType<typeof startCli>): Promise<string> {
    let text = '';
    login.child.stderr.on('data', (d: Buffer | string) => (text += d.toString()));
    for (let i = 0; i < 100 && !/^https?:\/\/\S+\/oauth\/authorize\S*$/m.test(text); i++) await new Promise((r) => setTimeout(r, 50));
    const match = /^(https?:\/\/\S+\/oauth\/authorize\S*)$/m.exec(text);
    if (!match) throw new Error('login printed no authorize URL on stderr');
    return match[1]!;
  }

  /** A whole successful login: the CLI waits, the browser authorizes, the token is stored. */
  async function connect(label: string) {
    const login = startCli(['login', '--app', 'agency', '--no-browser', '--label', label], { env });
    const page = await browser.newPage();
    await authorizeIn(page, await login.firstLine, 'Authorize');
    await page.close();
    expect(watch(await login.done).code).toBe(0);
  }

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addSite({ id: 'site-o', displayName: 'OAuth Site', shortName: 'oauth-site' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });
  beforeEach(async (ctx) => {
    tmp = await tempDir();
    port = await freePort();
    redirectUri = `http://localhost:${port}/callback`;
    sim.addApp({ name: `Agency Tools ${port}`, clientId: `client-${port}`, clientSecret: SENTINEL_CLIENT_SECRET, redirectUris: [redirectUri], scopes: ['sites:read', 'cms:read', 'authorized_user:read'] });
    env = { ...sim.env, WFVAULT_DIR: join(tmp.path, 'vault') };
    expect((await cli(['init'])).code).toBe(0);
    const added = await cli(['app', 'add', '--name', 'agency', '--client-id', `client-${port}`, '--redirect-uri', redirectUri, '--scopes', 'sites:read,cms:read'], `${SENTINEL_CLIENT_SECRET}\n`);
    expect(added.code).toBe(0);
    ctx.onTestFinished(() => tmp.cleanup());
  });

  it('stores an oauth token with exactly the consented scopes, which then tests valid', async () => {
    const login = startCli(['login', '--app', 'agency', '--no-browser', '--scopes', 'sites:read,authorized_user:read', '--label', 'agency-oauth'], { env });
    const url = await login.firstLine;
    expect(url).toMatch(/\/oauth\/authorize\?/);
    expect(new URL(url).searchParams.get('scope')).toBe('authorized_user:read sites:read');
    const page = await browser.newPage();
    await page.goto(url);
    await expect(page.content()).resolves.toContain(`Agency Tools ${port}`);
    await page.getByRole('button', { name: 'Authorize' }).click();
    await page.waitForURL(/\/callback\?/);
    const callbackUrl = new URL(page.url());
    const code = callbackUrl.searchParams.get('code')!;
    const html = await page.content();
    expect(html).toContain('Connected');
    expect(html).not.toContain(code);
    await page.close();
    const result = watch(await login.done);
    expect(result.code).toBe(0);
    expect(result.stderr + result.stdout).not.toContain(code);

    const [token] = JSON.parse((await cli(['list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(token).toMatchObject({ label: 'agency-oauth', kind: 'oauth', scopes: ['authorized_user:read', 'sites:read'], siteIds: ['site-o'], oauthAppId: expect.any(String) });
    expect(token!.authorizedUser).toEqual(expect.objectContaining({ email: expect.any(String) }));
    expect((await cli(['test', 'agency-oauth'])).code).toBe(0);
    expect(await portIsFree(port)).toBe(true);

    // The access token itself: `reveal` is the one command that prints it; nothing else did,
    // neither the CLI nor the page the browser was shown.
    const revealed = await runCli(['reveal', 'agency-oauth'], { env });
    const accessToken = revealed.stdout.trim();
    expect(accessToken.length).toBeGreaterThan(20);
    assertNoSecret(seen.join('\n') + html, [accessToken, code]);

    // The same code a second time is refused by Webflow with invalid_grant.
    const again = startCli(['login', '--app', 'agency', '--no-browser', '--label', 'replay'], { env });
    const state = new URL(await again.firstLine).searchParams.get('state');
    const replay = await browser.newPage();
    await replay.goto(`${redirectUri}?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state!)}`);
    await replay.close();
    const replayed = watch(await again.done);
    expect(replayed.code).toBe(1);
    expect(replayed.stderr).toMatch(/invalid_grant|already used/);
  });

  it('reports a denial clearly and stores nothing', async () => {
    const login = startCli(['login', '--app', 'agency', '--no-browser'], { env });
    const page = await browser.newPage();
    await authorizeIn(page, await login.firstLine, 'Deny');
    expect(await page.content()).toContain('Not connected');
    await page.close();
    const result = watch(await login.done);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('access_denied');
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
  });

  it('refuses a callback with a tampered state, keeps waiting, and releases the port on cancel', async () => {
    const login = startCli(['login', '--app', 'agency', '--no-browser'], { env });
    await login.firstLine;
    // The running login holds the client secret; its command line must not.
    const argv = await readFile(`/proc/${login.child.pid}/cmdline`, 'utf8');
    assertNoSecret(argv, [SENTINEL_CLIENT_SECRET]);
    const page = await browser.newPage();
    const response = await page.goto(`${redirectUri}?code=stolen&state=tampered`);
    expect(response?.status()).toBe(400);
    expect(await page.content()).toContain('refused');
    const favicon = await page.goto(`http://localhost:${port}/favicon.ico`);
    expect(favicon?.status()).toBe(404);
    await page.close();
    expect(await portIsFree(port)).toBe(false);
    login.child.kill('SIGINT');
    const result = watch(await login.done);
    expect(result.code).toBe(130);
    expect(await portIsFree(port)).toBe(true);
  });

  it('opens the browser without the authorize URL on any command line, and names the connected account', async () => {
    // A stand-in for the system browser: it records what it was started with, and stays up until
    // the test is done so its command line can be read too (released, or its folder removed, so
    // that a loaded machine's slow poll cannot leave it running after the test).
    const record = join(tmp.path, 'browser-args');
    const release = join(tmp.path, 'browser-release');
    const fakeBrowser = join(tmp.path, 'fake-browser');
    await writeFile(fakeBrowser, `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.part" && mv "${record}.part" "${record}"\nwhile [ ! -e "${release}" ] && [ -d "${tmp.path}" ]; do sleep 0.1; done\n`, { mode: 0o755 });
    const login = startCli(['login', '--app', 'agency', '--scopes', 'sites:read,authorized_user:read', '--label', 'no-argv'], { env: { ...env, BROWSER: fakeBrowser } });
    try {
      const state = new URL(await login.firstLine).searchParams.get('state')!;
      expect(state.length).toBeGreaterThan(20);
      await expect.poll(() => existsSync(record), { timeout: 20_000, interval: 50 }).toBe(true);

      // Every process's command line, while the login waits and the browser runs.
      const lines: string[] = [];
      for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
        const argv = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
        if (argv) lines.push(argv.replace(/\0/g, ' '));
      }
      expect(lines.some((l) => l.includes('fake-browser'))).toBe(true);
      expect(lines.filter((l) => l.includes(state) || (l.includes('fake-browser') && l.includes('state=')))).toEqual([]);

      const opened = (await readFile(record, 'utf8')).trim();
      expect(opened).toMatch(/^file:\/\/.*\.html$/);
      const file = new URL(opened).pathname;
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(join(file, '..'))).mode & 0o777).toBe(0o700);
      expect(await readFile(file, 'utf8')).toContain(`state=${state}`);

      // The page redirects to Webflow's consent page, as a browser opening the file would see.
      const page = await browser.newPage();
      await page.goto(opened);
      await page.getByRole('button', { name: 'Authorize' }).click();
      await page.waitForURL(/\/callback\?/);
      await page.close();
      const result = watch(await login.done);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/Connected as Ada Lovelace <ada@example\.com>; workspace [0-9a-f]{24}; site OAuth Site\./);
      // The redirect page and its folder are gone once the login is over.
      expect(existsSync(file)).toBe(false);
      expect(existsSync(join(file, '..'))).toBe(false);
    } finally {
      await writeFile(release, '');
      if (login.child.exitCode === null) login.child.kill('SIGKILL');
    }
  });

  it('gives up after --timeout and releases the port', async () => {
    const result = watch(await runCli(['login', '--app', 'agency', '--no-browser', '--timeout', '1'], { env }));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/within 1 s/);
    expect(await portIsFree(port)).toBe(true);
  });

  it('reports a busy port before any browser is opened', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const result = watch(await runCli(['login', '--app', 'agency'], { env: { ...env, BROWSER: '/bin/false-browser-must-not-run' } }));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Port ${port} is already in use`);
      expect(result.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it('shows that a redirect URI the app did not register is refused by Webflow', async () => {
    const other = await freePort();
    expect((await cli(['app', 'add', '--name', 'misconfigured', '--client-id', `client-${port}`, '--redirect-uri', `http://127.0.0.1:${other}/cb`], `${SENTINEL_CLIENT_SECRET}\n`)).code).toBe(0);
    const login = startCli(['login', '--app', 'misconfigured', '--no-browser', '--scopes', 'sites:read'], { env });
    const page = await browser.newPage();
    const response = await page.goto(await login.firstLine);
    expect(response?.status()).toBe(400);
    expect((await page.content()).toLowerCase()).toContain('redirect');
    await page.close();
    login.child.kill('SIGINT');
    expect(watch(await login.done).code).toBe(130);
  });

  it('keeps a freshly issued token even when Webflow cannot check it right away', async () => {
    const login = startCli(['login', '--app', 'agency', '--no-browser', '--label', 'unchecked', '--json'], { env });
    // With --json the URL goes to stderr, leaving stdout to the JSON record.
    const url = await waitForUrl(login);
    const page = await browser.newPage();
    sim.inject({ path: '/v2/token/introspect', kind: 'status500', count: 20 });
    await authorizeIn(page, url, 'Authorize');
    expect(await page.content()).toContain('Connected');
    await page.close();
    sim.clearFaults();
    const result = watch(await login.done);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ label: 'unchecked', kind: 'oauth', notes: expect.stringContaining('Stored without a check') });
    expect((await cli(['test', 'unchecked'])).code).toBe(0);
  });

  it('revokes an OAuth token in one step, verified by a 401, leaving a tombstone', async () => {
    await connect('to-revoke');
    const before = sim.revocations.length;
    const revoked = await cli(['revoke', 'to-revoke']);
    expect(revoked.code).toBe(0);
    expect(sim.revocations.length).toBe(before + 1);
    expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual([]);
    expect(JSON.parse((await cli(['list', '--all', '--json'])).stdout)).toEqual([expect.objectContaining({ label: 'to-revoke', kind: 'oauth', revokedAt: expect.any(String) })]);
  });

  it('keeps the token and says so when Webflow answers yes to a revoke but the token still works', async () => {
    await connect('stubborn');
    sim.options.revokeIsNoop = true;
    try {
      const revoked = await cli(['revoke', 'stubborn']);
      expect(revoked.code).toBe(1);
      expect(revoked.stderr).toMatch(/still works/);
      expect(JSON.parse((await cli(['list', '--json'])).stdout)).toEqual([expect.objectContaining({ label: 'stubborn' })]);
    } finally {
      sim.options.revokeIsNoop = false;
    }
  });

  afterAll(() => {
    // Every byte the CLI printed during these tests, scanned once more for the client secret.
    assertNoSecret(seen.join('\n'), [SENTINEL_CLIENT_SECRET]);
  });
});
