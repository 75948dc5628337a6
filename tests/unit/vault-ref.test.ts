// The `wfvault://REF` format shared by env files, rewritten configs and `wfvault run`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { execRefs } from '../../main/core/exec-args.js';
import { formatVaultRef, isVaultRef, parseVaultRef } from '../../main/core/vault-ref.js';

describe('wfvault:// references', () => {
  it('writes ids as they are and percent-encodes labels', () => {
    expect(formatVaultRef('7k2m9q4x1a')).toBe('wfvault://7k2m9q4x1a');
    expect(formatVaultRef('Acme site')).toBe('wfvault://Acme%20site');
    expect(formatVaultRef('50% off #1 "q"')).toBe('wfvault://50%25%20off%20%231%20%22q%22');
    expect(formatVaultRef('Café')).toBe('wfvault://Caf%C3%A9');
    expect(() => formatVaultRef('')).toThrow();
  });

  it('reads back what it writes, for any label', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, unit: 'grapheme' }), (label) => {
        const formatted = formatVaultRef(label);
        expect(formatted).toMatch(/^wfvault:\/\/[A-Za-z0-9\-._~%]+$/);
        expect(parseVaultRef(formatted)).toEqual({ ok: true, ref: label });
      }),
    );
  });

  it('accepts literal spaces, refuses empty references and broken escapes, ignores other values', () => {
    expect(parseVaultRef('wfvault://Acme site')).toEqual({ ok: true, ref: 'Acme site' });
    expect(parseVaultRef('wfvault://')).toMatchObject({ ok: false });
    expect(parseVaultRef('wfvault://%zz')).toMatchObject({ ok: false, reason: expect.stringContaining('%') });
    expect(parseVaultRef('plain value')).toBeNull();
    expect(parseVaultRef('https://example.com')).toBeNull();
    expect(isVaultRef('wfvault://x')).toBe(true);
    expect(isVaultRef('WFVAULT://x')).toBe(false);
  });
});

describe('tokens named on a `wfvault exec` command line', () => {
  it('finds REF wherever the options put it, and every --env NAME=REF, up to the child command', () => {
    expect(execRefs(['7k2m9q4x1a', '--as', 'WEBFLOW_TOKEN', '--', 'npx', '-y', 'webflow-mcp-server@latest'])).toEqual([{ via: 'REF', ref: '7k2m9q4x1a', problem: null }]);
    expect(execRefs(['--vault-dir', '/v', '--as', 'X', 'Acme site', '--env', 'WS=wfvault://Acme%20ws', '--env=B=beta', '--mask', '--', 'node', 'other-ref'])).toEqual([
      { via: 'REF', ref: 'Acme site', problem: null },
      { via: 'WS', ref: 'Acme ws', problem: null },
      { via: 'B', ref: 'beta', problem: null },
    ]);
    expect(execRefs(['--', 'node'])).toEqual([]);
    expect(execRefs(['wfvault://%zz'])[0]).toMatchObject({ ref: null, problem: expect.any(String) });
  });
});
