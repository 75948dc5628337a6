// Team vaults in the window, end to end: the real renderer build in Debian's Chromium on the real
// IPC handlers, a team made through the real services with a bare git remote in a temp folder, and
// two members, each with their own keychain: the window's user (alice, in the suite's private
// gnome-keyring) and bob, who runs the real CLI in his own home with his own keyring. The Webflow
// simulator stands in for Webflow. After every step the page is scanned for stored secrets; the
// team view is checked with axe in the light and the dark theme.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import type { TrayUi } from '../../main/services/app-tray-actions.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { addApp } from '../../main/services/oauth-apps.js';
import { loginWithApp } from '../../main/services/oauth-login.js';
import { addTeamToken, moveToTeam, openTeam, teamContext, teamStoredToken } from '../../main/services/team.js';
import { addToken } from '../../main/services/tokens.js';
import type { TrayItem } from '../../main/core/tray-menu.js';
import { addMachine, admitMember, createTeam, parseJoinRequest, removeMember } from '../../main/team/membership.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';
import { browserSuite, launchChromium } from '../helpers/browser.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { cannotMount, mountReadOnly, umount } from '../helpers/mounts.js';
import { startMember, type Member } from '../helpers/member-keyring.js';
import { createSessionHarness, openOnSession, runAxe, type RendererPage, type SessionHarness } from '../helpers/renderer-harness.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { makeVault } from '../helpers/test-vault.js';
import { ui } from '../helpers/ui-expect.js';
import { freePort } from '../helpers/ports.js';
import { consent } from '../sim/drive-consent.js';
import { startSimulator, type SimToken, type Simulator } from '../sim/simulator.js';

const exec = promisify(execFile);
const SHOTS = resolve(import.meta.dirname, '../..', process.env.WFVAULT_README_SCREENSHOTS === '1' ? 'assets/screenshots' : 'test-results/screenshots');
// Each step runs git, age and real keyrings (and bob's CLI); a loaded machine needs minutes.
const STEP_MS = 300_000;

const describeE2E = browserSuite(describeWithKeyring);
const noMount = cannotMount();

