// The window end to end: the real renderer build in Debian's Chromium, bound to the real IPC
// handlers (tests/helpers/renderer-harness.ts), a real vault in a temp folder with the OS keychain
// (the private gnome-keyring of `npm test`), and the Webflow simulator (a local fake of Webflow).
// After every step the page is scanned for stored secrets; every screen is checked with axe-core;
// the main screens are written to test-results/screenshots/ (light theme, 1280x800);
// `npm run screenshots` writes them to assets/screenshots/ instead, for the README.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';
import { chromiumAvailable, launchChromium } from '../helpers/browser.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { freePort } from '../helpers/ports.js';
import { createSessionHarness, openOnSession, runAxe, type RendererPage, type SessionHarness } from '../helpers/renderer-harness.js';
import { ui } from '../helpers/ui-expect.js';
import { assertNoSecret, SENTINEL_CLIENT_SECRET, SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { makeVault } from '../helpers/test-vault.js';
import { startSimulator, type SimToken, type Simulator } from '../sim/simulator.js';

// npm test never changes tracked files: only `npm run screenshots` (scripts/screenshots.js) asks
// for the README's folder.
const SHOTS = resolve(import.meta.dirname, '../..', process.env.WFVAULT_README_SCREENSHOTS === '1' ? 'assets/screenshots' : 'test-results/screenshots');
const DAY = 86_400_000;

// CI must run these; elsewhere a missing Chromium skips them with the reason printed.
const noChromium = (name: string, body: () => void) => {
  console.warn(`skipping "${name}": /usr/bin/chromium is not installed (apt-get install chromium)`);
  describe.skip(name, body);
};
const withBrowser = chromiumAvailable() || process.env.CI;
const describeE2E = withBrowser ? describeWithKeyring : noChromium;
const describeBrowser = withBrowser ? describe : noChromium;

describeE2E('the window in a real browser, on the real handlers and vault', () => {
  let sim: Simulator;
  let browser: Browser;
  let dir: string;
  let vaultDir: string;
  let h: SessionHarness;
  let r: RendererPage;
  let page: Page;
  let docs: SimToken;
  let staging: SimToken;
  let workspace: SimToken;
  const secrets: string[] = [SENTINEL_TOKEN, SENTINEL_CLIENT_SECRET];
  const axeResults: Record<string, string[]> = {};

  /** The page never holds a stored secret: not in its markup, not in any field's value. */
  async function scan(where: string) {
    const html = await page.content();
    const values = (await page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e as { value?: string }).value ?? ''))).join('\n');
    try {
      assertNoSecret(`${html}\n${values}`, secrets);
    } catch (e) {
      throw new Error(`after "${where}": ${(e as Error).message}`);
    }
  }

  async function screen(name: string, shot = true) {
    // Let transitions and focus rings settle so the screenshot shows the resting state.
    await page.waitForTimeout(50);
    axeResults[name] = await runAxe(page);
    expect(axeResults[name], `axe on "${name}"`).toEqual([]);
    await scan(name);
    if (!shot) return;
    // Toasts from earlier steps pile up in a fast test run; the screenshot shows the screen itself.
    // (Hidden through the CSSOM: an injected <style>, as screenshot's `style` option adds, breaks the CSP.)
    const toasts = page.locator('.toasts');
    const show = (v: string) => toasts.evaluate((e, value) => void ((e as unknown as { style: { visibility: string } }).style.visibility = value), v);
    await show('hidden');
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    await show('');
  }

  const button = (name: string | RegExp, scope: Page | Locator = page) => scope.getByRole('button', { name, exact: typeof name === 'string' });
  const row = (label: string) => page.locator('[role="row"]', { has: page.getByRole('button', { name: new RegExp(`^${label}, `) }) });
  const dialog = () => page.getByRole('dialog');
  const toast = (text: string | RegExp) => page.locator('.toast', { hasText: text });

  async function addToken(secret: string, label = '') {
    await button('Add token').click();
    await page.getByLabel('Token', { exact: true }).fill(secret);
    if (label) await page.getByLabel(/^Label/).fill(label);
    await button('Test and add').click();
    await expect.poll(() => dialog().getByRole('heading').first().textContent()).toBe('Token added');
    await scan(`added ${label || 'a token'}`);
    await button('Done').click();
  }

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    sim = await startSimulator();
    const marketing = sim.addSite({ displayName: 'Acme Marketing', shortName: 'acme-marketing' });
    const docsSite = sim.addSite({ displayName: 'Acme Docs', shortName: 'acme-docs', workspaceId: marketing.workspaceId });
    const stagingSite = sim.addSite({ displayName: 'Acme Staging', shortName: 'acme-staging', workspaceId: marketing.workspaceId });
    sim.addToken({
      token: SENTINEL_TOKEN,
      kind: 'site',
      scopes: ['sites:read', 'cms:read', 'cms:write', 'pages:read', 'authorized_user:read'],
      siteIds: [marketing.id],
      createdOn: new Date(Date.now() - 200 * DAY).toISOString(),
      lastUsed: new Date(Date.now() - 2 * DAY).toISOString(),
    });
    docs = sim.addToken({ kind: 'site', scopes: ['pages:read', 'pages:write', 'forms:read', 'sites:read'], siteIds: [docsSite.id] });
    staging = sim.addToken({ kind: 'site', scopes: ['sites:read', 'assets:read', 'assets:write'], siteIds: [stagingSite.id] });
    workspace = sim.addToken({ kind: 'workspace', workspaceIds: [marketing.workspaceId], scopes: ['workspace_activity:read'] });
    secrets.push(docs.token, staging.token, workspace.token);

    dir = await mkdtemp(join(tmpdir(), 'wfv-renderer-e2e-'));
    vaultDir = join(dir, 'vault');
    const passphrase = new PassphraseBroker();
    const webflow = { ...webflowConfigFromEnv(sim.env), timeoutMs: 5000, maxRetryWaitMs: 0 };
    h = createSessionHarness({ vault: makeVault(vaultDir, passphrase), webflow, now: () => new Date() }, passphrase);
    browser = await launchChromium();
    r = await openOnSession(browser, h);
    page = r.page;
  }, 120_000);

  afterAll(async () => {
    await r?.close();
    await browser?.close();
    await h?.session.shutdown();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    // Nothing the app told the OS or logged may hold a secret either.
    if (h) assertNoSecret(JSON.stringify({ notices: h.ports.notices, opened: h.ports.opened, warnings: h.warnings }), secrets);
    console.info(`axe-core: ${Object.entries(axeResults).map(([k, v]) => `${k} ${v.length}`).join(', ')} violations`);
  });

  it('first run: explains the vault, creates it in the keychain, then shows how to add tokens', async () => {
    await ui.visible(page.getByRole('heading', { name: 'Welcome to Webflow Token Vault' }));
    await ui.visible(page.getByText(vaultDir));
    await screen('first-run');
    await button('Create vault').click();
    await ui.visible(page.getByRole('heading', { name: 'No tokens yet' }));
    await ui.visible(page.getByText('Apps & integrations → API access'));
    await ui.visible(page.getByText('wfvault exec "Acme site" -- node deploy.js'));
    await screen('empty');
  });

  it('adds a Site token: tested first, scopes and sites shown, input cleared, bad input explained', async () => {
    await button('Add a token').click();
    const secretField = page.getByLabel('Token', { exact: true });
    await ui.focused(secretField);
    await screen('add-form', false);

    await button('Test and add').click();
    await ui.text(dialog().getByRole('alert'), 'Paste the token first.');

    await secretField.fill('not a token');
    await button('Test and add').click();
    await ui.text(dialog().getByRole('alert'), 'whitespace');
    await ui.value(secretField, '');

    await secretField.fill('ab'.repeat(32));
    await button('Test and add').click();
    await ui.text(dialog().getByRole('alert'), 'Webflow rejected the token');
    await ui.text(dialog().getByRole('alert'), 'Webflow shows a new token only once');

    // Unreachable Webflow: every attempt dropped.
    sim.inject({ kind: 'drop', path: '/v2/token/introspect', count: 10 });
    await secretField.fill(docs.token);
    await button('Test and add').click();
    await ui.text(dialog().getByRole('alert'), 'Store without testing');
    sim.clearFaults();

    await secretField.fill(SENTINEL_TOKEN);
    await page.getByLabel(/^Label/).fill('Acme Marketing');
    await button('Test and add').click();
    // The field is emptied as the call leaves, before Webflow has even answered.
    await ui.value(secretField, '');
    await ui.visible(dialog().getByRole('heading', { name: 'Token added' }));
    await ui.text(dialog(), 'Acme Marketing is in the vault as a Site token');
    await ui.text(dialog().locator('.chip', { hasText: 'cms' }), 'RW');
    await ui.visible(dialog().locator('.chip', { hasText: 'authorized_user' }));
    await ui.visible(dialog().getByRole('listitem').filter({ hasText: /^Acme Marketing$/ }));
    await screen('add');

    await button('Add another').click();
    await page.getByLabel('Token', { exact: true }).fill(SENTINEL_TOKEN);
    await button('Test and add').click();
    await ui.text(dialog().getByRole('alert'), 'already in the vault');
    await scan('duplicate');
    await button('Cancel').click();

    await addToken(docs.token);
    await addToken(staging.token, 'Staging site');
    await addToken(workspace.token, 'Agency workspace');
    await ui.visible(row('Acme Docs \\(Site\\)'));
  });

  it('lists tokens with kinds, sites, scope chips, last use, health and expiry', async () => {
    const expiring = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: [sim.addSite({ displayName: 'Old Blog', shortName: 'old-blog' }).id], lastUsed: new Date(Date.now() - 350 * DAY).toISOString() });
    secrets.push(expiring.token);
    await addToken(expiring.token, 'Old blog');

    const marketing = row('Acme Marketing');
    await ui.text(marketing, 'Acme Marketing');
    await ui.text(marketing.locator('.chip', { hasText: 'cms' }), 'RW');
    await ui.text(marketing.locator('.chip', { hasText: 'pages' }), 'R');
    await ui.text(marketing, 'Webflow: 2 d ago');
    await ui.text(marketing, 'Valid');
    await ui.text(marketing, /Expires in 36\d d/);
    await ui.text(marketing, 'Rotate: 200 d old');
    await ui.attribute(marketing.locator('time').first(), 'title', /\d{4}/);
    await ui.text(row('Old blog'), 'Expiring');
    await ui.text(row('Old blog').locator('.warn'), /Expires in 1\d d/);
    await ui.text(row('Agency workspace'), 'Workspace');
    await screen('list');
  });

  it('shows every field in the details panel and saves notes, tags and label', async () => {
    await button(/^Acme Marketing, Site token/).click();
    const panel = page.getByRole('region', { name: 'Acme Marketing' });
    await ui.text(panel, 'Ada Lovelace · ada@example.com');
    await ui.text(panel, /60 requests a minute; \d+ were left/);
    await ui.text(panel, 'acme-marketing');
    await ui.text(panel.getByRole('row', { name: /cms/ }), 'Yes');
    await ui.text(panel, 'Test history');
    await ui.text(panel, 'Webflow accepted the token');
    await screen('details');

    await panel.getByLabel('Notes', { exact: true }).fill('Used by the deploy script.');
    await panel.getByLabel(/^Tags/).fill('prod, deploy');
    await button('Save', panel).click();
    await ui.visible(toast('Saved Acme Marketing.'));
    await page.getByLabel('Search', { exact: true }).fill('deploy script');
    await ui.text(page.locator('.count'), /1 of \d tokens/);
    await page.getByLabel('Search', { exact: true }).fill('');

    await panel.getByLabel('Label', { exact: true }).fill('Staging site');
    await button('Save', panel).click();
    await ui.text(panel.getByRole('alert'), 'already used');
    await panel.getByLabel('Label', { exact: true }).fill('Acme Marketing');
    await button('Save', panel).click();
    await ui.gone(panel.getByRole('alert'));
    await scan('details edited');
  });

  it('changes settings, refusing values out of range', async () => {
    await button('Settings').click();
    await screen('settings');
    const clip = page.getByLabel('Clear the clipboard after (seconds)');
    await clip.fill('3');
    await button('Save settings').click();
    await ui.text(dialog().getByRole('alert'), '5 to 600 seconds');
    await clip.fill('5');
    await page.getByLabel('Remind me to rotate tokens older than (days)').fill('365');
    await button('Save settings').click();
    await ui.gone(dialog());
    await ui.noText(row('Acme Marketing'), 'Rotate');
  });

  it('copies a token to the clipboard port, says when it clears, and it clears', async () => {
    await button('Copy Acme Marketing').click();
    await ui.visible(toast('Copied Acme Marketing. The clipboard clears in 5 seconds.'));
    expect(h.ports.clipboard.text).toBe(SENTINEL_TOKEN);
    await scan('copied');
    await expect.poll(() => h.ports.clipboard.text, { timeout: 10_000 }).toBe('');
    await ui.visible(toast('Time is up: the clipboard no longer holds Acme Marketing.'), 5_000);

    h.ports.clipboard.failNext = true;
    await button('Copy Acme Marketing').click();
    await ui.visible(page.getByRole('alert').filter({ hasText: 'Copy Acme Marketing: Something went wrong' }));
    await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).first().click();
  }, 30_000);

  it('tests a token inline: valid, then rejected once Webflow revoked it, then unreachable', async () => {
    const docsRow = row('Acme Docs \\(Site\\)');
    await button('Test Acme Docs (Site)').click();
    await ui.text(docsRow, 'Tested: valid');

    sim.revokeToken(docs.token);
    await button('Test Acme Docs (Site)').click();
    await ui.text(docsRow, 'Tested: rejected');
    await ui.text(docsRow, 'Failing');
    await button(/^Acme Docs \(Site\), Site token/).click();
    const panel = page.getByRole('region', { name: 'Acme Docs (Site)' });
    await ui.text(panel.locator('.result-box'), '401');
    await ui.text(panel.locator('.result-box'), 'revoked, expired after 365 days without use');
    await panel.getByText('What was sent').first().click();
    await ui.text(panel, 'GET /v2/token/introspect with the header Authorization: Bearer <token>');
    await scan('rejected');

    sim.inject({ kind: 'drop', path: '/v2/token/introspect', count: 10 });
    await button('Test Acme Marketing').click();
    await ui.text(row('Acme Marketing'), 'Tested: network');
    sim.clearFaults();
    await scan('unreachable');

    await button('Test all').click();
    await ui.visible(toast(/^Tested 5 tokens: /));
    await ui.text(row('Acme Marketing'), 'Tested: valid');
    await ui.text(row('Acme Docs \\(Site\\)'), 'Tested: rejected');
    await scan('test all');
  });

  it('revokes a Site token: pending with the dashboard steps, then confirmed by Check now', async () => {
    await button(/^Staging site, Site token/).click();
    const panel = page.getByRole('region', { name: 'Staging site' });
    await button('Revoke', panel).click();
    await ui.text(dialog(), 'Webflow has no API to revoke Site tokens');
    await ui.text(dialog(), 'Site settings → Apps & integrations → API access');
    await screen('revoke-confirm', false);
    await button('Open Webflow to revoke').click();

    await ui.visible(panel.getByRole('heading', { name: 'Revoke pending' }));
    expect(h.ports.opened.at(-1)).toContain('/dashboard/sites/acme-staging/general');
    await ui.text(row('Staging site'), 'Revoke pending');

    await button('Check now', panel).click();
    await ui.text(panel.getByRole('alert'), 'Not revoked yet');
    await ui.text(panel.getByRole('alert'), 'still accepts this token');

    sim.revokeToken(staging.token);
    await button('Check now', panel).click();
    await ui.visible(toast('Revoked Staging site'));
    await ui.count(row('Staging site'), 0);
    await button('Revoked (1)').click();
    await ui.text(dialog(), 'Staging site');
    await button('Close', dialog()).first().click();
    await scan('revoked site token');
  });

  it('connects with OAuth through the consent page, handles denial and cancel, and revokes that token', async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/callback`;
    sim.addApp({ name: 'Agency Tools', clientId: 'agency-client', clientSecret: SENTINEL_CLIENT_SECRET, redirectUris: [redirectUri], scopes: ['sites:read', 'cms:read', 'cms:write', 'authorized_user:read'] });

    await button('Connect with OAuth').click();
    await ui.visible(dialog().getByRole('heading', { name: 'New app profile' }));
    await page.getByLabel('Profile name').fill('Agency Tools');
    await page.getByLabel('Client id').fill('agency-client');
    await page.getByLabel('Client secret').fill(SENTINEL_CLIENT_SECRET);
    await page.getByLabel(/^Redirect URI/).fill('https://example.com/callback');
    await page.getByLabel(/^Scopes the app is configured with/).fill('sites:read, cms:read, cms:write, authorized_user:read');
    await button('Save app profile').click();
    await ui.text(dialog().getByRole('alert'), 'loopback address');
    await ui.value(page.getByLabel('Client secret'), '');
    await page.getByLabel('Client secret').fill(SENTINEL_CLIENT_SECRET);
    await page.getByLabel(/^Redirect URI/).fill(redirectUri);
    await button('Save app profile').click();

    await ui.visible(page.getByLabel('App profile'));
    await ui.checked(page.getByRole('checkbox', { name: 'sites:read' }));
    await ui.checked(page.getByRole('checkbox', { name: 'cms:write' }), false);
    await page.getByRole('checkbox', { name: 'cms:read' }).check();
    await ui.text(dialog(), '3 scopes chosen');
    await page.getByLabel(/^Label/).fill('Agency OAuth');
    await screen('oauth');

    const consent = page.context().waitForEvent('page');
    await button('Connect').click();
    await page.getByRole('link', { name: 'Open the Webflow consent page' }).click();
    const popup = await consent;
    await popup.waitForLoadState('load');
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.waitForURL(/\/callback\?/);
    await ui.text(popup.locator('body'), 'Connected');
    await popup.close();
    await ui.text(dialog(), 'Connected: Agency OAuth is in the vault.');
    await ui.text(dialog().locator('.chip', { hasText: 'cms' }), 'R');
    await scan('oauth connected');
    await button('Done').click();
    await ui.text(row('Agency OAuth'), 'OAuth');

    // Denied at the consent page: nothing stored, the reason shown.
    await button('Connect with OAuth').click();
    const denied = page.context().waitForEvent('page');
    await button('Connect').click();
    await page.getByRole('link', { name: 'Open the Webflow consent page' }).click();
    const denyPage = await denied;
    await denyPage.getByRole('button', { name: 'Deny' }).click();
    await denyPage.waitForLoadState('load');
    await denyPage.close();
    await ui.text(dialog().getByRole('alert'), 'access_denied');
    await button('Close', dialog().locator('footer')).click();

    // Cancelled while waiting.
    await button('Connect with OAuth').click();
    await button('Connect').click();
    await ui.visible(page.getByRole('link', { name: 'Open the Webflow consent page' }));
    await button('Cancel sign-in').click();
    await ui.text(dialog().getByRole('alert'), 'Sign-in cancelled');
    await button('Close', dialog().locator('footer')).click();

    await button(/^Agency OAuth, OAuth token/).click();
    const panel = page.getByRole('region', { name: 'Agency OAuth' });
    await ui.text(panel, 'Agency Tools');
    await button('Revoke', panel).click();
    await ui.text(dialog(), 'through its API, with the client id and secret');
    await button('Revoke now').click();
    await ui.visible(toast('Revoked Agency OAuth'));
    await ui.count(row('Agency OAuth'), 0);
    expect(sim.revocations.length).toBeGreaterThan(0);
    await scan('oauth revoked');
  }, 60_000);

  it('searches, filters by kind, site, scope and health, and sorts', async () => {
    const count = page.locator('.count');
    const rows = page.locator('.tbody [role="row"]');
    await page.getByLabel('Search', { exact: true }).fill('acme docs');
    await ui.text(count, /^1 of \d tokens$/);
    await page.getByLabel('Search', { exact: true }).fill('');
    await page.getByLabel('Kind', { exact: true }).selectOption('workspace');
    await ui.count(rows, 1);
    await ui.text(rows.first(), 'Agency workspace');
    await page.getByLabel('Kind', { exact: true }).selectOption('');
    await page.getByLabel('Site', { exact: true }).selectOption({ label: 'Old Blog' });
    await ui.count(rows, 1);
    await page.getByLabel('Site', { exact: true }).selectOption('');
    await page.getByLabel('Scope', { exact: true }).selectOption('cms:write');
    await ui.count(rows, 1);
    await ui.text(rows.first(), 'Acme Marketing');
    await page.getByLabel('Scope', { exact: true }).selectOption('');
    await page.getByLabel('Health', { exact: true }).selectOption('failing');
    await ui.count(rows, 1);
    await ui.text(rows.first(), 'Acme Docs');
    await page.getByLabel('Health', { exact: true }).selectOption('');
    await page.getByLabel('Sort by').selectOption('health');
    await ui.text(rows.first(), 'Acme Docs');
    await page.getByLabel('Sort by').selectOption('label');
    await ui.text(rows.last(), 'Old blog');
    await page.getByLabel('Search', { exact: true }).fill('nothing matches this');
    await ui.visible(page.getByText('No token matches these filters.'));
    await button('Clear filters').click();
    await ui.count(rows, 4);

    // The tray's "Open in window": the token comes into view even when a filter hid it.
    await page.getByLabel('Kind', { exact: true }).selectOption('workspace');
    const { tokens } = await h.session.handlers['tokens:list']({});
    r.emit('event:showToken', { id: tokens.find((t) => t.label === 'Old blog')!.id });
    await ui.visible(page.getByRole('region', { name: 'Old blog' }));
    await ui.count(rows, 4);

    // Keyboard: arrows move between rows, Enter opens the details.
    await page.locator('.row-main').first().focus();
    await page.keyboard.press('ArrowDown');
    await ui.focused(page.locator('.row-main').nth(1));
    await page.keyboard.press('Enter');
    await ui.visible(page.getByRole('region').filter({ has: page.locator('#details-title') }));
    await scan('search');
  });

  it('locks, shows the locked state, and unlocks from the keychain', async () => {
    await button('Lock').click();
    await ui.visible(page.getByRole('heading', { name: 'The vault is locked' }));
    await screen('locked');
    await button('Unlock').click();
    await ui.visible(row('Acme Marketing'));
    expect(r.problems).toEqual([]);
  });
});

describeBrowser('the window when the vault cannot be opened', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'wfv-renderer-locked-'));
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('explains a missing keychain and the way out', async () => {
    // A keychain vault whose keychain stops answering: the real Vault, its real error.
    const keychain = new MemoryKeychain();
    const passphrase = new PassphraseBroker();
    const vault = makeVault(join(dir, 'kc'), passphrase, keychain);
    await vault.init('keychain');
    await vault.lock();
    keychain.unavailable = true;
    const h = createSessionHarness({ vault, webflow: webflowConfigFromEnv({}), now: () => new Date() }, passphrase);
    const r = await openOnSession(browser, h);
    try {
      await r.page.getByRole('button', { name: 'Unlock' }).click();
      const problem = r.page.locator('.problem');
      await ui.text(problem, 'No keychain answered');
      await ui.text(problem, 'GNOME Keyring, KWallet 6 or KeePassXC');
      await ui.text(problem, 'wfvault init --passphrase');
      await ui.visible(r.page.getByRole('button', { name: 'Try again' }));
      expect(await runAxe(r.page)).toEqual([]);
      await r.page.screenshot({ path: join(SHOTS, 'keychain-missing.png') });
      expect(r.problems).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('asks for the passphrase of a passphrase vault and says when it is wrong', async () => {
    const passphrase = new PassphraseBroker();
    const vault = makeVault(join(dir, 'pp'), passphrase, 'memory');
    const h = createSessionHarness({ vault, webflow: webflowConfigFromEnv({}), now: () => new Date() }, passphrase);
    const r = await openOnSession(browser, h);
    const page = r.page;
    const problem = page.getByRole('main').getByRole('alert');
    try {
      await page.getByLabel('A passphrase').check();
      await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
      await page.getByLabel('Passphrase again').fill('correct horse batterY');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await ui.text(problem, 'The two passphrases differ');
      await page.getByLabel('Passphrase', { exact: true }).fill('correct horse battery');
      await page.getByLabel('Passphrase again').fill('correct horse battery');
      await page.getByRole('button', { name: 'Create vault' }).click();
      await ui.visible(page.getByRole('heading', { name: 'No tokens yet' }));
      await page.getByRole('button', { name: 'Lock' }).click();
      await page.getByLabel('Passphrase').fill('wrong passphrase');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await ui.text(problem, /passphrase/i);
      await ui.value(page.getByLabel('Passphrase'), '');
      expect(await runAxe(page)).toEqual([]);
      await page.getByLabel('Passphrase').fill('correct horse battery');
      await page.getByRole('button', { name: 'Try again' }).click();
      await ui.visible(page.getByRole('heading', { name: 'No tokens yet' }));
      assertNoSecret(await page.content(), ['correct horse battery']);
      expect(r.problems).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
