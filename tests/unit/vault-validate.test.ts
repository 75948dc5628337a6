// The structural check used instead of VaultData.parse (too slow at 10,000 tokens) must accept
// what the schema accepts, apply the same defaults, and reject what the code could not work with.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { newTokenRecord } from '../../main/core/records.js';
import { VaultData } from '../../main/core/token.js';
import { checkVaultData } from '../../main/vault/validate.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const SECRET = 'f'.repeat(64);

function sample(): Record<string, unknown> {
  const full = newTokenRecord({ id: 'tok0000001', label: 'Acme', kind: 'site', secret: SECRET, tags: ['prod'] }, null, NOW);
  const lastTest = { at: NOW.toISOString(), ok: true, httpStatus: 200, code: null, message: 'ok', latencyMs: 12, rateLimit: 60, rateLimitRemaining: 59 };
  const tested = { ...full, id: 'tok0000002', label: 'Tested', lastTest, testHistory: [lastTest], sites: [{ id: 's1', displayName: 'S' }] };
  // An older record without the fields that have defaults.
  const { sites: _s, authorizedUser: _a, grantType: _g, testHistory: _t, notes: _n, tags: _tags, oauthAppId: _o, ...minimal } = { ...full, id: 'tok0000003' };
  return {
    tokens: [full, tested, minimal],
    tombstones: [{ id: 'gone0001', label: 'old', kind: 'oauth', revokedAt: NOW.toISOString() }],
    apps: [{ id: 'app00001', name: 'agency', clientId: 'cid', clientSecret: 'shh', redirectUri: 'http://localhost:8976/callback', scopes: ['sites:read'], addedAt: NOW.toISOString() }],
    settings: { clipboardClearSeconds: 45 },
    teamKeys: { 'team:0123:abcd': '{"v":1}' },
  };
}

describe('checkVaultData', () => {
  it('gives what VaultData.parse gives for valid data, defaults included', () => {
    const expected = VaultData.parse(sample());
    expect(checkVaultData(sample())).toEqual(expected);
    expect(checkVaultData({})).toEqual(VaultData.parse({}));
  });

  const breakages: Array<[string, (d: { tokens: Array<Record<string, unknown>> } & Record<string, unknown>) => void]> = [
    ['tokens is not a list', (d) => Object.assign(d, { tokens: 'nope' })],
    ['token is not an object', (d) => (d.tokens[0] = 'x' as unknown as Record<string, unknown>)],
    ['short id', (d) => (d.tokens[0]!.id = 'abc')],
    ['empty label', (d) => (d.tokens[0]!.label = '')],
    ['unknown kind', (d) => (d.tokens[0]!.kind = 'personal')],
    ['missing secret', (d) => delete d.tokens[0]!.secret],
    ['empty secret', (d) => (d.tokens[0]!.secret = '')],
    ['scopes not strings', (d) => (d.tokens[0]!.scopes = [1])],
    ['missing siteIds', (d) => delete d.tokens[1]!.siteIds],
    ['missing createdOn', (d) => delete d.tokens[0]!.createdOn],
    ['addedAt null', (d) => (d.tokens[0]!.addedAt = null)],
    ['lastTest not an object', (d) => (d.tokens[1]!.lastTest = 'ok')],
    ['testHistory entry malformed', (d) => (d.tokens[1]!.testHistory = [{ at: 1 }])],
    ['tags not strings', (d) => (d.tokens[0]!.tags = [null])],
    ['bad tombstone', (d) => ((d.tombstones as Array<Record<string, unknown>>)[0]!.kind = 'x')],
    ['bad settings', (d) => (d.settings = { clipboardClearSeconds: 1 })],
    ['settings flag not a boolean', (d) => (d.settings = { trayOnClose: 'yes' })],
    ['settings not whole minutes', (d) => (d.settings = { autoLockMinutes: 1.5 })],
    ['tombstone with a short id', (d) => ((d.tombstones as Array<Record<string, unknown>>)[0]!.id = 'ab')],
    ['app without a client secret', (d) => delete (d.apps as Array<Record<string, unknown>>)[0]!.clientSecret],
    ['app scopes not strings', (d) => ((d.apps as Array<Record<string, unknown>>)[0]!.scopes = [7])],
    ['apps is not a list', (d) => (d.apps = {})],
    ['teamKeys is not an object', (d) => (d.teamKeys = ['x'])],
    ['a team key is not a string', (d) => (d.teamKeys = { 'team:1': 5 })],
    ['a team key is empty', (d) => (d.teamKeys = { 'team:1': '' })],
  ];

  it.each(breakages)('rejects like the schema does: %s', (_name, breakIt) => {
    const forSchema = sample() as Parameters<(typeof breakages)[0][1]>[0];
    breakIt(forSchema);
    expect(VaultData.safeParse(forSchema).success).toBe(false);
    const forCheck = sample() as Parameters<(typeof breakages)[0][1]>[0];
    breakIt(forCheck);
    let err: unknown;
    try {
      checkVaultData(forCheck);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('vault_corrupt');
    expect((err as AppError).message.includes(SECRET)).toBe(false);
  });
});
