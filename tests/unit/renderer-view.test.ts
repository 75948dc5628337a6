// The window's list logic (renderer/src/lib/view.ts), on plain Node: rows, search, filters,
// sorting, and Webflow's answers in plain words.
import { describe, expect, it } from 'vitest';
import {
  explainCode,
  expiryText,
  filterChoices,
  filterRows,
  missingScopes,
  NO_FILTERS,
  PERSONAL_OWNER,
  requestsSent,
  scopeGroupText,
  siteSettingsUrl,
  siteTokenCounts,
  sortRows,
  teamOwner,
  tokenKey,
  toRow,
  usageSnippets,
} from '../../renderer/src/lib/view.js';
import { AppError, windowMessage } from '../../main/core/errors.js';
import { lastTest, NOW, publicToken } from '../helpers/tokens.js';

const DAY = 86_400_000;

const tokens = [
  publicToken({ id: 'tok0000001', label: 'Acme site', scopes: ['cms:read', 'cms:write', 'sites:read'], lastTest: lastTest(), tags: ['prod'] }),
  publicToken({
    id: 'tok0000002',
    label: 'beta docs',
    siteIds: ['site-2'],
    sites: [{ id: 'site-2', displayName: 'Docs' }],
    expiresAt: new Date(NOW.getTime() + 10 * DAY).toISOString(),
    lastTest: lastTest(),
  }),
  publicToken({ id: 'tok0000003', label: 'Zeta app', kind: 'oauth', expiresAt: null, lastTest: lastTest({ ok: false, httpStatus: 401, code: 'not_authorized' }) }),
  publicToken({ id: 'tok0000004', label: 'old', createdOn: new Date(NOW.getTime() - 400 * DAY).toISOString(), notes: 'used by deploy.js' }),
];
const rows = tokens.map((t) => toRow(t, NOW, 180));

describe('list rows', () => {
  it('derives health, expiry, rotation and scope groups from the public record', () => {
    expect(rows.map((r) => r.health)).toEqual(['valid', 'expiring', 'failing', 'untested']);
    expect(rows[1]!.expiresInDays).toBe(10);
    expect(rows[2]!.expiresInDays).toBeNull();
    expect(rows[3]!.rotateAfterDays).toBe(400);
    expect(rows[0]!.rotateAfterDays).toBeNull();
    expect(toRow(tokens[3]!, NOW, 0).rotateAfterDays).toBeNull();
    expect(rows[0]!.groups.map(scopeGroupText)).toEqual(['cms: read and write', 'sites: read']);
    expect(rows[1]!.siteNames).toEqual(['Docs']);
  });

  it('searches every word across label, sites, scopes, tags and notes, and filters by kind, site, scope and health', () => {
    const labels = (f: Partial<typeof NO_FILTERS>) => filterRows(rows, { ...NO_FILTERS, ...f }).map((r) => r.token.label);
    expect(filterRows(rows, NO_FILTERS)).toBe(rows);
    expect(labels({ query: 'ACME prod' })).toEqual(['Acme site']);
    expect(labels({ query: 'docs' })).toEqual(['beta docs']);
    expect(labels({ query: 'deploy.js' })).toEqual(['old']);
    expect(labels({ query: 'cms:write' })).toEqual(['Acme site']);
    expect(labels({ kind: 'oauth' })).toEqual(['Zeta app']);
    expect(labels({ site: 'site-2' })).toEqual(['beta docs']);
    expect(labels({ scope: 'cms:write' })).toEqual(['Acme site']);
    expect(labels({ health: 'failing' })).toEqual(['Zeta app']);
    expect(labels({ query: 'nothing like this' })).toEqual([]);
  });

  it('sorts by label, health, expiry and use', () => {
    const order = (key: Parameters<typeof sortRows>[1]) => sortRows(rows, key).map((r) => r.token.label);
    expect(order('label')).toEqual(['Acme site', 'beta docs', 'old', 'Zeta app']);
    expect(order('health')).toEqual(['Zeta app', 'beta docs', 'old', 'Acme site']);
    expect(order('expiry')[0]).toBe('beta docs');
    expect(order('expiry').at(-1)).toBe('Zeta app');
  });

  it('offers the sites and scopes present as filter choices', () => {
    const choices = filterChoices(tokens);
    expect(choices.sites).toEqual([
      { id: 'site-1', name: 'Acme' },
      { id: 'site-2', name: 'Docs' },
    ]);
    expect(choices.scopes).toEqual(['cms:read', 'cms:write', 'sites:read']);
  });
});

