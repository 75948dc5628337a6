import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactDeep, serverCode, serverText } from '../../main/webflow/redact.js';

const TOKEN = '0123456789abcdef'.repeat(4);

describe('redact', () => {
  it('replaces every copy of a secret and any bearer credential', () => {
    expect(redact(`bad token ${TOKEN}; again ${TOKEN}`, [TOKEN])).toBe('bad token [redacted]; again [redacted]');
    expect(redact('Authorization: Bearer something-else', [])).toBe('Authorization: Bearer [redacted]');
  });

  it('leaves text alone when there is nothing to hide, and ignores very short secrets', () => {
    expect(redact('Request not authorized', [TOKEN, 'a'])).toBe('Request not authorized');
  });

  it('never returns a text that still contains a secret', () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9_\-[\]]{6,40}$/);
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), fc.string(), (s, a, b, c) => {
        const out = redact(`${a}${s}${b}${s}${c}`, [s]);
        expect(out.includes(s)).toBe(false);
      }),
    );
  });

  it('withholds a text where replacing would splice the secret back together', () => {
    const secret = ']x[redacted]';
    expect(redact(`[redacted${secret}x[redacted]`, [secret])).not.toContain(secret);
  });
});

describe('redact: encoded and partial echoes', () => {
  const secret = 'f3a9c0d1e2b34a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3';
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const b64url = (s: string) => Buffer.from(s).toString('base64url');
  const forms: Record<string, string> = {
    exact: secret,
    'upper-cased': secret.toUpperCase(),
    'mixed case': secret.slice(0, 30).toUpperCase() + secret.slice(30),
    base64: b64(secret),
    'base64 of the header': b64(`Bearer ${secret}`),
    'base64 at offset 1': b64(`x${secret}`),
    'base64 at offset 2': b64(`xy${secret}`),
    base64url: b64url(`:${secret}?`),
    'percent-encoded': [...secret].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join(''),
    'partly percent-encoded': secret.slice(0, 20) + encodeURIComponent('%') + [...secret.slice(20)].map((c) => `%${c.charCodeAt(0).toString(16)}`).join(''),
    'cut to 12': secret.slice(17, 29),
    'cut to 20 and upper-cased': secret.slice(40, 60).toUpperCase(),
  };

  it.each(Object.entries(forms))('hides the %s form', (_name, echo) => {
    const out = redact(`token ${echo} is not valid`, [secret]);
    expect(out).toContain('[redacted]');
    expect(out).toMatch(/^token .*is not valid$/);
    expect(out.toLowerCase()).not.toContain(secret.slice(17, 29));
    expect(out).not.toContain(echo);
  });

  it('matches a chosen passphrase only as it is, so its words stay readable elsewhere', () => {
    expect(redact('Wrong passphrase for the vault', ['wrong passphrase'])).toBe('Wrong passphrase for the vault');
    expect(redact('you typed wrong passphrase', ['wrong passphrase'])).toBe('you typed [redacted]');
  });

  it('keeps text that shares fewer than 12 characters with the secret', () => {
    expect(redact(`id ${secret.slice(0, 11)} ok`, [secret])).toBe(`id ${secret.slice(0, 11)} ok`);
    expect(redact('Request not authorized', [secret])).toBe('Request not authorized');
  });

  it('serverText keeps no long key-like run and stays short', () => {
    const out = serverText(`bad: ${'Zm9vYmFy'.repeat(8)} and ${'x'.repeat(500)}`, []);
    expect(out).not.toMatch(/Zm9vYmFy/);
    expect(out.length).toBeLessThanOrEqual(200);
  });
});

describe('redactDeep', () => {
  it('scrubs strings at any depth and keeps the rest', () => {
    expect(redactDeep({ a: [TOKEN, 1, { b: `x${TOKEN}` }], n: null, t: true }, [TOKEN])).toEqual({
      a: ['[redacted]', 1, { b: 'x[redacted]' }],
      n: null,
      t: true,
    });
  });
});

describe('serverText', () => {
  it('drops control characters (terminal escapes) and bidi overrides, collapses space and trailing full stops', () => {
    expect(serverText('Request \u001b[31mnot\u001b[0m\n authorized.  ', [])).toBe('Request [31mnot [0m authorized');
    expect(serverText('evil\u202egnp.exe \u009b2J\u2066x', [])).toBe('evilgnp.exe 2Jx');
  });

  it('bounds the length', () => {
    expect(serverText('x '.repeat(1000), []).length).toBeLessThanOrEqual(200);
  });

  it('is empty for nothing', () => {
    expect(serverText(null, [])).toBe('');
    expect(serverText(undefined, [])).toBe('');
  });
});

describe('serverCode', () => {
  it('keeps identifiers and drops anything else', () => {
    expect(serverCode('not_authorized')).toBe('not_authorized');
    expect(serverCode('missing_scopes')).toBe('missing_scopes');
    expect(serverCode('<script>')).toBeNull();
    expect(serverCode('has space')).toBeNull();
    expect(serverCode(401)).toBeNull();
  });
});
