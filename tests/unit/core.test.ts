// Pure rules from main/core: what users see in lists and what the CLI accepts.
import { describe, expect, it } from 'vitest';
import { AppError, exitCodeFor } from '../../main/core/errors.js';
import { computeExpiresAt, daysUntil } from '../../main/core/expiry.js';
import { overallHealth, tokenHealth } from '../../main/core/health.js';
import { newId } from '../../main/core/ids.js';
import { applyTestOutcome, newTokenRecord, TEST_HISTORY_LIMIT } from '../../main/core/records.js';
import { resolveRef } from '../../main/core/ref.js';
import { revokePlan } from '../../main/core/revoke-plan.js';
import { groupScopes, parseScopes } from '../../main/core/scopes.js';
import { decodeSecretBytes, normalizeSecret } from '../../main/core/secret.js';
import type { TestOutcome } from '../../main/core/test-outcome.js';
import { tokenCandidates } from '../../main/core/token-pattern.js';
import { toPublic } from '../../main/core/token-values.js';

const now = new Date('2026-06-01T12:00:00Z');

function outcome(partial: Partial<TestOutcome> = {}): TestOutcome {
  return {
    status: 'valid',
    ok: true,
    httpStatus: 200,
    code: null,
    message: 'Webflow accepted the token.',
    latencyMs: 12.4,
    rateLimit: 60,
    rateLimitRemaining: 59,
    info: {
      scopes: ['cms:read', 'sites:read'],
      siteIds: ['s1'],
      workspaceIds: [],
      userIds: [],
      createdOn: '2026-01-01T00:00:00Z',
      lastUsed: '2026-05-01T00:00:00Z',
      grantType: 'client_credentials',
      rateLimit: 60,
      application: null,
      authorizedUser: null,
      sites: [{ id: 's1', displayName: 'One', shortName: 'one' }],
      via: 'introspect',
    },
    ...partial,
  };
}

describe('scopes', () => {
  it('splits comma- and space-separated scope strings alike', () => {
    expect(parseScopes('assets:read,assets:write')).toEqual(['assets:read', 'assets:write']);
    expect(parseScopes('custom_code:read sites:read')).toEqual(['custom_code:read', 'sites:read']);
    expect(parseScopes(' cms:read ,  cms:write,,sites:read ')).toEqual(['cms:read', 'cms:write', 'sites:read']);
    expect(parseScopes(undefined)).toEqual([]);
  });
  it('groups read and write per resource', () => {
    expect(groupScopes(['cms:write', 'cms:read', 'sites:read'])).toEqual([
      { resource: 'cms', read: true, write: true, other: [] },
      { resource: 'sites', read: true, write: false, other: [] },
    ]);
  });
});

describe('secret input', () => {
  it('trims the whitespace around a pasted token, not inside it', () => {
    expect(normalizeSecret('abc\n')).toBe('abc');
    expect(normalizeSecret('abc\r\n')).toBe('abc');
    expect(normalizeSecret('  abc \t\r\n ')).toBe('abc');
    expect(() => normalizeSecret('ab c\n')).toThrow(/whitespace/);
    expect(() => normalizeSecret('ab\r\ncd')).toThrow(/control character/);
  });
  it('refuses text that was not valid UTF-8', () => {
    expect(() => normalizeSecret('abc\uFFFDdef')).toThrow(/UTF-8/);
    expect(() => decodeSecretBytes(Uint8Array.from([0x61, 0xff, 0x62]))).toThrow(/UTF-8/);
    expect(decodeSecretBytes(new TextEncoder().encode('abc'))).toBe('abc');
  });
  it('refuses empty, spaced, control-character and oversized secrets without echoing them', () => {
    for (const bad of ['', '\n', 'ab cd', 'ab\tcd', 'ab\u0000cd', 'x'.repeat(4097)]) {
      const error = (() => {
        try {
          normalizeSecret(bad);
        } catch (e) {
          return e as AppError;
        }
        throw new Error('accepted a bad secret');
      })();
      expect(error.code).toBe('invalid_secret');
      if (bad.length > 3) expect(error.message).not.toContain(bad);
    }
  });
});

describe('REF resolution', () => {
  const items = [
    { id: 'abcd1111xy', label: 'one' },
    { id: 'abcd2222xy', label: 'two' },
    { id: 'zzzz0000aa', label: 'abcd1111xy-like' },
  ];
  it('finds by exact label, exact id and unique prefix', () => {
    expect(resolveRef(items, 'two').id).toBe('abcd2222xy');
    expect(resolveRef(items, 'abcd1111xy').label).toBe('one');
    expect(resolveRef(items, 'abcd1').label).toBe('one');
  });
  it('reports ambiguity with every candidate, and unknown refs with a hint', () => {
    expect(() => resolveRef(items, 'abcd')).toThrow(/abcd1111xy \(one\).*abcd2222xy \(two\)/);
    expect(() => resolveRef(items, 'abc')).toThrow(/at least 4 characters/);
    try {
      resolveRef(items, 'nope');
    } catch (e) {
      expect(exitCodeFor((e as AppError).code)).toBe(2);
    }
  });
});

