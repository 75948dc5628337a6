// `npm run dev:web`: the loopback bridge that serves the real window to a normal browser. Checks
// its guards (Host, one-time link, cookie, Origin, JSON, contract validation), then drives the
// window in Chromium through it against a real vault and the Webflow simulator (a local fake),
// events included, and finally starts the script itself as a person would.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';
import { startWebBridge, type WebBridge } from '../../scripts/web-bridge/server.js';
import { browserSuite, launchChromium } from '../helpers/browser.js';
import { createSessionHarness, type SessionHarness } from '../helpers/renderer-harness.js';
import { assertNoSecret, SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { makeVault } from '../helpers/test-vault.js';
import { ui } from '../helpers/ui-expect.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const describeBrowser = browserSuite();

/** A raw request, so the test can send the headers a browser never would. */
async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const { request: send } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolvePromise, reject) => {
    const req = send(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('the dev:web bridge guards', () => {
  let bridge: WebBridge;
  const calls: string[] = [];

  beforeAll(async () => {
    bridge = await startWebBridge({
      call: async (channel) => {
        calls.push(channel);
        return { ok: true, value: { state: 'uninitialized', mode: null, path: '/x/vault.wfv' } };
      },
    });
  });
  afterAll(() => bridge?.close());

  it('listens on loopback only, refuses other Host headers, and hands out a cookie once', async () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const link = new URL(bridge.url);
    expect(link.searchParams.get('k')).toMatch(/^[\w-]{40,}$/);

    expect((await request(bridge.url, { headers: { Host: 'attacker.example' } })).status).toBe(421);
    expect((await request(`${bridge.origin}/?k=guess`)).status).toBe(403);
    expect((await request(`${bridge.origin}/index.html`)).status).toBe(403);

    const first = await request(bridge.url);
    expect(first.status).toBe(303);
    // The page key travels in the fragment, which a browser never sends to any server.
    expect(first.headers.location).toMatch(/^\/#k=[\w-]{40,}$/);
    const pageKey = String(first.headers.location).slice('/#k='.length);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(';')[0]!;

    // The link is spent: another browser (no cookie) cannot use it again.
    expect((await request(bridge.url)).status).toBe(403);
    expect((await request(bridge.url, { headers: { Cookie: cookie } })).status).toBe(303);

    const page = await request(`${bridge.origin}/`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="./bridge.js"></script>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
    expect((await request(`${bridge.origin}/bridge.js`, { headers: { Cookie: cookie } })).body).toContain('wfvault');

    const api = `${bridge.origin}/api/vault:status`;
    const json = { 'Content-Type': 'application/json', Cookie: cookie, 'X-Wfvault-Page-Key': pageKey };
    expect((await request(api, { method: 'POST', headers: json, body: '{}' })).status).toBe(403);
    expect((await request(api, { method: 'POST', headers: { ...json, Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await request(api, { method: 'POST', headers: { ...json, Origin: bridge.origin, 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await request(api, { method: 'POST', headers: { ...json, Origin: bridge.origin, 'Sec-Fetch-Site': 'cross-site' }, body: '{}' })).status).toBe(403);
    expect((await request(`${bridge.origin}/api/vault:nope`, { method: 'POST', headers: { ...json, Origin: bridge.origin }, body: '{}' })).status).toBe(404);
    expect(calls).toEqual([]);
    // The cookie replayed by another client, with everything a browser would send but the page key.
    const replay = { 'Content-Type': 'application/json', Cookie: cookie, Origin: bridge.origin, 'Sec-Fetch-Site': 'same-origin' };
    expect((await request(api, { method: 'POST', headers: replay, body: '{}' })).status).toBe(401);
    expect((await request(api, { method: 'POST', headers: { ...replay, 'X-Wfvault-Page-Key': `${pageKey.slice(1)}x` }, body: '{}' })).status).toBe(401);
    expect((await request(`${bridge.origin}/events`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect((await request(`${bridge.origin}/events?k=guess`, { headers: { Cookie: cookie } })).status).toBe(401);
    expect(calls).toEqual([]);
    const ok = await request(api, { method: 'POST', headers: { ...json, Origin: bridge.origin }, body: '{}' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ ok: true, value: { state: 'uninitialized' } });
    expect(calls).toEqual(['vault:status']);
  });
});

describeBrowser('the window through the dev:web bridge', () => {
  let sim: Simulator;
  let browser: Browser;
  let dir: string;
  let h: SessionHarness;
  let bridge: WebBridge;

  beforeAll(async () => {
    sim = await startSimulator();
    const site = sim.addSite({ displayName: 'Bridge Site', shortName: 'bridge-site' });
    sim.addToken({ token: SENTINEL_TOKEN, kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: [site.id] });
    dir = await mkdtemp(join(tmpdir(), 'wfv-dev-web-'));
    const passphrase = new PassphraseBroker();
    h = createSessionHarness({ vault: makeVault(dir, passphrase, 'memory'), webflow: webflowConfigFromEnv(sim.env), now: () => new Date() }, passphrase);
    bridge = await startWebBridge({ call: (c, p) => h.session.call(c, p) });
    h.events.target = { emit: bridge.emit };
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await bridge?.close();
    await h?.session.shutdown();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the real window over HTTP and server-sent events, never showing the secret', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    try {
      await page.goto(bridge.url);
      expect(new URL(page.url()).search).toBe('');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await page.getByRole('button', { name: 'Add a token' }).click();
      await page.getByLabel('Token', { exact: true }).fill(SENTINEL_TOKEN);
      await page.getByRole('button', { name: 'Test and add' }).click();
      await ui.text(page.getByRole('dialog'), 'is in the vault as a Site token');
      await page.getByRole('button', { name: 'Done' }).click();
      await ui.visible(page.getByRole('button', { name: /^Bridge Site \(Site\), Site token/ }));

      // A change made elsewhere (the tray, the CLI) reaches the window as an event.
      const { tokens } = await h.session.handlers['tokens:list']({});
      await h.session.handlers['tokens:update']({ id: tokens[0]!.id, label: 'Renamed elsewhere' });
      await ui.visible(page.getByRole('button', { name: /^Renamed elsewhere, Site token/ }));

      await page.getByRole('button', { name: 'Copy Renamed elsewhere' }).click();
      await ui.visible(page.locator('.toast', { hasText: 'clipboard clears in 30 seconds' }));
      expect(h.ports.clipboard.text).toBe(SENTINEL_TOKEN);
      assertNoSecret(await page.content());
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('npm run dev:web', () => {
  it('prints a one-time link on loopback, serves the window there, and cleans up on Ctrl-C', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-web.ts'], { cwd: root, env: { ...process.env, WFVAULT_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/\?k=\S+/.test(out), { timeout: 60_000, interval: 200 }).toBe(true);
      const link = /http:\/\/127\.0\.0\.1:\d+\/\?k=\S+/.exec(out)![0];
      const folder = /Vault folder: (\S+) \(temporary/.exec(out)?.[1];
      expect(folder).toBeTruthy();
      expect(out).toContain('SIMULATOR');

      const first = await request(link);
      expect(first.status).toBe(303);
      const cookie = String(first.headers['set-cookie']).split(';')[0]!;
      const page = await request(new URL('/', link).href, { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(page.body).toContain('Webflow Token Vault');

      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(existsSync(folder!)).toBe(false);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
