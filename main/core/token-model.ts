// The parts of the token model that run on every command: constants, defaults and the public
// views. Kept free of the schema library so that `wfvault exec`, which only reads one secret,
// starts without loading it (the schemas are in token.ts, for validation at the boundaries).
import type { PublicOAuthApp, PublicToken, StoredOAuthApp, StoredToken, VaultData } from './token.js';

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

export function toPublic(token: StoredToken): PublicToken {
  // Destructure rather than delete so the secret is not carried along by accident.
  const { secret: _secret, ...rest } = token;
  return rest;
}

export function toPublicApp(app: StoredOAuthApp): PublicOAuthApp {
  const { clientSecret: _clientSecret, ...rest } = app;
  return rest;
}