describeE2E('team vaults in the window (real git remote, two members with their own keyrings)', () => {
  let sim: Simulator;
  let browser: Browser;
  let dir: string;
  let remote: string;
  let bob: Member;
  let deps: ServiceDeps;
  let h: SessionHarness;
  let r: RendererPage;
  let page: Page;
  let bobSite: SimToken;
  let bobReplacement: SimToken;
  let wrongReplacement: SimToken;
  let aliceShared: SimToken;
  let personal: SimToken;
  const secrets: string[] = [];
  const axeResults: Record<string, string[]> = {};

  async function scan(where: string) {
    const html = await page.content();
    const values = (await page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e as { value?: string }).value ?? ''))).join('\n');
    try {
      assertNoSecret(`${html}\n${values}`, secrets);
    } catch (e) {
      throw new Error(`after "${where}": ${(e as Error).message}`);
    }
  }

  async function axe(name: string) {
    axeResults[name] = await runAxe(page);
    expect(axeResults[name], `axe on "${name}"`).toEqual([]);
  }

  const button = (name: string | RegExp, scope: Page | Locator = page) => scope.getByRole('button', { name, exact: typeof name === 'string' });
  const row = (label: string) => page.locator('[role="row"]', { has: page.getByRole('button', { name: new RegExp(`^${label}, `) }) });
  const teamPanel = () => page.getByRole('region', { name: 'Team acme' });
  let oauthSecret = '';

  /** What a person does in the browser: press Authorize on the consent page, and come back. */
  async function authorize(url: string) {
    const answer = await consent(url, 'allow');
    if (answer.location) await (await fetch(answer.location)).arrayBuffer();
  }

  async function bobCli(args: string[], input?: string) {
    const res = await bob.cli(args, { input });
    assertNoSecret(res.stdout + res.stderr, secrets.filter((s) => s !== input));
    expect(res.code, `bob: wfvault ${args.join(' ')}\n${res.stderr}`).toBe(0);
    return res;
  }

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    sim = await startSimulator();
    const alpha = sim.addSite({ displayName: 'Alpha Co', shortName: 'alpha-co' });
    const beta = sim.addSite({ displayName: 'Beta Co', shortName: 'beta-co', workspaceId: alpha.workspaceId });
    const scopes = ['sites:read', 'cms:read', 'cms:write'];
    bobSite = sim.addToken({ kind: 'site', scopes, siteIds: [alpha.id] });
    bobReplacement = sim.addToken({ kind: 'site', scopes: [...scopes, 'pages:read'], siteIds: [alpha.id] });
    wrongReplacement = sim.addToken({ kind: 'site', scopes, siteIds: [beta.id] });
    aliceShared = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: [beta.id] });
    personal = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: [beta.id] });
    secrets.push(bobSite.token, bobReplacement.token, wrongReplacement.token, aliceShared.token, personal.token);

    dir = await mkdtemp(join(tmpdir(), 'wfv-team-e2e-'));
    remote = join(dir, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    bob = await startMember(dir, 'bob');
    Object.assign(bob.env, sim.env);

    // alice: the window's user, with her vault and team keys in the suite's keychain.
    const passphrase = new PassphraseBroker();
    const webflow = { ...webflowConfigFromEnv(sim.env), timeoutMs: 5000, maxRetryWaitMs: 0 };
    deps = { vault: makeVault(join(dir, 'alice-vault'), passphrase), webflow, now: () => new Date() };
    await deps.vault.init('keychain');
    await addToken(deps, { secret: personal.token, label: 'Personal site' });
    await createTeam(teamContext(deps), { name: 'acme', remote, me: { name: 'alice', email: 'alice@example.test' } });

    // bob joins, alice admits him after comparing fingerprints, bob shares a token and syncs.
    const request = (await bobCli(['team', 'join', remote])).stdout.trim();
    await admitMember(await openTeam(deps, 'acme'), parseJoinRequest(request));
    await bobCli(['team', 'sync']);
    // A machine member for CI: its identity is a secret like any token.
    secrets.push((await addMachine(await openTeam(deps, 'acme'), 'ci')).identityFile.match(/AGE-SECRET-KEY-[0-9A-Z]+/u)![0]);
    await bobCli(['add', '--team', 'acme', '--label', 'Bob client site'], bobSite.token);
    await bobCli(['team', 'sync']);
    // alice's own team token, not synced yet: it is in her clone only.
    await addTeamToken(deps, 'acme', { label: 'Alice shared site', secret: aliceShared.token });

    h = createSessionHarness(deps, passphrase);
    await h.session.start();
    browser = await launchChromium();
    r = await openOnSession(browser, h);
    page = r.page;
  }, STEP_MS);

  afterAll(async () => {
    await r?.close();
    await browser?.close();
    await h?.session.shutdown();
    await bob?.stop();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    if (h) assertNoSecret(JSON.stringify({ notices: h.ports.notices, opened: h.ports.opened, warnings: h.warnings }), secrets);
    console.info(`axe-core: ${Object.entries(axeResults).map(([k, v]) => `${k} ${v.length}`).join(', ')} violations`);
  }, STEP_MS);

  it('lists team tokens with the team name next to personal ones, with a filter by vault', async () => {
    await ui.visible(row('Personal site'));
    await ui.visible(row('Alice shared site'));
    await ui.text(row('Alice shared site').locator('.team-badge'), 'Team acme');
    expect(await row('Personal site').locator('.team-badge').count()).toBe(0);
    // bob's token is on the remote only: not here before a sync.
    expect(await row('Bob client site').count()).toBe(0);

    const vaultFilter = page.getByLabel('Vault', { exact: true });
    await vaultFilter.selectOption({ label: 'Team acme' });
    await ui.count(row('Personal site'), 0);
    await ui.visible(row('Alice shared site'));
    await vaultFilter.selectOption({ label: 'Personal only' });
    await ui.count(row('Alice shared site'), 0);
    await ui.visible(row('Personal site'));
    await vaultFilter.selectOption({ label: 'Personal and team' });
    await scan('list with a team token');
  }, STEP_MS);

  it('shows the team: members with fingerprints, sync state, and Sync now brings in the other member’s token', async () => {
    await button('Teams').click();
    const panel = teamPanel();
    await ui.visible(panel);
    const members = panel.getByRole('table', { name: 'Members of team acme' });
    await ui.text(members, 'alice (you)');
    await ui.text(members, 'bob');
    await ui.text(members, 'bob@example.test');
    await ui.text(members.getByRole('row', { name: /^ci/ }), 'Machine (CI)');
    const status = await h.session.handlers['teams:status']({ team: 'acme' });
    for (const m of status.members) await ui.text(members.getByRole('row', { name: new RegExp(`^${m.name}`) }), m.fingerprint);
    await ui.text(panel, 'commit');
    await ui.text(panel, 'not pushed yet');
    await ui.text(panel, 'wfvault team add-member REQUEST --team acme');
    await axe('team-light');

    await button('Sync now', panel).click();
    await ui.text(panel.getByRole('status'), 'Pulled the team’s changes and pushed yours.');
    await ui.text(panel, 'None waiting: everything made here is pushed');
    await ui.noText(panel, 'Never synced');

    // An unreachable remote: the window keeps working from the last synced state and says why.
    await rename(remote, `${remote}.away`);
    await button('Sync now', panel).click();
    await ui.text(panel.getByRole('status'), 'The remote cannot be reached');
    await ui.text(panel.getByRole('definition').filter({ hasText: 'working from the last synced state' }), 'The remote cannot be reached');
    await rename(`${remote}.away`, remote);
    await button('Sync now', panel).click();
    await ui.text(panel.getByRole('status'), 'Up to date.');
    await ui.noText(panel, 'Last error');

    await button('Back to tokens').click();
    await ui.visible(row('Bob client site'));
    await ui.text(row('Bob client site').locator('.team-badge'), 'Team acme');
    await scan('after sync');
  }, STEP_MS);

  it('copies, tests and shows details of a team token through the same calls, without its secret in the window', async () => {
    await button('Copy Bob client site, team acme').click();
    await ui.visible(page.locator('.toast', { hasText: 'Copied Bob client site' }));
    expect(h.ports.clipboard.text).toBe(bobSite.token);

    await button('Test Bob client site, team acme').click();
    await ui.text(row('Bob client site'), 'Tested: valid');
    // On a read-only disk the answer still shows, and the window says it was not kept, as the CLI does.
    if (noMount) console.warn(`renderer-team: the read-only disk case is skipped, ${noMount}`);
    else {
      const teamDir = join(dir, 'alice-vault', 'teams', 'acme');
      expect(mountReadOnly(teamDir)).toBe(true);
      const notKept = page.locator('.toast', { hasText: 'The result was not kept on this machine' });
      try {
        await button('Test Bob client site, team acme').click();
        await ui.text(notKept, 'Bob client site: valid.');
        await ui.text(notKept, join(teamDir, 'health.lock'));
      } finally {
        umount(teamDir);
      }
      await button('Dismiss', notKept).click();
      await ui.gone(notKept);
    }

    await button(/^Bob client site, Site token, team acme/).click();
    const details = page.getByRole('region', { name: 'Bob client site' });
    await ui.text(details, 'Team acme');
    await ui.text(details, 'Every member');
    await ui.text(details, 'wfvault exec --team acme');
    expect(await details.getByRole('button', { name: 'Remove' }).count()).toBe(0);
    await button('Revoke', details).click();
    await ui.text(page.getByRole('dialog'), 'This is a token of team acme: once Webflow rejects it, it leaves the team for every member');
    await button('Cancel', page.getByRole('dialog')).click();
    await scan('team token details');
    await button('Close details').click();
  }, STEP_MS);

  it('the tray lists team tokens with their team, and copies, tests and opens one as it does a personal token', async () => {
    const tray = await h.session.trayModel();
    assertNoSecret(JSON.stringify(tray), secrets);
    expect(tray.tooltip).toBe('Webflow Token Vault: 3 tokens');
    const subs = tray.items.filter((i): i is Extract<TrayItem, { kind: 'submenu' }> => i.kind === 'submenu');
    expect(subs.map((s) => s.label.split(' — ')[0])).toEqual(['Bob client site · acme', 'Alice shared site · acme', 'Personal site']);
    const bobs = subs[0]!;
    expect(bobs.items[0]).toEqual({ kind: 'info', label: 'Team acme' });
    const action = (label: string) => bobs.items.find((i): i is Extract<TrayItem, { kind: 'action' }> => i.kind === 'action' && i.label === label)!.action;
    // What main.ts does for "Open in window": show the window and send it the token.
    const trayUi: TrayUi = { showWindow: () => undefined, showToken: (ref) => r.emit('event:showToken', ref), confirm: async () => false, quit: () => undefined };

    await h.ports.clipboard.clear();
    await h.session.trayAction(action('Copy'), trayUi);
    expect(h.ports.clipboard.text).toBe(bobSite.token);
    expect(h.ports.notices.at(-1)?.title).toBe('Copied Bob client site');
    await h.session.trayAction(action('Test'), trayUi);
    expect(h.ports.notices.at(-1)?.title).toBe('Bob client site: valid');

    // Shown even when a filter hides it, and as the team's token, not a personal one of that id.
    await page.getByLabel('Vault', { exact: true }).selectOption({ label: 'Personal only' });
    await ui.count(row('Bob client site'), 0);
    await h.session.trayAction(action('Open in window'), trayUi);
    const details = page.getByRole('region', { name: 'Bob client site' });
    await ui.text(details, 'Team acme');
    await ui.visible(row('Personal site'));
    await button('Close details').click();
    await scan('tray actions on a team token');
  }, STEP_MS);

  it('Test all tests the team tokens in the list too, and keeps their results on this machine only', async () => {
    const head = async () => (await exec('git', ['rev-parse', 'HEAD'], { cwd: join(dir, 'alice-vault', 'teams', 'acme', 'repo') })).stdout.trim();
    const before = await head();
    expect(await row('Alice shared site').getByText('Tested: valid').count()).toBe(0);
    await button('Test all').click();
    await ui.text(page.locator('.toast', { hasText: 'Tested 3 tokens' }), 'Tested 3 tokens: 3 valid.');
    for (const label of ['Personal site', 'Alice shared site', 'Bob client site']) await ui.text(row(label), 'Tested: valid');
    const listed = (await h.session.handlers['teams:list']({})).teams.find((t) => t.name === 'acme')!.tokens;
    expect(listed.find((t) => t.label === 'Alice shared site')!.lastTest?.ok).toBe(true);
    expect(await head()).toBe(before);
    await scan('after Test all');
  }, STEP_MS);

  it('after a member is removed, flags what they could read and walks through rotating it against the simulator', async () => {
    // An OAuth token connected through alice's own app profile, moved into the team while bob can read it.
    const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
    const clientSecret = 'c'.repeat(24) + Date.now().toString(16);
    secrets.push(clientSecret);
    sim.addApp({ name: 'Team App', clientId: 'team-app', clientSecret, redirectUris: [redirectUri], scopes: ['sites:read'] });
    await addApp(deps, { name: 'Team App', clientId: 'team-app', clientSecret, redirectUri, scopes: ['sites:read'] });
    await loginWithApp(deps, { app: 'Team App', label: 'Team OAuth', openBrowser: authorize });
    await moveToTeam(deps, 'Team OAuth', 'acme');
    oauthSecret = (await teamStoredToken(deps, 'acme', 'Team OAuth')).token.record.token.secret;
    secrets.push(oauthSecret);

    // Removing members stays in the terminal; the services are what `wfvault team remove-member` runs.
    const removal = await removeMember(await openTeam(deps, 'acme'), 'bob');
    expect(removal.exposed.map((e) => e.label).sort()).toEqual(['Alice shared site', 'Bob client site', 'Team OAuth']);

    await button('Teams').click();
    const panel = teamPanel();
    await button('Sync now', panel).click();
    await ui.text(panel.getByRole('status'), /Up to date|Pulled|Pushed/);
    await ui.text(panel.getByRole('table', { name: 'Members of team acme' }).getByRole('row', { name: /^bob/ }), 'Removed');
    const step = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Bob client site/ }) });
    await ui.text(step, 'Exposed');
    await ui.text(step, 'readable by bob');
    await ui.text(step, 'Alpha Co');
    await ui.text(step, 'cms:read, cms:write, sites:read');
    await axe('team-exposed-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await axe('team-exposed-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    // The screen itself, without the toasts of earlier steps (hidden through the CSSOM: the CSP refuses an injected style).
    const toasts = page.locator('.toasts');
    await toasts.evaluate((e) => void ((e as unknown as { style: { display: string } }).style.display = 'none'));
    await page.screenshot({ path: join(SHOTS, 'team.png') });
    await toasts.evaluate((e) => void ((e as unknown as { style: { display: string } }).style.display = ''));
    await scan('team view with exposed tokens');

    await button('Back to tokens').click();
    await ui.text(row('Bob client site'), 'Exposed');
    await ui.text(row('Alice shared site'), 'Exposed');
    // The tray flags them too, until they are rotated.
    const trayLabels = (await h.session.trayModel()).items.flatMap((i) => (i.kind === 'submenu' ? [i.label] : []));
    expect(trayLabels.filter((l) => l.includes(' — exposed · ')).map((l) => l.split(' — ')[0]).sort()).toEqual(['Alice shared site · acme', 'Bob client site · acme', 'Team OAuth · acme']);
    await button(/^Bob client site, Site token, team acme, exposed/).click();
    await ui.text(page.getByRole('note', { name: 'Exposed token' }), 'bob could read this token');
    await button('Rotate it in the team view').click();

    // A replacement for another site is refused, and nothing changes.
    const field = teamPanel().getByLabel('New token for Bob client site');
    await field.fill(wrongReplacement.token);
    await button('Test and replace', step).click();
    await ui.value(field, '');
    await ui.text(step.getByRole('alert'), 'does not match Bob client site');
    await ui.text(step.getByRole('alert'), 'does not reach');
    await scan('refused replacement');

    await field.fill(bobReplacement.token);
    await button('Test and replace', step).click();
    await ui.value(field, '');
    const rotations = panel.getByRole('status', { name: 'Rotations in team acme' });
    await ui.text(rotations, 'Replaced: Bob client site now holds the new token');
    await ui.text(rotations, 'revoke pending');
    await scan('rotated');

    await button('Back to tokens').click();
    await ui.noText(row('Bob client site'), 'Exposed');
    const old = page.locator('[role="row"]', { has: page.getByRole('button', { name: /^Bob client site \(replaced .*\), Site token, team acme/ }) });
    await ui.text(old, 'Revoke pending');
    await button('Copy Bob client site, team acme').click();
    await expect.poll(() => h.ports.clipboard.text).toBe(bobReplacement.token);

    // The old secret leaves the team once Webflow rejects it.
    await old.getByRole('button', { name: /^Bob client site \(replaced/ }).click();
    const details = page.getByRole('region', { name: /^Bob client site \(replaced/ });
    sim.revokeToken(bobSite.token);
    await button('Check now', details).click();
    await ui.visible(page.locator('.toast', { hasText: 'it left team acme' }));
    await ui.count(old, 0);
    await scan('old token revoked');
  }, STEP_MS);

  it('rotates an exposed OAuth token: revoked through the API, then a new login through the same app', async () => {
    // A toast that stays up: a copy's countdown lasts as long as the clipboard keeps the token.
    await button('Copy Alice shared site, team acme').click();
    const copied = page.locator('.toast', { hasText: 'Copied Alice shared site' });
    await ui.visible(copied);
    await button(/^Teams \(\d exposed\)$/).click();
    const panel = teamPanel();
    const step = panel.getByRole('listitem').filter({ has: page.getByRole('heading', { name: /Team OAuth/ }) });
    await ui.text(step, 'revokes it through Webflow’s API');
    const revocations = sim.revocations.length;
    // With the toast still up, the button takes a real mouse click: toasts never lie over buttons.
    const rotate = button('Revoke and reconnect Team OAuth', step);
    await rotate.scrollIntoViewIfNeeded();
    await ui.visible(copied);
    await ui.reachable(rotate);
    await rotate.click();
    // The simulator's consent page is not Webflow's, so the window shows the link instead of opening it.
    const link = step.getByRole('link', { name: /oauth\/authorize/ });
    await ui.visible(link);
    expect(h.ports.opened.some((u) => u.includes('/oauth/authorize'))).toBe(false);
    await authorize((await link.getAttribute('href'))!);
    await ui.text(panel.getByRole('status', { name: 'Rotations in team acme' }), 'Rotated Team OAuth: the exposed token is revoked');
    expect(sim.revocations.length).toBe(revocations + 1);

    const rotated = (await teamStoredToken(deps, 'acme', 'Team OAuth')).token.record.token.secret;
    expect(rotated).not.toBe(oauthSecret);
    secrets.push(rotated);
    await scan('oauth rotated');
    await button('Back to tokens').click();
    await ui.noText(row('Team OAuth'), 'Exposed');
    await ui.text(row('Alice shared site'), 'Exposed');
    await scan('list after the rotations');
  }, STEP_MS);
});
