// How a token record is born from a test and refreshed by later tests. Pure, so the CLI, the app
// and the tests share one definition.
import { computeExpiresAt } from './expiry.js';
import { toLastTest, type TestOutcome } from './test-outcome.js';
import type { StoredToken, TokenKind } from './token.js';

/** Tests kept per token for the details panel; older ones are dropped. */
export const TEST_HISTORY_LIMIT = 20;

export interface NewTokenInput {
  id: string;
  label: string;
  kind: TokenKind;
  secret: string;
  oauthAppId?: string | null;
  notes?: string;
  tags?: string[];
}

export function newTokenRecord(input: NewTokenInput, outcome: TestOutcome | null, now: Date): StoredToken {
  const record: StoredToken = {
    id: input.id,
    label: input.label,
    kind: input.kind,
    secret: input.secret,
    scopes: [],
    siteIds: [],
    sites: [],
    workspaceIds: [],
    authorizedUser: null,
    grantType: null,
    createdOn: null,
    lastUsedAt: null,
    addedAt: now.toISOString(),
    lastLocalUseAt: null,
    lastTest: null,
    testHistory: [],
    expiresAt: null,
    revokePendingSince: null,
    notes: input.notes ?? '',
    tags: input.tags ?? [],
    oauthAppId: input.oauthAppId ?? null,
  };
  return outcome ? applyTestOutcome(record, outcome, now) : record;
}

/** Records the test and refreshes what Webflow reported; a failed test keeps the last known facts. */
export function applyTestOutcome(record: StoredToken, outcome: TestOutcome, now: Date): StoredToken {
  const lastTest = toLastTest(outcome, now);
  const next: StoredToken = {
    ...record,
    lastTest,
    testHistory: [lastTest, ...record.testHistory].slice(0, TEST_HISTORY_LIMIT),
    lastLocalUseAt: now.toISOString(),
  };
  const info = outcome.ok ? outcome.info : null;
  if (info) {
    // A Site token accepted only by /v2/sites tells us its sites but not its scopes.
    if (info.via === 'introspect' || next.scopes.length === 0) next.scopes = info.scopes;
    if (info.siteIds.length > 0 || info.via === 'introspect') next.siteIds = info.siteIds;
    if (info.sites.length > 0) next.sites = info.sites;
    if (info.via === 'introspect') next.workspaceIds = info.workspaceIds;
    if (info.authorizedUser) next.authorizedUser = info.authorizedUser;
    next.grantType = info.grantType ?? next.grantType;
    next.createdOn = info.createdOn ?? next.createdOn;
    next.lastUsedAt = info.lastUsed ?? next.lastUsedAt;
    next.expiresAt = computeExpiresAt(next.kind, next.lastUsedAt, next.createdOn);
  }
  return next;
}

/** Kind Webflow implies: OAuth apps' tokens come with an application and authorization_code grant. */
export function inferKind(outcome: TestOutcome): TokenKind | null {
  const info = outcome.info;
  if (!info) return null;
  if (info.application || info.grantType === 'authorization_code') return 'oauth';
  if (info.siteIds.length === 0 && info.workspaceIds.length > 0) return 'workspace';
  return null;
}
