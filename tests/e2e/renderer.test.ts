// The window end to end: the real renderer build in Debian's Chromium, bound to the real IPC
// handlers (tests/helpers/renderer-harness.ts), a real vault in a temp folder with the OS keychain
// (the private gnome-keyring of `npm test`), and the Webflow simulator (a local fake of Webflow).
// After every step the page is scanned for stored secrets; every screen is checked with axe-core;
// the main screens are written to test-results/screenshots/ (light theme, 1280x800);
// `npm run screenshots` writes them to assets/screenshots/ instead, for the README.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { realTimers } from '../../main/services/app-ports.js';
import { installCliCommand } from '../../main/services/cli-install.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';
import { browserSuite, launchChromium } from '../helpers/browser.js';
import { CLI } from '../helpers/cli.js';
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

const describeE2E = browserSuite(describeWithKeyring);
const describeBrowser = browserSuite();

describeE2E('the window in a real browser, on the real handlers and vault', () => {
  let sim: Simulator;
  let browser: Browser;
  let dir: string;
  let vaultDir: string;
  let cliBin: string;
  let h: SessionHarness;
  let r: RendererPage;
  let page: Page;
  let docs: SimToken;
  let staging: SimToken;
  let workspace: SimToken;
  let marketingSite: { id: string; workspaceId: string };
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
    // display, not visibility: the strip takes room in the layout, and the screenshot shows the screen without it.
    const show = (v: string) => toasts.evaluate((e, value) => void ((e as unknown as { style: { display: string } }).style.display = value), v);
    await show('none');
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    await show('');
  }

  const button = (name: string | RegExp, scope: Page | Locator = page) => scope.getByRole('button', { name, exact: typeof name === 'string' });
  const row = (label: string) => page.locator('[role="row"]', { has: page.getByRole('button', { name: new RegExp(`^${label}, `) }) });
  const dialog = () => page.getByRole('dialog');
  const toast = (text: string | RegExp) => page.locator('.toast', { hasText: text });
  type Box = { x: number; y: number; width: number; height: number };
  const intersects = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  /** The sort box (its label and select) and the token count each keep their own room in the toolbar. */
  async function sortClearOfCount(where: string) {
    const count = (await page.locator('.toolbar .count').boundingBox())!;
    for (const part of ['.toolbar .sort', '#f-sort']) {
      const box = (await page.locator(part).boundingBox())!;
      expect(intersects(box, count), `${part} over the token count at ${where}`).toBe(false);
    }
  }

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
    marketingSite = marketing;
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
    // "Install the wfvault command" for real, into a temp home whose ~/.local/bin is on PATH.
    cliBin = join(dir, 'home', '.local', 'bin');
    const cliCommand = {
      install: ({ replace }: { replace: boolean }) =>
        installCliCommand({ cliScript: CLI, replace, home: join(dir, 'home'), platform: 'linux', env: { PATH: `${cliBin}:${dirname(process.execPath)}` }, extraNodeFolders: [] }),
    };
    h = createSessionHarness({ vault: makeVault(vaultDir, passphrase), webflow, now: () => new Date() }, passphrase, realTimers, { cliCommand });
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
    await ui.text(dialog().getByRole('alert'), 'Tick “Store without testing” to keep it without a check.');
    await ui.noText(dialog().getByRole('alert'), '--offline');
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

  it('shows the vault folder warnings in the window (a vault file others can read)', async () => {
    const banner = page.getByRole('status', { name: 'Vault folder warnings' });
    await ui.count(banner, 0);
    await chmod(join(vaultDir, 'vault.wfv'), 0o644);
    try {
      await page.reload();
      await ui.text(banner, /vault file .* can be read by other users/);
    } finally {
      await chmod(join(vaultDir, 'vault.wfv'), 0o600);
    }
    await page.reload();
    await ui.count(banner, 0);
    await ui.text(row('Acme Marketing'), 'Acme Marketing');
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

  it('fits the window: 9 rows at 1280x800, filters in one row, every column reachable at 900x700, details close when filtered out', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    if (await page.getByRole('button', { name: 'Close details' }).count()) await button('Close details').click();
    const first = page.locator('.tbody [role="row"]').first();
    const rowHeight = (await first.boundingBox())!.height;
    const view = (await page.locator('.table-viewport').boundingBox())!;
    const head = (await page.locator('.thead').boundingBox())!;
    expect(Math.floor((view.y + view.height - (head.y + head.height)) / rowHeight), 'rows that fit at 1280x800').toBeGreaterThanOrEqual(9);

    // Search, the four filters and the sort order share one row.
    const middles = await page.locator('.toolbar input, .toolbar select').evaluateAll((els) =>
      els.map((e) => {
        const box = (e as unknown as { getBoundingClientRect(): { top: number; height: number } }).getBoundingClientRect();
        return box.top + box.height / 2;
      }),
    );
    expect(middles).toHaveLength(6);
    expect(Math.max(...middles) - Math.min(...middles)).toBeLessThanOrEqual(4);
    await sortClearOfCount('1280x800');

    // Revoke is not the loudest button next to Copy and Test.
    await button(/^Acme Marketing, Site token/).click();
    const panel = page.getByRole('region', { name: 'Acme Marketing' });
    const background = (l: Locator) => l.evaluate((e) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
    expect(await background(button('Revoke', panel))).toBe(await background(button('Copy', panel)));

    // A toast never covers the panel's buttons.
    await button('Test', panel).click();
    await ui.visible(toast('Acme Marketing: valid.'));
    for (const b of await panel.getByRole('button').all()) {
      // Where the panel is scrolled to show it: a button below the panel's fold is clipped, not covered.
      await b.scrollIntoViewIfNeeded();
      const box = await b.boundingBox();
      const toastBox = await page.locator('.toasts').boundingBox();
      if (!box || !toastBox) continue;
      expect(intersects(box, toastBox), `toast over "${await b.textContent()}"`).toBe(false);
    }
    await button('Copy', panel).scrollIntoViewIfNeeded();
    for (const name of ['Copy', 'Test', 'Revoke', 'Remove']) await ui.reachable(button(name, panel));
    await sortClearOfCount('1280x800 with the details open');

    // 900x700 with the panel open: the table scrolls sideways, so every column can be reached.
    await page.setViewportSize({ width: 900, height: 700 });
    const pane = (await page.locator('.list-pane').boundingBox())!;
    const headers = await page.locator('.table-viewport').getByRole('columnheader').all();
    expect(headers).toHaveLength(6);
    for (const header of headers) {
      await header.scrollIntoViewIfNeeded();
      const box = (await header.boundingBox())!;
      expect(box.x >= pane.x - 0.5 && box.x + box.width <= pane.x + pane.width + 0.5, `column "${await header.textContent()}" reachable`).toBe(true);
    }
    await button('Copy Acme Marketing').click({ trial: true });
    await button('Test Acme Marketing').click({ trial: true });
    await sortClearOfCount('900x700 with the details open');
    await screen('narrow-details', false);
    await page.locator('.table-viewport').evaluate((e) => void ((e as unknown as { scrollLeft: number }).scrollLeft = 0));
    await button('Close details').click();
    await sortClearOfCount('900x700');
    await screen('narrow-list', false);
    await button(/^Acme Marketing, Site token/).click();
    await page.setViewportSize({ width: 1280, height: 800 });

    // Filtering the token out of the list closes its details.
    await page.getByLabel('Search', { exact: true }).fill('no token is called this');
    await ui.gone(panel);
    await page.getByLabel('Search', { exact: true }).fill('');
  });

  it('gives each token its site ids, site settings, exec command and reference to copy, and counts Site tokens per site', async () => {
    await page.evaluate(() => {
      const w = globalThis as unknown as { __copied: string[]; addEventListener(t: string, f: (e: { clipboardData: { getData(t: string): string } }) => void): void };
      w.__copied = [];
      w.addEventListener('copy', (e) => w.__copied.push(e.clipboardData.getData('text/plain')));
    });
    const copied = () => page.evaluate(() => (globalThis as unknown as { __copied: string[] }).__copied.at(-1));
    await button(/^Acme Marketing, Site token/).click();
    const panel = page.getByRole('region', { name: 'Acme Marketing' });
    const id = (await panel.locator('.facts code').first().textContent())!;

    await button('Copy site id of Acme Marketing', panel).click();
    await ui.visible(toast('Copied the site id of Acme Marketing.'));
    expect(await copied()).toBe(marketingSite.id);
    await ui.attribute(panel.getByRole('link', { name: 'Open site settings of Acme Marketing in Webflow' }), 'href', /^https:\/\/webflow\.com\/dashboard\/sites\/acme-marketing\/general$/);
    await ui.text(panel, '1 of 5 Site tokens for this site are in the vault (Webflow allows 5 per site).');

    await ui.text(panel.locator('.snippet').first(), `wfvault exec ${id} -- …`);
    await button('Copy the exec command', panel).click();
    expect(await copied()).toBe(`wfvault exec ${id} -- `);
    await ui.text(panel.locator('.snippet').nth(1), `wfvault://${id}`);
    await button('Copy the reference', panel).click();
    expect(await copied()).toBe(`wfvault://${id}`);
    await scan('copy helpers');
    await screen('details-use', false);
    await button('Close details').click();
  });

  it('names a Workspace token added without a label after its workspace, and its test speaks of a Workspace token', async () => {
    const unnamed = sim.addToken({ kind: 'workspace', workspaceIds: [marketingSite.workspaceId], scopes: ['workspace_activity:read'] });
    secrets.push(unnamed.token);
    await addToken(unnamed.token);
    const label = `Workspace ${marketingSite.workspaceId} (Workspace)`;
    await ui.visible(row(label.replace(/[()]/g, '\\$&')));
    await button(new RegExp(`^${label.replace(/[()]/g, '\\$&')}, Workspace token`)).click();
    const panel = page.getByRole('region', { name: label });
    await button('Test', panel).click();
    await ui.text(panel.locator('.result-box'), 'Workspace token');
    await ui.noText(panel.locator('.result-box'), 'Site token');
    await button('Remove', panel).click();
    await button('Remove from vault').click();
    await ui.count(row(label.replace(/[()]/g, '\\$&')), 0);
  });

  it('changes settings, refusing values out of range', async () => {
    await button('Settings').click();
    await screen('settings');
    // Another wfvault is there first: left alone until the person says to replace it.
    await mkdir(cliBin, { recursive: true });
    await writeFile(join(cliBin, 'wfvault'), '#!/bin/sh\necho theirs\n', { mode: 0o755 });
    await button('Install the wfvault command').click();
    await ui.text(dialog().getByRole('status'), `${join(cliBin, 'wfvault')} already exists and was not written by this app`);
    expect(spawnSync(join(cliBin, 'wfvault'), [], { encoding: 'utf8' }).stdout).toBe('theirs\n');
    await button('Replace it').click();
    await ui.text(dialog().getByRole('status'), `Installed the wfvault command as ${join(cliBin, 'wfvault')} (it runs with Node.js ${process.versions.node}); open a new terminal and run wfvault --help.`);
    expect(spawnSync(join(cliBin, 'wfvault'), ['--version'], { encoding: 'utf8' }).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/u);
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
    for (const size of [{ width: 1280, height: 800 }, { width: 900, height: 700 }]) {
      await page.setViewportSize(size);
      const badge = row('Staging site').locator('.badge', { hasText: 'Revoke pending' });
      await badge.scrollIntoViewIfNeeded();
      // The icon is an SVG, not a glyph a font may lack; the badge fits its cell, uncut.
      expect(await badge.locator('svg').count()).toBe(1);
      const fit = await badge.evaluate((b) => {
        const el = b as unknown as { scrollWidth: number; clientWidth: number; getBoundingClientRect(): { right: number }; closest(s: string): { getBoundingClientRect(): { right: number } } | null };
        const cell = el.closest('[role="cell"]')!;
        return { overflow: el.scrollWidth - el.clientWidth, pastCell: el.getBoundingClientRect().right - cell.getBoundingClientRect().right };
      });
      expect(fit.overflow, `badge text cut at ${size.width}x${size.height}`).toBeLessThanOrEqual(1);
      expect(fit.pastCell, `badge cut by its cell at ${size.width}x${size.height}`).toBeLessThanOrEqual(1);
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await button('Check now', panel).click();
    await ui.text(panel.getByRole('alert'), 'Not revoked yet');
    await ui.text(panel.getByRole('alert'), 'still accepts this token');
    await ui.text(panel.getByRole('alert'), 'press “Check now” again');
    await ui.noText(panel.getByRole('alert'), 'run this again');

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

/** A keychain whose Secret Service is gone, failing with the message the real adapter builds from the binding's D-Bus error. */
class DbusDownKeychain extends MemoryKeychain {
  override async get(account: string): Promise<string | null> {
    if (this.unavailable) {
      throw new AppError(
        'keychain_unavailable',
        'The OS keychain (Secret Service) is not available (DBus error: org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files). Start or unlock it (on Linux: a Secret Service such as gnome-keyring or KWallet) and retry, or on a machine without a keychain use a vault whose key comes from a passphrase (`wfvault init --passphrase`).',
      );
    }
    return super.get(account);
  }
}

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
    const keychain = new DbusDownKeychain();
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
      // The binding's raw D-Bus text becomes one sentence with the fix, in the window's words.
      await ui.text(problem, 'No system keychain answered: start and unlock it (on Linux a Secret Service such as GNOME Keyring, KWallet or KeePassXC), then try again.');
      await ui.text(problem, 'created with “A passphrase”');
      await ui.noText(problem, /D-?Bus|org\.freedesktop|wfvault init|--passphrase/i);
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
    // The production scrypt cost: a wrong passphrase is what this tests, and on a cheaper header it
    // would read as tampering. Each step waits for the window's answer, however long scrypt takes.
    const vault = makeVault(join(dir, 'pp'), passphrase, 'memory', 'production');
    const SCRYPT_WAIT = 60_000;
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
      await ui.visible(page.getByRole('heading', { name: 'No tokens yet' }), SCRYPT_WAIT);
      await page.getByRole('button', { name: 'Lock' }).click();
      // Not a phrase the error message itself contains: what was typed is redacted from replies.
      await page.getByLabel('Passphrase').fill('not the right one');
      await page.getByRole('button', { name: 'Unlock' }).click();
      await ui.text(problem, /Wrong passphrase/, SCRYPT_WAIT);
      await ui.value(page.getByLabel('Passphrase'), '');
      expect(await runAxe(page)).toEqual([]);
      await page.getByLabel('Passphrase').fill('correct horse battery');
      await page.getByRole('button', { name: 'Try again' }).click();
      await ui.visible(page.getByRole('heading', { name: 'No tokens yet' }), SCRYPT_WAIT);
      assertNoSecret(await page.content(), ['correct horse battery']);
      expect(r.problems).toEqual([]);
    } finally {
      await r.close();
    }
  }, 200_000);
});
