// Plain values and views of the token model, free of the schema library so that `wfvault exec`,
// which only reads one secret, starts without loading it (the schemas in token.ts validate at the
// boundaries).
import type { PublicOAuthApp, PublicToken, StoredOAuthApp, StoredToken, Tombstone, VaultData } from './token.js';
import { DEFAULT_SETTINGS } from './token-model.js';

export function emptyVaultData(): VaultData {
  return { tokens: [], tombstones: [], apps: [], settings: { ...DEFAULT_SETTINGS } };
}

// The public views name every field they copy, so that a field the vault gained later (or one
// written by a newer version) is never passed on without a decision.
export function toPublic(t: StoredToken): PublicToken {
  return {
    id: t.id,
    label: t.label,
    kind: t.kind,
    scopes: t.scopes,
    siteIds: t.siteIds,
    sites: t.sites,
    workspaceIds: t.workspaceIds,
    authorizedUser: t.authorizedUser,
    grantType: t.grantType,
    createdOn: t.createdOn,
    lastUsedAt: t.lastUsedAt,
    addedAt: t.addedAt,
    lastLocalUseAt: t.lastLocalUseAt,
    lastTest: t.lastTest,
    testHistory: t.testHistory,
    expiresAt: t.expiresAt,
    revokePendingSince: t.revokePendingSince,
    notes: t.notes,
    tags: t.tags,
    oauthAppId: t.oauthAppId,
  };
}

export function toPublicTombstone(t: Tombstone): Tombstone {
  return { id: t.id, label: t.label, kind: t.kind, revokedAt: t.revokedAt };
}

export function toPublicApp(a: StoredOAuthApp): PublicOAuthApp {
  return { id: a.id, name: a.name, clientId: a.clientId, redirectUri: a.redirectUri, scopes: a.scopes, addedAt: a.addedAt };
}
