// Public token records for tests of the window and tray logic, without a vault.
import type { LastTest, PublicToken } from '../../main/core/token.js';

export const NOW = new Date('2026-06-01T12:00:00Z');

export function publicToken(over: Partial<PublicToken> = {}): PublicToken {
  return {
    id: 'tok0000001',
    label: 'Acme site',
    kind: 'site',
    scopes: ['sites:read'],
    siteIds: ['site-1'],
    sites: [{ id: 'site-1', displayName: 'Acme', shortName: 'acme' }],
    workspaceIds: [],
    authorizedUser: null,
    grantType: null,
    createdOn: '2026-01-01T00:00:00Z',
    lastUsedAt: '2026-05-31T12:00:00Z',
    addedAt: '2026-01-02T00:00:00Z',
    lastLocalUseAt: null,
    lastTest: null,
    testHistory: [],
    expiresAt: '2027-05-31T12:00:00Z',
    revokePendingSince: null,
    notes: '',
    tags: [],
    oauthAppId: null,
    ...over,
  };
}

export function lastTest(over: Partial<LastTest> = {}): LastTest {
  return {
    at: '2026-06-01T11:55:00Z',
    ok: true,
    httpStatus: 200,
    code: null,
    message: 'Webflow accepted the token.',
    latencyMs: 12,
    rateLimit: 60,
    rateLimitRemaining: 59,
    ...over,
  };
}