describe('expiry and health', () => {
  it('gives Site and Workspace tokens 365 days from the last use, OAuth tokens none', () => {
    expect(computeExpiresAt('site', '2026-01-01T00:00:00.000Z', null)).toBe('2027-01-01T00:00:00.000Z');
    expect(computeExpiresAt('workspace', null, '2026-01-01T00:00:00.000Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(computeExpiresAt('oauth', '2026-01-01T00:00:00.000Z', null)).toBeNull();
    expect(daysUntil('2026-06-11T12:00:00Z', now)).toBe(10);
  });
  it('derives health from the last test, expiry and pending revokes', () => {
    const base = toPublic(newTokenRecord({ id: 'aaaa0000bb', label: 'x', kind: 'site', secret: 's' }, null, now));
    expect(tokenHealth(base, now)).toBe('untested');
    const tested = toPublic(applyTestOutcome({ ...base, secret: 's' }, outcome(), now));
    expect(tokenHealth(tested, now)).toBe('valid');
    expect(tokenHealth({ ...tested, expiresAt: '2026-06-20T00:00:00Z' }, now)).toBe('expiring');
    expect(tokenHealth({ ...tested, revokePendingSince: now.toISOString() }, now)).toBe('revoke_pending');
    const rejected = toPublic(applyTestOutcome({ ...base, secret: 's' }, outcome({ ok: false, status: 'rejected', httpStatus: 401, code: 'not_authorized', info: null }), now));
    expect(tokenHealth(rejected, now)).toBe('failing');
    expect(overallHealth([tested, base], now)).toBe('warning');
    expect(overallHealth([tested, rejected, base], now)).toBe('failing');
    expect(overallHealth([tested], now)).toBe('ok');
  });
});

describe('records', () => {
  it('fills scopes, sites, dates and expiry from a successful test, and keeps them after a failed one', () => {
    const record = newTokenRecord({ id: 'aaaa0000bb', label: 'x', kind: 'site', secret: 's' }, outcome(), now);
    expect(record).toMatchObject({ scopes: ['cms:read', 'sites:read'], siteIds: ['s1'], lastUsedAt: '2026-05-01T00:00:00Z', expiresAt: '2027-05-01T00:00:00.000Z' });
    const failed = applyTestOutcome(record, outcome({ ok: false, status: 'network', httpStatus: null, code: 'network', info: null }), now);
    expect(failed.scopes).toEqual(['cms:read', 'sites:read']);
    expect(failed.lastTest).toMatchObject({ ok: false, code: 'network' });
  });
  it('keeps a bounded test history, newest first', () => {
    let record = newTokenRecord({ id: 'aaaa0000bb', label: 'x', kind: 'site', secret: 's' }, null, now);
    for (let i = 0; i < TEST_HISTORY_LIMIT + 5; i++) record = applyTestOutcome(record, outcome({ latencyMs: i }), now);
    expect(record.testHistory).toHaveLength(TEST_HISTORY_LIMIT);
    expect(record.testHistory[0]!.latencyMs).toBe(TEST_HISTORY_LIMIT + 4);
  });
  it('never puts the secret into the public view', () => {
    const record = newTokenRecord({ id: 'aaaa0000bb', label: 'x', kind: 'site', secret: 'very-secret' }, outcome(), now);
    expect(JSON.stringify(toPublic(record))).not.toContain('very-secret');
  });
  it('makes short unique ids', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newId(taken);
      expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{10}$/);
      expect(taken.has(id)).toBe(false);
      taken.add(id);
    }
  });
});

describe('revoke plans', () => {
  it('sends Site tokens to their site settings and OAuth tokens through the API', () => {
    const site = toPublic(newTokenRecord({ id: 'aaaa0000bb', label: 'x', kind: 'site', secret: 's' }, outcome(), now));
    expect(revokePlan(site, 'https://webflow.com/')).toMatchObject({ method: 'dashboard', url: 'https://webflow.com/dashboard/sites/one/general' });
    expect(revokePlan(site, 'https://webflow.com').steps).toContain('Apps & integrations → API access');
    expect(revokePlan({ ...site, kind: 'oauth' }, 'https://webflow.com').method).toBe('api');
    expect(revokePlan({ ...site, kind: 'workspace' }, 'https://webflow.com').steps).toContain('Workspace API access');
  });
});

describe('token patterns in files', () => {
  it('finds 64-hex values but not longer hex runs', () => {
    const token = 'ab'.repeat(32);
    expect(tokenCandidates(`X=${token}`)).toEqual([token]);
    expect(tokenCandidates(`X=${token}ff`)).toEqual([]);
  });
});
