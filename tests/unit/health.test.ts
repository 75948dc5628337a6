// One failed check that never reached Webflow keeps the verdict of the check before it, and says so.
import { describe, expect, it } from 'vitest';
import { lastCheckFailure, tokenHealth } from '../../main/core/health.js';
import { toRow } from '../../renderer/src/lib/view.js';
import { lastTest, NOW, publicToken } from '../helpers/tokens.js';

const ok = lastTest({ at: '2026-05-30T10:00:00Z' });
const rejected = lastTest({ at: '2026-05-30T10:00:00Z', ok: false, httpStatus: 401, code: 'not_authorized' });
const network = lastTest({ at: '2026-05-31T10:00:00Z', ok: false, httpStatus: null, code: 'network', message: 'Could not reach Webflow' });
const timeout = lastTest({ at: '2026-05-31T11:00:00Z', ok: false, httpStatus: null, code: 'timeout', message: 'Webflow did not answer' });
const withTests = (...tests: ReturnType<typeof lastTest>[]) => publicToken({ lastTest: tests[0]!, testHistory: tests });

describe('health after a failed check', () => {
  it('a valid token that could not be reached stays valid, with the failure named', () => {
    const token = withTests(network, ok);
    expect(tokenHealth(token, NOW)).toBe('valid');
    expect(lastCheckFailure(token)).toBe('network');
    expect(lastCheckFailure(withTests(timeout, network, ok))).toBe('timeout');
    expect(tokenHealth(withTests(timeout, network, ok), NOW)).toBe('valid');
  });

  it('a rejected token that could not be reached stays failing', () => {
    const token = withTests(network, rejected);
    expect(tokenHealth(token, NOW)).toBe('failing');
    expect(lastCheckFailure(token)).toBe('network');
  });

  it('with no earlier verdict the token is unreachable, and nothing more is said', () => {
    expect(tokenHealth(withTests(network), NOW)).toBe('unreachable');
    expect(lastCheckFailure(withTests(network))).toBeNull();
    expect(lastCheckFailure(withTests(ok))).toBeNull();
    expect(lastCheckFailure(withTests(rejected, ok))).toBeNull();
  });

  it('the window row carries the failure next to the health', () => {
    const row = toRow(withTests(network, ok), NOW, 0);
    expect(row).toMatchObject({ health: 'valid', lastCheckFailed: 'network' });
  });
});
