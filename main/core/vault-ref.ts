// The `wfvault://REF` reference that env files and rewritten configs hold in place of a secret.
// REF is what every command accepts (id, unique id prefix, or label); a label is percent-encoded so
// that spaces, quotes and `#` survive every .env dialect unquoted.

export const VAULT_REF_SCHEME = 'wfvault://';

// RFC 3986 unreserved characters stay as they are; every other byte of the UTF-8 form is encoded.
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const utf8 = new TextEncoder();

/** `wfvault://` followed by REF, percent-encoded where REF holds more than unreserved characters. */
export function formatVaultRef(ref: string): string {
  if (ref === '') throw new Error('A reference needs a label or id.');
  let encoded = '';
  for (const ch of ref) {
    if (UNRESERVED.test(ch)) encoded += ch;
    else for (const byte of utf8.encode(ch)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return VAULT_REF_SCHEME + encoded;
}

export function isVaultRef(value: string): boolean {
  return value.startsWith(VAULT_REF_SCHEME);
}

export type ParsedVaultRef = { ok: true; ref: string } | { ok: false; reason: string };

/**
 * The REF inside a `wfvault://` value. Literal spaces are accepted too (a hand-written file may
 * hold them); a malformed escape or an empty REF is refused with the reason, never guessed at.
 */
export function parseVaultRef(value: string): ParsedVaultRef | null {
  if (!isVaultRef(value)) return null;
  const body = value.slice(VAULT_REF_SCHEME.length);
  if (body.trim() === '') return { ok: false, reason: 'the reference names no token (expected wfvault://ID or wfvault://LABEL)' };
  let ref: string;
  try {
    ref = decodeURIComponent(body);
  } catch {
    return { ok: false, reason: 'the reference has a malformed %-escape (a label is written with %20 for a space, %25 for %)' };
  }
  return { ok: true, ref };
}
