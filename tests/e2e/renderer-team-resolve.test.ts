// Picking a version of a token changed on both sides, in the window: the real renderer build in
// Debian's Chromium, against a stand-in for main that reports two conflicts in team acme. The
// stand-in checks each request and reply with the contract's schemas, as main does, and holds a
// `teams:resolve` until the test lets it go, so the window can be seen while the call runs.
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REPLIES, REQUESTS, type ApiError, type CallChannel, type ReplyOf, type RequestOf } from '../../preload/contract.js';
import { Settings } from '../../main/core/token.js';
import { browserSuite, launchChromium } from '../helpers/browser.js';
import { openRenderer, runAxe, type RendererPage } from '../helpers/renderer-harness.js';
import { publicToken } from '../helpers/tokens.js';
import { ui } from '../helpers/ui-expect.js';

const describeBrowser = browserSuite();

const TEAM = 'acme';
const FIRST = 'tok0000001';
const SECOND = 'tok0000002';
const LABELS: Record<string, string> = { [FIRST]: 'Bob client site', [SECOND]: 'Alice shared site' };
const AT = '2026-06-01T11:00:00.000Z';

/** Main's stand-in: the team's state, what the window asked for, and the next answer to a resolve. */
function fakeMain() {
  const state = {
    conflicts: [FIRST, SECOND],
    calls: [] as { channel: CallChannel; payload: unknown }[],
    /** Set: the next resolve fails with this error, as main's typed errors do. */
    failWith: null as ApiError | null,
    gate: Promise.resolve(),
    release: (): void => undefined,
  };

  const member = (name: string, fingerprint: string, me: boolean) => ({ name, email: `${name}@example.test`, fingerprint, machine: false, removed: false, me });
  const teamToken = (id: string) => ({ ...publicToken({ id, label: LABELS[id]! }), team: TEAM, exposedTo: [], only: [], changedBy: 'bob', changedAt: AT });

  const handlers: { [C in CallChannel]?: (request: RequestOf<C>) => Promise<ReplyOf<C>> } = {
    'vault:status': async () => ({ state: 'unlocked', mode: 'keychain', path: '/fake/vault.wfv' }),
    'tokens:list': async () => ({ tokens: [], tombstones: [] }),
    'settings:get': async () => ({ settings: Settings.parse({}) }),
    'oauthApps:list': async () => ({ apps: [] }),
    'teams:list': async () => ({ teams: [{ name: TEAM, tokens: [teamToken(FIRST), teamToken(SECOND)], error: null }] }),
    'teams:status': async () => ({
      team: TEAM,
      teamId: 'team0123456789',
      remote: 'git@example.test:acme/vault.git',
      me: { name: 'alice', fingerprint: 'age1alicefingerprint', admitted: true, machine: false },
      members: [member('alice', 'age1alicefingerprint', true), member('bob', 'age1bobfingerprint', false)],
      tokens: 2,
      readable: 2,
      exposed: [],
      conflicts: [...state.conflicts],
      lastSyncAt: AT,
      ahead: 0,
      behind: 0,
      lastSync: null,
      rotation: [],
      unreadable: [],
    }),
    'teams:resolve': async ({ team, id, keep }) => {
      await state.gate;
      if (state.failWith) throw state.failWith;
      state.conflicts = state.conflicts.filter((c) => c !== id);
      const label = LABELS[id] ?? null;
      return {
        id,
        label,
        keep,
        message: keep === 'theirs' ? `Kept the version of ${label} from team ${team}; the one made here is dropped.` : `Kept your version of ${label}; every member gets it at their next sync.`,
        sync: { team, at: AT, state: 'synced', pulled: false, pushed: keep === 'mine', message: 'Up to date.', conflicts: [...state.conflicts] },
      };
    },
  };

  const call = async (channel: CallChannel, payload: unknown): Promise<unknown> => {
    state.calls.push({ channel, payload });
    const request = REQUESTS[channel].safeParse(payload);
    if (!request.success) return { ok: false, error: { code: 'usage', message: `The stand-in refused a malformed ${channel} request.` } };
    const handler = handlers[channel] as ((r: unknown) => Promise<unknown>) | undefined;
    if (!handler) return { ok: false, error: { code: 'failed', message: 'Not available in this stand-in.' } };
    try {
      return { ok: true, value: REPLIES[channel].parse(await handler(request.data)) };
    } catch (e) {
      return { ok: false, error: e as ApiError };
    }
  };

  /** The next resolve waits until `release` is called. */
  const hold = () => {
    state.gate = new Promise<void>((resolve) => (state.release = resolve));
  };
  const sent = (channel: CallChannel) => state.calls.filter((c) => c.channel === channel).map((c) => c.payload);
  return { state, call, hold, sent };
}

