// The window's only way out: the API the preload (or a harness) put on `window.wfvault`. Only
// types come from the contract, so no schema library or main-process code ends up in the bundle.
import type { ApiError, WfvaultApi } from '../../../preload/contract.js';
import { VAULT_UNAVAILABLE_CODES } from '../../../main/core/errors.js';

export type { ApiError, WfvaultApi };

declare global {
  interface Window {
    wfvault?: WfvaultApi;
  }
}

export function getApi(): WfvaultApi | null {
  return window.wfvault ?? null;
}

export function isApiError(e: unknown): e is ApiError {
  return !!e && typeof e === 'object' && typeof (e as ApiError).code === 'string' && typeof (e as ApiError).message === 'string';
}

/** A sentence for any rejection; main already wrote ApiError messages for people. */
export function errorText(e: unknown): string {
  if (isApiError(e)) return e.message;
  return 'Something went wrong in the window. Try again; if it keeps happening, restart the app.';
}

export function errorCode(e: unknown): ApiError['code'] | null {
  return isApiError(e) ? e.code : null;
}

/**
 * Errors that mean "the vault is not open": the window goes back to the lock screen. A wrong
 * passphrase, a busy vault or a file-system failure (a full disk on save) is answered where it
 * happened instead.
 */
const VAULT_CODES: ReadonlySet<string> = new Set(VAULT_UNAVAILABLE_CODES.filter((c) => c !== 'wrong_passphrase' && c !== 'vault_busy' && c !== 'vault_io'));

export function isVaultError(e: unknown): boolean {
  return isApiError(e) && VAULT_CODES.has(e.code);
}
