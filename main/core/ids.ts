// Short, stable ids: 10 characters of Crockford-like base32 (no i, l, o, u), about 50 bits.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(taken: ReadonlySet<string> = new Set()): string {
  for (;;) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(10));
    let id = '';
    for (const b of bytes) id += ALPHABET[b & 31];
    if (!taken.has(id)) return id;
  }
}
