// The parts of the token model that run on every command: constants, defaults and the public
// views. Kept free of the schema library so that `wfvault exec`, which only reads one secret,
// starts without loading it (the schemas are in token.ts, for validation at the boundaries).
import type { PublicOAuthApp, PublicToken, StoredOAuthApp, StoredToken, Tombstone, VaultData } from './token.js';

export const TOKEN_KINDS = ['site', 'workspace', 'oauth'] as const;

/** Ranges and defaults of the settings; token.ts builds its schema from these. */
export const SETTINGS_RULES = {
  clipboardClearSeconds: { min: 5, max: 600, default: 30 },
  rotationReminderDays: { min: 0, max: 3650, default: 180 },
  autoLockMinutes: { min: 0, max: 1440, default: 15 },
} as const;

export const DEFAULT_SETTINGS: Readonly<{ clipboardClearSeconds: number; rotationReminderDays: number; autoLockMinutes: number; trayOnClose: boolean; launchAtLogin: boolean }> = {
  clipboardClearSeconds: SETTINGS_RULES.clipboardClearSeconds.default,
  rotationReminderDays: SETTINGS_RULES.rotationReminderDays.default,
  autoLockMinutes: SETTINGS_RULES.autoLockMinutes.default,
  trayOnClose: true,
  launchAtLogin: false,
};

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
