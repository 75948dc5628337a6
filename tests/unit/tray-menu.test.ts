// The tray menu model: built from public records only, for every vault state and health.
import { describe, expect, it } from 'vitest';
import { formatAge } from '../../main/core/age.js';
import { expiryNotices } from '../../main/core/expiry-notices.js';
import { summarizeResults } from '../../main/core/test-summary.js';
import { buildTrayMenu, MAX_LABEL, MAX_TRAY_TOKENS, type TrayItem } from '../../main/core/tray-menu.js';
import { lastTest, NOW, publicToken } from '../helpers/tokens.js';

const labels = (items: TrayItem[]) => items.map((i) => (i.kind === 'separator' ? '---' : i.label));
const actions = (items: TrayItem[]) => items.flatMap((i) => (i.kind === 'action' ? [i.action.type] : []));
const submenus = (items: TrayItem[]) => items.filter((i): i is Extract<TrayItem, { kind: 'submenu' }> => i.kind === 'submenu');

describe('tray menu model', () => {
  it('offers only unlock (or set-up) and quit while the vault is closed', () => {
    const locked = buildTrayMenu({ vault: 'locked', tokens: [publicToken()], now: NOW });
    expect(locked.icon).toBe('locked');
    expect(labels(locked.items)).toEqual(['Vault locked', '---', 'Unlock…', '---', 'Quit']);
    expect(JSON.stringify(locked)).not.toContain('Acme');

    const none = buildTrayMenu({ vault: 'uninitialized', tokens: [], now: NOW });
    expect(labels(none.items)).toEqual(['No vault yet', '---', 'Set up vault…', '---', 'Quit']);
  });

  it('with 0 tokens: Test all disabled, Open vault, Lock, Quit', () => {
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [], now: NOW });
    expect(model.icon).toBe('ok');
    expect(model.items[0]).toEqual({ kind: 'action', label: 'Test all', action: { type: 'testAll' }, enabled: false });
    expect(labels(model.items)).toContain('No tokens yet');
    expect(actions(model.items)).toEqual(['testAll', 'openVault', 'lock', 'quit']);
    expect(model.tooltip).toBe('Webflow Token Vault: no tokens');
  });

  it('with 1 token: one submenu with its last test, Test, Copy, Revoke…, Open in window', () => {
    const token = publicToken({ lastTest: lastTest() });
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [token], now: NOW });
    expect(model.icon).toBe('ok');
    const [sub] = submenus(model.items);
    expect(sub!.label).toBe('Acme site — valid · 5 min ago');
    expect(labels(sub!.items)).toEqual([
      'Last test: valid, 5 min ago',
      'Expires in 364 d unless used',
      '---',
      'Test',
      'Copy',
      'Revoke…',
      'Open in window',
    ]);
    expect(sub!.items.flatMap((i) => (i.kind === 'action' ? [i.action] : []))).toEqual([
      { type: 'test', id: token.id },
      { type: 'copy', id: token.id },
      { type: 'revoke', id: token.id },
      { type: 'open', id: token.id },
    ]);
    // The site heading comes right before its tokens.
    expect(model.items[model.items.indexOf(sub!) - 1]).toEqual({ kind: 'info', label: 'Acme' });
  });

  it('with 50 tokens: one submenu each, grouped by site, named sites first', () => {
    const tokens = Array.from({ length: 50 }, (_, n) =>
      publicToken({
        id: `tok${String(n).padStart(7, '0')}`,
        label: `Token ${String(n).padStart(2, '0')}`,
        siteIds: n % 5 === 4 ? [] : n % 5 === 3 ? ['a', 'b'] : [`site-${n % 3}`],
        sites: [{ id: `site-${n % 3}`, displayName: `Site ${'CBA'[n % 3]}` }],
        lastTest: lastTest(),
      }),
    );
    const model = buildTrayMenu({ vault: 'unlocked', tokens, now: NOW });
    expect(submenus(model.items)).toHaveLength(50);
    const headings = model.items.filter((i) => i.kind === 'info').map((i) => (i as { label: string }).label);
    expect(headings).toEqual(['Site A', 'Site B', 'Site C', 'Several sites', 'No single site']);
    expect(model.tooltip).toBe('Webflow Token Vault: 50 tokens');
    // Within a group, alphabetical by label.
    const firstGroup = model.items.slice(model.items.findIndex((i) => i.kind === 'info' && i.label === 'Site A') + 1);
    const names = submenus(firstGroup.slice(0, firstGroup.findIndex((i) => i.kind === 'info'))).map((s) => s.label);
    expect(names).toEqual([...names].sort());
  });

  it('shows each health state in the label and picks the overall icon', () => {
    const cases = [
      { over: { lastTest: lastTest() }, word: 'valid · 5 min ago', icon: 'ok' },
      { over: {}, word: 'not tested yet', icon: 'warning' },
      { over: { lastTest: lastTest({ ok: false, httpStatus: 401, code: 'not_authorized' }) }, word: 'rejected', icon: 'failing' },
      { over: { lastTest: lastTest({ ok: false, httpStatus: 429, code: 'too_many_requests' }) }, word: 'rate-limited', icon: 'warning' },
      { over: { lastTest: lastTest({ ok: false, httpStatus: null, code: 'network' }) }, word: 'not reachable', icon: 'warning' },
      { over: { lastTest: lastTest(), expiresAt: '2026-06-11T12:00:00Z' }, word: 'expires in 10 d', icon: 'warning' },
      { over: { lastTest: lastTest(), expiresAt: '2026-05-01T12:00:00Z' }, word: 'expired', icon: 'warning' },
      { over: { lastTest: lastTest(), revokePendingSince: '2026-06-01T10:00:00Z' }, word: 'revoke pending', icon: 'warning' },
    ] as const;
    for (const c of cases) {
      const model = buildTrayMenu({ vault: 'unlocked', tokens: [publicToken(c.over)], now: NOW });
      expect(submenus(model.items)[0]!.label, c.word).toBe(`Acme site — ${c.word}`);
      expect(model.icon, c.word).toBe(c.icon);
    }
    // Any failing token wins over warnings and valid ones.
    const mixed = [publicToken({ lastTest: lastTest() }), publicToken({ id: 'tok0000002', label: 'B' }), publicToken({ id: 'tok0000003', label: 'C', lastTest: lastTest({ ok: false, httpStatus: 401 }) })];
    const model = buildTrayMenu({ vault: 'unlocked', tokens: mixed, now: NOW });
    expect(model.icon).toBe('failing');
    expect(model.tooltip).toBe('Webflow Token Vault: 3 tokens, 1 failing');
  });

  it('offers "Confirm revoke…" for a pending token and disables Test all while a run is going', () => {
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [publicToken({ revokePendingSince: '2026-06-01T10:00:00Z' })], now: NOW, testing: true });
    expect(model.items[0]).toMatchObject({ label: 'Testing all tokens…', enabled: false });
    expect(labels(submenus(model.items)[0]!.items)).toContain('Confirm revoke…');
  });

  it('lists team tokens with their team next to personal ones, acting on the team token, and flags exposed ones', () => {
    const personal = publicToken({ lastTest: lastTest() });
    const shared = { ...publicToken({ lastTest: lastTest() }), team: 'acme', exposedTo: [] };
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [shared, personal], now: NOW });
    const [mine, theirs] = submenus(model.items);
    // The same label and id in both: the personal one first, the team's named.
    expect(mine!.label).toBe('Acme site — valid · 5 min ago');
    expect(theirs!.label).toBe('Acme site · acme — valid · 5 min ago');
    expect(theirs!.items[0]).toEqual({ kind: 'info', label: 'Team acme' });
    expect(theirs!.items.flatMap((i) => (i.kind === 'action' ? [i.action] : []))).toEqual(
      (['test', 'copy', 'revoke', 'open'] as const).map((type) => ({ type, id: shared.id, team: 'acme' })),
    );
    expect(model.icon).toBe('ok');
    expect(model.items[0]).toMatchObject({ label: 'Test all', enabled: true });

    // Only team tokens: Test all still has something to test.
    expect(buildTrayMenu({ vault: 'unlocked', tokens: [shared], now: NOW }).items[0]).toMatchObject({ label: 'Test all', enabled: true });

    // A token a removed member could read is never all clear, though Webflow still accepts it.
    const exposed = buildTrayMenu({ vault: 'unlocked', tokens: [personal, { ...shared, exposedTo: ['bob'] }], now: NOW });
    const flagged = submenus(exposed.items)[1]!;
    expect(flagged.label).toBe('Acme site · acme — exposed · valid · 5 min ago');
    expect(labels(flagged.items)).toContain('Exposed: bob left; rotate it in the window');
    expect(exposed.icon).toBe('warning');
    expect(exposed.tooltip).toBe('Webflow Token Vault: 2 tokens, 1 exposed');
  });

  it('beyond MAX_TRAY_TOKENS, shows the tokens that need attention, then those used last, and leads to the window for the rest', () => {
    const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
    const valid = Array.from({ length: 96 }, (_, n) =>
      publicToken({ id: `tok${String(n).padStart(7, '0')}`, label: `Valid ${n}`, lastTest: lastTest({ at: at(10) }), lastLocalUseAt: at(1000 - n) }),
    );
    // Used long ago, but each needs a look.
    const failing = [1, 2, 3].map((n) => publicToken({ id: `bad${n}000000`, label: `Failing ${n}`, lastTest: lastTest({ ok: false, httpStatus: 401, at: at(5000) }) }));
    const exposed = { ...publicToken({ id: 'exp0000001', label: 'Exposed one', lastTest: lastTest({ at: at(5000) }) }), team: 'acme', exposedTo: ['bob'] };
    // Not tested yet, and not used for long: no reason to come first.
    const untested = publicToken({ id: 'new0000001', label: 'Untested one', lastLocalUseAt: at(9000), addedAt: at(9000) });
    const tokens = [...valid, ...failing, exposed, untested];
    const model = buildTrayMenu({ vault: 'unlocked', tokens, now: NOW });
    const names = submenus(model.items).map((s) => s.label.split(' — ')[0]!);
    expect(names).toHaveLength(MAX_TRAY_TOKENS);
    expect(names).toEqual(expect.arrayContaining(['Failing 1', 'Failing 2', 'Failing 3', 'Exposed one · acme']));
    // The valid ones used last (the higher numbers here) fill the rest; all were tested together.
    const shownValid = names.filter((n) => n.startsWith('Valid ')).map((n) => Number(n.slice(6)));
    expect(shownValid.sort((a, b) => a - b)).toEqual(Array.from({ length: MAX_TRAY_TOKENS - 4 }, (_, n) => 96 - (MAX_TRAY_TOKENS - 4) + n));
    expect(names).not.toContain('Untested one');
    expect(model.items).toContainEqual({ kind: 'action', label: '41 more tokens in the window…', action: { type: 'openVault' }, enabled: true });
    // Counts, icon and Test all still cover every token.
    expect(model.tooltip).toBe('Webflow Token Vault: 101 tokens, 3 failing, 1 exposed');
    expect(model.icon).toBe('failing');
    expect(model.items[0]).toMatchObject({ label: 'Test all', enabled: true });
    // At the limit, every token and no pointer to the rest.
    const all = buildTrayMenu({ vault: 'unlocked', tokens: tokens.slice(0, MAX_TRAY_TOKENS), now: NOW });
    expect(submenus(all.items)).toHaveLength(MAX_TRAY_TOKENS);
    expect(labels(all.items).some((l) => l.includes('more token'))).toBe(false);
  });

  it('names a team that cannot be read, leads to the window for why, and is never all clear', () => {
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [publicToken({ lastTest: lastTest() })], unreadableTeams: ['acme'], now: NOW });
    expect(model.items).toContainEqual({ kind: 'action', label: 'Team acme cannot be read: see the window…', action: { type: 'openVault' }, enabled: true });
    expect(model.icon).toBe('warning');
    expect(model.tooltip).toBe('Webflow Token Vault: 1 token, 1 team unreadable');
    expect(buildTrayMenu({ vault: 'unlocked', tokens: [], unreadableTeams: ['acme', 'beta'], now: NOW }).tooltip).toBe('Webflow Token Vault: no tokens, 2 teams unreadable');
  });

  it('keeps labels short and on one line', () => {
    const model = buildTrayMenu({ vault: 'unlocked', tokens: [publicToken({ label: `A very\nlong ${'x'.repeat(100)}` })], now: NOW });
    const label = submenus(model.items)[0]!.label;
    expect(label).not.toContain('\n');
    expect(label.split(' — ')[0]!.length).toBe(MAX_LABEL);
  });
});

