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
  it('drops control characters (terminal escapes), collapses space and trailing full stops', () => {
    expect(serverText('Request \u001b[31mnot\u001b[0m\n authorized.  ', [])).toBe('Request [31mnot [0m authorized');
  });

  it('bounds the length', () => {
    expect(serverText('x'.repeat(1000), []).length).toBeLessThanOrEqual(300);
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
