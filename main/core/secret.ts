// Rules for a secret typed or piped in (README, The `wfvault` command).
import { AppError } from './errors.js';

export const MAX_SECRET_BYTES = 4096;

/**
 * Trims surrounding whitespace (a paste often brings a space, a tab or `\r\n` along, and the
 * window and `gh auth login --with-token` accept that) and rejects anything that cannot be a
 * token. The messages say what is wrong without echoing the value.
 */
export function normalizeSecret(raw: string, what = 'token'): string {
  if (raw.includes('\uFFFD')) {
    throw new AppError('invalid_secret', `The ${what} is not valid UTF-8 text (it holds bytes no text encoding allows, or a replacement character). Copy it again from Webflow.`);
  }
  const value = raw.replace(/^\s+|\s+$/gu, '');
  if (value.length === 0) throw new AppError('invalid_secret', `The ${what} is empty: pipe it on stdin or type it at the prompt.`);
  if (new TextEncoder().encode(value).length > MAX_SECRET_BYTES) {
    throw new AppError('invalid_secret', `The ${what} is longer than ${MAX_SECRET_BYTES} bytes; Webflow tokens are much shorter. Check what was piped in.`);
  }
  // eslint-disable-next-line no-control-regex
  const bad = /[\s\u0000-\u001f\u007f-\u009f]/u.exec(value);
  if (bad) {
    const where = bad.index + 1;
    const kind = /\s/u.test(bad[0]) && bad[0] !== '\n' && bad[0] !== '\r' ? 'whitespace' : 'a control character';
    throw new AppError('invalid_secret', `The ${what} contains ${kind} at position ${where}; a token is one word. Only whitespace around it is trimmed.`);
  }
  return value;
}

/** Decodes piped bytes, refusing invalid UTF-8 instead of storing replacement characters. */
export function decodeSecretBytes(bytes: Uint8Array, what = 'token'): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AppError('invalid_secret', `The ${what} is not valid UTF-8 text. Copy it again from Webflow; nothing was stored.`);
  }
}
