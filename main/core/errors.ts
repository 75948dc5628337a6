// One error type for every expected failure. Each carries a stable code (for JSON output, IPC and
// tests) and a message meant for a person. Messages never contain a secret: callers build them
// from labels, ids and Webflow's own error text only.

export const VAULT_UNAVAILABLE_CODES = [
  'vault_not_initialized',
  'vault_locked',
  'keychain_unavailable',
  'keychain_timeout',
  'keychain_key_missing',
  'passphrase_required',
  'wrong_key',
  'wrong_passphrase',
  'vault_tampered',
  'vault_truncated',
  'vault_unknown_version',
  'vault_corrupt',
  'vault_busy',
  // The vault's folder or files cannot be read or written (permissions, a full or read-only disk,
  // something that is not a file at a vault file's name): the vault is unavailable, as above.
  'vault_io',
] as const;

export const USAGE_CODES = ['usage', 'ref_not_found', 'ref_ambiguous'] as const;

export const NETWORK_CODES = ['network', 'timeout', 'malformed_response'] as const;

/** Every code an expected failure can carry; IPC replies and JSON output use these verbatim. */
export const ERROR_CODES = [
  ...VAULT_UNAVAILABLE_CODES,
  ...USAGE_CODES,
  ...NETWORK_CODES,
  'token_rejected',
  'rate_limited',
  'invalid_secret',
  'duplicate_token',
  // A label or an app profile name that another entry already has: a conflict with what is
  // stored, so it fails (exit 1) like a duplicate token, not a usage error.
  'name_taken',
  'already_initialized',
  'revoke_unconfirmed',
  'oauth_error',
  'not_found',
  'team_not_found',
  'team_not_member',
  'team_tampered',
  'team_rollback',
  'team_conflict',
  'team_git',
  'failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/**
 * The same failure as the window says it: where a message gives terminal advice (a flag, a
 * command to run again), the error carries the window's own wording in `details.window`. The
 * keychain's failures become one sentence with the fix, without the binding's D-Bus text.
 */
export function windowMessage(e: AppError): string {
  if (typeof e.details.window === 'string') return e.details.window;
  if (e.code === 'keychain_unavailable') {
    return /locked/iu.test(e.message)
      ? 'The system keychain is locked: unlock it (log in to your desktop session or unlock the login keyring), then try again.'
      : 'No system keychain answered: start and unlock it (on Linux a Secret Service such as GNOME Keyring, KWallet or KeePassXC), then try again.';
  }
  if (e.code === 'keychain_timeout') return 'The system keychain did not answer in time: it may be waiting for you to unlock it, so look for its prompt and try again.';
  return e.message;
}

/** Exit codes, as the README lists them. */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  rejected: 3,
  rateLimited: 4,
  vaultUnavailable: 5,
  network: 6,
  cancelled: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  if ((VAULT_UNAVAILABLE_CODES as readonly string[]).includes(code)) return EXIT.vaultUnavailable;
  if ((USAGE_CODES as readonly string[]).includes(code)) return EXIT.usage;
  if ((NETWORK_CODES as readonly string[]).includes(code)) return EXIT.network;
  if (code === 'token_rejected') return EXIT.rejected;
  if (code === 'rate_limited') return EXIT.rateLimited;
  return EXIT.failed;
}
