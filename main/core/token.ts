// The token record kept in the vault, and its public view (the same record without the secret).
// Schemas live here so the vault, the CLI and the IPC contract validate against one definition.
import { z } from 'zod';
import { DEFAULT_SETTINGS, SETTINGS_RULES, TOKEN_KINDS } from './token-model.js';

export const TokenKind = z.enum(TOKEN_KINDS);
export type TokenKind = z.infer<typeof TokenKind>;

const isoDate = z.string().min(1);

export const AuthorizedUser = z.object({
  id: z.string().optional(),
  email: z.string().optional(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
});
export type AuthorizedUser = z.infer<typeof AuthorizedUser>;

export const SiteInfo = z.object({
  id: z.string(),
  displayName: z.string().optional(),
  shortName: z.string().optional(),
});
export type SiteInfo = z.infer<typeof SiteInfo>;

export const LastTest = z.object({
  at: isoDate,
  ok: z.boolean(),
  httpStatus: z.number().int().nullable(),
  /** Webflow's error code as sent, or the project's own (`network`, `timeout`, `malformed_response`). */
  code: z.string().nullable(),
  message: z.string(),
  latencyMs: z.number().nonnegative(),
  rateLimit: z.number().int().nullable(),
  rateLimitRemaining: z.number().int().nullable(),
  /** Which requests the result rests on, for troubleshooting; absent in tests recorded before it existed. */
  requests: z.array(z.string()).optional(),
});
export type LastTest = z.infer<typeof LastTest>;

const recordFields = {
  id: z.string().min(4),
  label: z.string().min(1),
  kind: TokenKind,
  scopes: z.array(z.string()),
  siteIds: z.array(z.string()),
  sites: z.array(SiteInfo).default([]),
  workspaceIds: z.array(z.string()),
  authorizedUser: AuthorizedUser.nullable().default(null),
  grantType: z.string().nullable().default(null),
  createdOn: isoDate.nullable(),
  lastUsedAt: isoDate.nullable(),
  addedAt: isoDate,
  lastLocalUseAt: isoDate.nullable(),
  lastTest: LastTest.nullable(),
  testHistory: z.array(LastTest).default([]),
  expiresAt: isoDate.nullable(),
  revokePendingSince: isoDate.nullable(),
  notes: z.string().default(''),
  tags: z.array(z.string()).default([]),
  oauthAppId: z.string().nullable().default(null),
};

/** A live token as stored (secret included). */
export const StoredToken = z.object({ ...recordFields, secret: z.string().min(1) });
export type StoredToken = z.infer<typeof StoredToken>;

/** What leaves the vault: every field but the secret. */
export const PublicToken = z.object(recordFields);
export type PublicToken = z.infer<typeof PublicToken>;

/** What is left of a revoked token: enough to remember it existed, nothing to use. */
export const Tombstone = z.object({
  id: z.string().min(4),
  label: z.string(),
  kind: TokenKind,
  revokedAt: isoDate,
});
export type Tombstone = z.infer<typeof Tombstone>;

/** An OAuth Data Client app profile; the client secret is a secret like a token's. */
export const StoredOAuthApp = z.object({
  id: z.string().min(4),
  name: z.string().min(1),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  redirectUri: z.string().min(1),
  scopes: z.array(z.string()),
  addedAt: isoDate,
});
export type StoredOAuthApp = z.infer<typeof StoredOAuthApp>;
export const PublicOAuthApp = StoredOAuthApp.omit({ clientSecret: true });
export type PublicOAuthApp = z.infer<typeof PublicOAuthApp>;

function ruled(name: keyof typeof SETTINGS_RULES) {
  const rule = SETTINGS_RULES[name];
  return z.number().int().min(rule.min).max(rule.max).default(rule.default);
}

export const Settings = z.object({
  clipboardClearSeconds: ruled('clipboardClearSeconds'),
  rotationReminderDays: ruled('rotationReminderDays'),
  autoLockMinutes: ruled('autoLockMinutes'),
  trayOnClose: z.boolean().default(DEFAULT_SETTINGS.trayOnClose),
  launchAtLogin: z.boolean().default(DEFAULT_SETTINGS.launchAtLogin),
});
export type Settings = z.infer<typeof Settings>;

/** The decrypted vault contents. */
export const VaultData = z.object({
  tokens: z.array(StoredToken).default([]),
  tombstones: z.array(Tombstone).default([]),
  apps: z.array(StoredOAuthApp).default([]),
  settings: Settings.default({ ...DEFAULT_SETTINGS }),
  /**
   * Team members' private keys in passphrase mode, by team account (see main/team/vault-keychain.ts):
   * secrets like the tokens, kept here because such a machine may have no OS keychain at all.
   */
  teamKeys: z.record(z.string(), z.string().min(1)).optional(),
});
export type VaultData = z.infer<typeof VaultData>;
