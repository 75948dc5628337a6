// Rules for a secret typed or piped in (README, The `wfvault` command).
import { AppError } from './errors.js';

export const MAX_SECRET_BYTES = 4096;

/**
 * Trims one trailing newline and rejects anything that cannot be a token. The messages say what
 * is wrong without echoing the value.
 */
export function normalizeSecret(raw: string, what = 'token'): string {
  const value = raw.endsWith('\r\n') ? raw.slice(0, -2) : raw.endsWith('\n') ? raw.slice(0, -1) : raw;
  if (value.length === 0) throw new AppError('invalid_secret', `The ${what} is empty: pipe it on stdin or type it at the prompt.`);
  if (new TextEncoder().encode(value).length > MAX_SECRET_BYTES) {
    throw new AppError('invalid_secret', `The ${what} is longer than ${MAX_SECRET_BYTES} bytes; Webflow tokens are much shorter. Check what was piped in.`);
  }
  // eslint-disable-next-line no-control-regex
  const bad = /[\s\u0000-\u001f\u007f]/u.exec(value);
  if (bad) {
    const where = bad.index + 1;
    const kind = /\s/u.test(bad[0]) && bad[0] !== '\n' && bad[0] !== '\r' ? 'whitespace' : 'a control character';
    throw new AppError('invalid_secret', `The ${what} contains ${kind} at position ${where}; a token is one word. Only one trailing newline is trimmed.`);
  }
  return value;
}
