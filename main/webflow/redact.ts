// Defence in depth: whatever the server sends back is scrubbed of the secrets that went out with
// the request before any of it reaches a message, a record or a log. A misbehaving or hostile
// server (or proxy) that echoes the Authorization header must not get the token into the vault's
// output.

import { cleanText } from '../core/safe-text.js';

export const REDACTED = '[redacted]';
const WITHHELD = '[text withheld]';
const MAX_TEXT = 200;

/** Secrets shorter than this are not searched for: they would match ordinary words. */
const MIN_SECRET_LENGTH = 6;
/** A run of this many characters of a secret counts as the secret: a cut-down echo still helps a guess. */
const FRAGMENT = 12;
/** The same for the secret's base64 forms, whose characters carry 6 bits each. */
const B64_FRAGMENT = 16;

const B64_CHAR = /[A-Za-z0-9+/_=-]/;

interface Needles {
  /** Secrets a person chose (a passphrase), searched whole and exactly: their words occur in ordinary text. */
  exact: string[];
  /** FRAGMENT-long pieces of key-like secrets (tokens, client secrets), lower-cased. */
  pieces: Set<string>;
  /** B64_FRAGMENT-long pieces of the base64 and base64url encodings, at every byte alignment. */
  b64: Set<string>;
}

/** Tokens and client secrets: long runs of printable characters without spaces. */
const KEY_LIKE = /^[\x21-\x7e]{16,}$/;

function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  // Inside a longer encoded text the secret may start at any of three byte offsets; the groups
  // that mix in neighbouring bytes (first and last) are left out, the middle is fixed.
  for (let k = 0; k < 3; k++) {
    const enc = Buffer.concat([Buffer.alloc(k), bytes]).toString('base64');
    const core = enc.slice(k === 0 ? 0 : 4, Math.floor((k + bytes.length) / 3) * 4);
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

function needlesFor(secrets: readonly string[]): Needles {
  const n: Needles = { exact: [], pieces: new Set(), b64: new Set() };
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    if (!KEY_LIKE.test(secret)) {
      n.exact.push(secret);
      continue;
    }
    const lower = secret.toLowerCase();
    for (let i = 0; i + FRAGMENT <= lower.length; i++) n.pieces.add(lower.slice(i, i + FRAGMENT));
    for (const core of base64Cores(secret)) for (let i = 0; i + B64_FRAGMENT <= core.length; i++) n.b64.add(core.slice(i, i + B64_FRAGMENT));
  }
  return n;
}

/**
 * Which characters of `text` belong to an echo of a secret: a key-like secret in any letter case,
 * cut to FRAGMENT or more characters, percent-encoded, or base64/base64url-encoded; any other
 * secret as it is.
 */
function echoMarks(text: string, n: Needles): boolean[] | null {
  // The text with %XX decoded, and where each decoded character came from.
  let decoded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length; ) {
    const m = text[i] === '%' ? /^%([0-9A-Fa-f]{2})/.exec(text.slice(i, i + 3)) : null;
    from.push(i);
    if (m) {
      decoded += String.fromCharCode(parseInt(m[1]!, 16));
      i += 3;
    } else {
      decoded += text[i];
      i += 1;
    }
    to.push(i);
  }
  const lower = decoded.toLowerCase();
  const marks = new Array<boolean>(text.length).fill(false);
  let any = false;
  const mark = (start: number, len: number) => {
    any = true;
    for (let j = from[start]!; j < to[start + len - 1]!; j++) marks[j] = true;
  };
  for (const w of n.exact) {
    for (let at = text.indexOf(w); at >= 0; at = text.indexOf(w, at + 1)) {
      any = true;
      for (let j = at; j < at + w.length; j++) marks[j] = true;
    }
  }
  if (n.pieces.size > 0) for (let i = 0; i + FRAGMENT <= lower.length; i++) if (n.pieces.has(lower.slice(i, i + FRAGMENT))) mark(i, FRAGMENT);
  if (n.b64.size > 0) {
    for (let i = 0; i + B64_FRAGMENT <= decoded.length; i++) {
      if (!n.b64.has(decoded.slice(i, i + B64_FRAGMENT))) continue;
      // The groups on either side mix the secret's first and last bytes with their neighbours.
      let start = i;
      let end = i + B64_FRAGMENT;
      while (start > 0 && i - start < 4 && B64_CHAR.test(decoded[start - 1]!)) start--;
      while (end < decoded.length && end - (i + B64_FRAGMENT) < 4 && B64_CHAR.test(decoded[end]!)) end++;
      mark(start, end - start);
    }
  }
  return any ? marks : null;
}

function replaceMarked(text: string, marks: boolean[]): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (!marks[i]) out += text[i];
    else if (i === 0 || !marks[i - 1]) out += REDACTED;
  }
  return out;
}

export function redact(text: string, secrets: readonly string[]): string {
  return redactWith(text, needlesFor(secrets));
}

function redactWith(text: string, needles: Needles): string {
  // Anything shaped like a credential header, whatever the value.
  let out = text.replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`);
  if (needles.exact.length === 0 && needles.pieces.size === 0) return out;
  const marks = echoMarks(out, needles);
  if (marks) out = replaceMarked(out, marks);
  // Replacing can splice a new copy together from the marker and its neighbours (only with
  // contrived secrets); a text that still holds one is withheld rather than trusted.
  if (echoMarks(out, needles)) return echoMarks(WITHHELD, needles) ? '' : WITHHELD;
  return out;
}

/** Scrubs every string in parsed JSON (values only; keys are the API's own field names). */
export function redactDeep(value: unknown, secrets: readonly string[]): unknown {
  // The needles once for the whole answer: building them per string cost more than the scrubbing.
  return redactDeepWith(value, needlesFor(secrets));
}

function redactDeepWith(value: unknown, needles: Needles): unknown {
  if (typeof value === 'string') return redactWith(value, needles);
  if (Array.isArray(value)) return value.map((v) => redactDeepWith(v, needles));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactDeepWith(v, needles);
    return out;
  }
  return value;
}

/**
 * Server text made fit for a sentence: secrets (and anything shaped like an encoded credential) removed, control characters (terminal escapes)
 * dropped, whitespace collapsed, length bounded, trailing punctuation left to the caller.
 */
export function serverText(text: string | null | undefined, secrets: readonly string[]): string {
  if (!text) return '';
  // Long runs of key-like characters are what an encoded credential looks like; a sentence for a
  // person needs none of them.
  let out = cleanText(redact(text, secrets))
    .replace(/[A-Za-z0-9+/_=-]{40,}/g, REDACTED)
    .replace(/\s+/g, ' ')
    .trim();
  if (out.length > MAX_TEXT) out = `${out.slice(0, MAX_TEXT - 1)}…`;
  return out.replace(/[.\s]+$/, '');
}

/** An error code from the server, kept only if it looks like one (`not_authorized`, ...). */
export function serverCode(code: unknown): string | null {
  if (typeof code !== 'string') return null;
  return /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/.test(code) ? code : null;
}