describe("Webflow's answers in plain words", () => {
  it('explains codes, names missing scopes and what was sent, without the token', () => {
    expect(explainCode('not_authorized', false)).toContain('revoked, expired after 365 days');
    expect(explainCode(null, true)).toBe('Webflow accepted the token.');
    expect(explainCode('something_new', false)).toContain('its own words');
    expect(missingScopes('missing_scopes', 'OAuthForbidden: You are missing the following scopes - components:write')).toEqual(['components:write']);
    expect(missingScopes('not_authorized', 'mentions cms:read')).toEqual([]);
    // Tests recorded before the requests were kept: read from the message.
    expect(requestsSent({ message: 'Webflow rejected the token (401 not_authorized). GET /v2/sites refused it too.' })).toEqual(['GET /v2/token/introspect', 'GET /v2/sites']);
    expect(requestsSent({ message: 'no request named' })).toEqual(['GET /v2/token/introspect']);
    // Recorded requests win over the message.
    expect(requestsSent({ message: 'GET /v2/sites refused it too.', requests: ['GET /v2/sites'] })).toEqual(['GET /v2/sites']);
  });

  it('counts down expiry in days', () => {
    expect(expiryText(null)).toBe('No expiry');
    expect(expiryText(-1)).toBe('Expired');
    expect(expiryText(0)).toBe('Expires today');
    expect(expiryText(12)).toBe('Expires in 12 d');
  });
});

describe('details helpers', () => {
  it('counts live Site tokens per site, for Webflow\'s five-per-site limit', () => {
    const many = [
      publicToken({ id: 'a1', kind: 'site', siteIds: ['s1'] }),
      publicToken({ id: 'a2', kind: 'site', siteIds: ['s1', 's2'] }),
      publicToken({ id: 'a3', kind: 'workspace', siteIds: ['s1'] }),
      publicToken({ id: 'a4', kind: 'site', siteIds: [], sites: [{ id: 's2' }] }),
    ];
    expect(Object.fromEntries(siteTokenCounts(many))).toEqual({ s1: 2, s2: 2 });
  });

  it('links a site to its settings, and gives exec and wfvault:// snippets by id', () => {
    expect(siteSettingsUrl({ shortName: 'acme site' })).toBe('https://webflow.com/dashboard/sites/acme%20site/general');
    expect(siteSettingsUrl({})).toBeNull();
    expect(usageSnippets(publicToken({ id: 'tok0000001' }))).toEqual({ exec: 'wfvault exec tok0000001 -- ', reference: 'wfvault://tok0000001' });
  });
});

describe('window wording of errors', () => {
  it('uses the window text when an error carries one, and turns keychain failures into one sentence with the fix', () => {
    expect(windowMessage(new AppError('failed', 'run `wfvault x --y`', { window: 'Press “Check now”.' }))).toBe('Press “Check now”.');
    const raw = new AppError('keychain_unavailable', 'The OS keychain (Secret Service) is not available (DBus error: org.freedesktop.DBus.Error.ServiceUnknown). Use `wfvault init --passphrase`.');
    expect(windowMessage(raw)).toMatch(/^No system keychain answered: start and unlock it .*, then try again\.$/);
    expect(windowMessage(raw)).not.toMatch(/D-?Bus|wfvault/);
    expect(windowMessage(new AppError('keychain_timeout', 'x'))).toMatch(/did not answer in time/);
    expect(windowMessage(new AppError('usage', 'plain'))).toBe('plain');
  });
});

describe('team tokens in the list', () => {
  // The same id in the vault and in a team: each keeps its own row.
  const teamToken = { ...publicToken({ id: 'tok0000001', label: 'Shared site' }), team: 'acme', exposedTo: ['bob'] };
  const mixed = [...tokens, teamToken].map((t) => toRow(t, NOW, 180));

  it('keys a team token by its team and marks who could read it after leaving', () => {
    const row = mixed.at(-1)!;
    expect(row.key).toBe('acme/tok0000001');
    expect(tokenKey(tokens[0]!)).toBe('tok0000001');
    expect(new Set(mixed.map((r) => r.key)).size).toBe(mixed.length);
    expect(row).toMatchObject({ team: 'acme', exposedTo: ['bob'] });
    expect(mixed[0]).toMatchObject({ team: null, exposedTo: [] });
  });

  it('filters personal tokens, one team, or all, and finds a team by name', () => {
    expect(filterRows(mixed, { ...NO_FILTERS, owner: teamOwner('acme') }).map((r) => r.key)).toEqual(['acme/tok0000001']);
    expect(filterRows(mixed, { ...NO_FILTERS, owner: PERSONAL_OWNER })).toHaveLength(tokens.length);
    expect(filterRows(mixed, { ...NO_FILTERS, owner: teamOwner('other') })).toHaveLength(0);
    expect(filterRows(mixed, NO_FILTERS)).toHaveLength(mixed.length);
    expect(filterRows(mixed, { ...NO_FILTERS, query: 'team acme' }).map((r) => r.key)).toEqual(['acme/tok0000001']);
    expect(filterChoices([...tokens, teamToken], ['zeta']).teams).toEqual(['acme', 'zeta']);
    expect(filterChoices(tokens).teams).toEqual([]);
  });

  it('gives a team token an exec command that names its team', () => {
    expect(usageSnippets(teamToken).exec).toBe('wfvault exec --team acme tok0000001 -- ');
    expect(usageSnippets(tokens[0]!).exec).toBe('wfvault exec tok0000001 -- ');
  });
});
