// Tokens are compared by hash so that scans and duplicate checks never hold two plaintext copies
// longer than needed, and so a hash can be logged or shown safely in tests.
import { createHash } from 'node:crypto';

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
