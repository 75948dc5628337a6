// Constants of the token model: kinds and settings rules. Both the schemas (token.ts) and the
// schema-free code on the hot path (token-values.ts, the vault's checks) build on these.

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
