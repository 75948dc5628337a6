// A scan compares what it finds in files with the stored tokens by hash, so it keeps one hash per
// stored token while it walks a tree rather than every secret in plaintext.
import { createHash } from 'node:crypto';

export function secretHash(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