describeBrowser('resolving a token changed on both sides in the team view', () => {
  const main = fakeMain();
  let browser: Browser;
  let r: RendererPage;
  let page: Page;

  const panel = () => page.getByRole('region', { name: `Team ${TEAM}` });
  const conflictRow = (id: string) => panel().getByRole('list', { name: 'Changed on both sides' }).getByRole('listitem').filter({ hasText: id });
  const keepMine = (id: string, scope: Locator = panel()) => scope.getByRole('button', { name: `Keep mine, this machine’s version of token ${id}`, exact: true });
  const keepTheirs = (id: string, scope: Locator = panel()) => scope.getByRole('button', { name: `Keep theirs, the other member’s version of token ${id}`, exact: true });
  const disabled = (l: Locator, on: boolean) => expect.poll(() => l.isDisabled()).toBe(on);
  /** A row while its pick runs (busy, both buttons off), or after it (neither). */
  async function rowBusy(id: string, busy: boolean) {
    await ui.attribute(conflictRow(id), 'aria-busy', busy ? /^true$/ : /^false$/);
    await disabled(keepMine(id), busy);
    await disabled(keepTheirs(id), busy);
  }

  beforeAll(async () => {
    browser = await launchChromium();
    r = await openRenderer(browser, { call: main.call });
    page = r.page;
    // A missing button fails the test in seconds instead of at the test's own timeout.
    page.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    main.state.release();
    await r?.close();
    await browser?.close();
  });

  it('shows both choices for each conflict, with the command as secondary text, and passes axe', async () => {
    await page.getByRole('button', { name: 'Teams', exact: true }).click();
    await ui.visible(panel());
    for (const id of [FIRST, SECOND]) {
      await ui.visible(keepMine(id, conflictRow(id)));
      await ui.visible(keepTheirs(id, conflictRow(id)));
      await ui.text(conflictRow(id), `wfvault team resolve ${id} --team ${TEAM} --keep mine|theirs`);
    }
    expect(await runAxe(page), 'axe, light').toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await runAxe(page), 'axe, dark').toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('Keep theirs sends exactly the team, the id and the side, holds the row while it runs, then refreshes and says what happened', async () => {
    const statusCalls = main.sent('teams:status').length;
    const listCalls = main.sent('teams:list').length;
    main.hold();
    await keepTheirs(FIRST).click();

    const row = conflictRow(FIRST);
    await rowBusy(FIRST, true);
    // Only the row being resolved waits.
    await disabled(keepMine(SECOND), false);
    await disabled(keepTheirs(SECOND), false);
    await ui.text(panel().getByRole('status'), `Keeping the other member’s version of token ${FIRST}…`);

    main.state.release();
    await ui.count(row, 0);
    await ui.text(panel().getByRole('status'), 'Kept the version of Bob client site from team acme; the one made here is dropped.');
    expect(main.sent('teams:resolve')).toStrictEqual([{ team: TEAM, id: FIRST, keep: 'theirs' }]);
    expect(main.sent('teams:status').length).toBeGreaterThan(statusCalls);
    // The token list hears of it too, as after a sync.
    expect(main.sent('teams:list').length).toBeGreaterThan(listCalls);
    // The focus went with the row; it lands on the row that took its place.
    await ui.focused(keepMine(SECOND));
    expect(await panel().getByRole('alert').count()).toBe(0);
  });

  it('shows the typed error of a failed resolve where the panel shows errors, and gives the buttons back', async () => {
    const message = `This machine’s version of token ${SECOND} is incomplete in the conflicts folder; keep theirs instead.`;
    main.state.failWith = { code: 'not_found', message };
    main.hold();
    await keepMine(SECOND).click();

    const row = conflictRow(SECOND);
    await rowBusy(SECOND, true);

    main.state.release();
    await ui.text(panel().getByRole('alert'), message);
    await rowBusy(SECOND, false);
    expect(main.sent('teams:resolve').at(-1)).toStrictEqual({ team: TEAM, id: SECOND, keep: 'mine' });
    await ui.noText(panel().getByRole('status'), 'Keeping');
    await ui.focused(keepMine(SECOND));
    expect(await runAxe(page), 'axe, with the error').toEqual([]);

    // The next try starts clean and, this time, goes through.
    main.state.failWith = null;
    await keepTheirs(SECOND).click();
    await ui.count(row, 0);
    await ui.count(panel().getByRole('alert'), 0);
    await ui.count(panel().getByRole('heading', { name: 'Changed on both sides' }), 0);
    await ui.focused(panel().getByRole('button', { name: 'Sync now', exact: true }));
    expect(r.problems).toEqual([]);
  });
});
