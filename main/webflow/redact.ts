// Defence in depth: whatever the server sends back is scrubbed of the secrets that went out with
// the request before any of it reaches a message, a record or a log. A misbehaving or hostile
// server (or proxy) that echoes the Authorization header must not get the token into the vault's
// output.

export const REDACTED = '[redacted]';
const WITHHELD = '[text withheld]';
const MAX_TEXT = 300;

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 6;

export function redact(text: string, secrets: readonly string[]): string {
  // Anything shaped like a credential header, whatever the value.
  let out = text.replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`);
  const searched = secrets.filter((s) => s.length >= MIN_SECRET_LENGTH);
  for (const secret of searched) out = out.split(secret).join(REDACTED);
  // Replacing can splice a new copy together from the marker and its neighbours (only with
  // contrived secrets); a text that still holds one is withheld rather than trusted.
  const leaks = (s: string): boolean => searched.some((secret) => s.includes(secret));
  if (leaks(out)) return leaks(WITHHELD) ? '' : WITHHELD;
  return out;
}

/** Scrubs every string in parsed JSON (values only; keys are the API's own field names). */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeep(v, secrets);
    return out;
  }
  return value;
}

/**
 * Server text made fit for a sentence: secrets removed, control characters (terminal escapes)
 * dropped, whitespace collapsed, length bounded, trailing punctuation left to the caller.
 */
export function serverText(text: string | null | undefined, secrets: readonly string[]): string {
  if (!text) return '';
  // eslint-disable-next-line no-control-regex
  let out = redact(text, secrets).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim();
  if (out.length > MAX_TEXT) out = `${out.slice(0, MAX_TEXT - 1)}…`;
  return out.replace(/[.\s]+$/, '');
}

/** An error code from the server, kept only if it looks like one (`not_authorized`, ...). */
export function serverCode(code: unknown): string | null {
  if (typeof code !== 'string') return null;
  return /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/.test(code) ? code : null;
}