describe('summaries and ages', () => {
  it('summarises a batch the way the notification says it', () => {
    const statuses = [...Array(7).fill('valid'), 'rejected', 'rate_limited'] as const;
    expect(summarizeResults(statuses.map((status) => ({ status })))).toBe('7 valid, 1 rejected, 1 rate-limited');
    expect(summarizeResults([{ status: 'timeout' }, { status: 'network' }])).toBe('2 unreachable');
    expect(summarizeResults([])).toBe('No tokens to test');
  });

  it('formats ages', () => {
    expect(formatAge(null, NOW)).toBe('never');
    expect(formatAge('2026-06-01T11:59:30Z', NOW)).toBe('just now');
    expect(formatAge('2026-06-01T09:00:00Z', NOW)).toBe('3 h ago');
    expect(formatAge('2026-05-20T12:00:00Z', NOW)).toBe('12 d ago');
    expect(formatAge('garbage', NOW)).toBe('unknown');
  });

  it('announces tokens close to the 365-day limit, not pending or far-off ones', () => {
    const notices = expiryNotices(
      [
        publicToken({ id: 'soon000001', label: 'Soon', expiresAt: '2026-06-08T12:00:00Z' }),
        publicToken({ id: 'gone000001', label: 'Gone', expiresAt: '2026-05-08T12:00:00Z' }),
        publicToken({ id: 'far0000001', label: 'Far' }),
        publicToken({ id: 'pend000001', label: 'Pending', expiresAt: '2026-06-08T12:00:00Z', revokePendingSince: '2026-06-01T00:00:00Z' }),
        publicToken({ id: 'oaut000001', label: 'OAuth', kind: 'oauth', expiresAt: null }),
      ],
      NOW,
    );
    expect(notices.map((n) => n.title)).toEqual(['Soon expires in 7 d', 'Gone has expired']);
  });

  it('announces a team token with its team, apart from a personal token of the same id', () => {
    const soon = { expiresAt: '2026-06-08T12:00:00Z' };
    const gone = { expiresAt: '2026-05-08T12:00:00Z' };
    const notices = expiryNotices(
      [publicToken({ id: 'same000001', label: 'Mine', ...soon }), { ...publicToken({ id: 'same000001', label: 'Shared', ...soon }), team: 'acme' }, { ...publicToken({ id: 'gone000001', label: 'Old', ...gone }), team: 'acme' }],
      NOW,
    );
    // Others may use a team token every day without this machine knowing: a maybe, and a test settles it.
    expect(notices.map((n) => [n.key, n.title])).toEqual([
      ['same000001', 'Mine expires in 7 d'],
      ['acme/same000001', 'Shared (team acme) may expire in 7 d'],
      ['acme/gone000001', 'Old (team acme) may have expired'],
    ]);
    expect(notices[1]!.body).toBe('Webflow expires tokens unused for 365 days, and this machine has not seen it used lately. Test it: a test counts as use.');
    expect(notices[2]!.body).toBe('Webflow expires tokens unused for 365 days, and this machine has not seen it used lately. Test it: a test counts as use, and if Webflow rejects it, add a new one to team acme.');
  });
});
