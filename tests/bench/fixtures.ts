// Realistic vault contents for benchmarks: every field filled, a few tests of history each.
import { applyTestOutcome, newTokenRecord } from '../../main/core/records.js';
import type { TestOutcome } from '../../main/core/test-outcome.js';
import type { StoredToken, VaultData } from '../../main/core/token.js';
import { emptyVaultData } from '../../main/core/token-values.js';

const HEX = '0123456789abcdef';

function fakeSecret(i: number): string {
  let s = '';
  let x = (i + 1) * 2654435761;
  for (let k = 0; k < 64; k++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += HEX[x & 15];
  }
  return s;
}

function outcome(i: number): TestOutcome {
  return {
    status: 'valid',
    ok: true,
    httpStatus: 200,
    code: null,
    message: 'Webflow accepted the token.',
    latencyMs: 40 + (i % 50),
    rateLimit: 60,
    rateLimitRemaining: 59 - (i % 60),
    info: {
      scopes: ['assets:read', 'cms:read', 'cms:write', 'pages:read', 'sites:read'],
      siteIds: [`site${(i % 97).toString().padStart(20, '0')}`],
      workspaceIds: [],
      userIds: [],
      createdOn: '2026-01-05T10:00:00.000Z',
      lastUsed: '2026-11-01T09:30:00.000Z',
      grantType: 'client_credentials',
      rateLimit: 60,
      application: null,
      authorizedUser: { id: `user${i % 13}`, email: `dev${i % 13}@agency.example`, firstName: 'Dev', lastName: `Number ${i % 13}` },
      sites: [{ id: `site${(i % 97).toString().padStart(20, '0')}`, displayName: `Client site ${i % 97}`, shortName: `client-site-${i % 97}` }],
      via: 'introspect',
    },
  };
}

export function makeTokens(count: number, history = 5): StoredToken[] {
  const now = new Date('2026-11-20T12:00:00Z');
  const tokens: StoredToken[] = [];
  for (let i = 0; i < count; i++) {
    let t = newTokenRecord({ id: `t${i.toString(32).padStart(9, '0')}`, label: `Client site ${i}`, kind: i % 10 === 0 ? 'oauth' : 'site', secret: fakeSecret(i), notes: i % 5 === 0 ? 'Used by the nightly deploy job.' : '', tags: ['client', `team-${i % 4}`] }, null, now);
    for (let h = 0; h < history; h++) t = applyTestOutcome(t, outcome(i + h), now);
    tokens.push(t);
  }
  return tokens;
}

export function makeVaultData(count: number): VaultData {
  const data = emptyVaultData();
  data.tokens = makeTokens(count);
  return data;
}
