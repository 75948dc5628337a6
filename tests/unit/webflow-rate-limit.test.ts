import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateGate, rateHeaders, retryAfterMs } from '../../main/webflow/rate-limit.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': '60' }), NOW)).toBe(60_000);
    expect(retryAfterMs(new Headers({ 'Retry-After': '1.5' }), NOW)).toBe(1500);
  });

  it('reads Retry-After as an HTTP date, never negative', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Sun, 01 Mar 2026 12:00:30 GMT' }), NOW)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Sun, 01 Mar 2026 11:00:00 GMT' }), NOW)).toBe(0);
  });

  it('falls back to X-RateLimit-Reset, as epoch seconds or a delay', () => {
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': String(NOW / 1000 + 12) }), NOW)).toBe(12_000);
    expect(retryAfterMs(new Headers({ 'X-RateLimit-Reset': '5' }), NOW)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'whenever', 'X-RateLimit-Reset': '5' }), NOW)).toBe(5000);
  });

  it('is null when neither header helps', () => {
    expect(retryAfterMs(new Headers(), NOW)).toBeNull();
    expect(retryAfterMs(new Headers({ 'Retry-After': 'later' }), NOW)).toBeNull();
  });
});

describe('rateHeaders', () => {
  it('reads the limit and what is left, ignoring junk', () => {
    expect(rateHeaders(new Headers({ 'X-RateLimit-Limit': '120', 'X-RateLimit-Remaining': '0' }))).toEqual({ limit: 120, remaining: 0 });
    expect(rateHeaders(new Headers({ 'X-RateLimit-Limit': 'lots' }))).toEqual({ limit: null, remaining: null });
  });
});

describe('RateGate', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds the next call of a token whose window is spent, capped by the longest allowed wait', async () => {
    vi.useFakeTimers();
    const gate = new RateGate(5000);
    gate.observe('tok', 200, new Headers({ 'X-RateLimit-Remaining': '0', 'Retry-After': '60' }));
    let released = false;
    const waiting = gate.wait('tok').then(() => {
      released = true;
    });
    await vi.advanceTimersByTimeAsync(4900);
    expect(released).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    await waiting;
    expect(released).toBe(true);
  });

  it('lets other tokens, tokens with calls left, and 429s (retried elsewhere) through', async () => {
    const gate = new RateGate(60_000);
    gate.observe('a', 200, new Headers({ 'X-RateLimit-Remaining': '3', 'Retry-After': '60' }));
    gate.observe('b', 429, new Headers({ 'X-RateLimit-Remaining': '0', 'Retry-After': '60' }));
    gate.observe('c', 200, new Headers({ 'X-RateLimit-Remaining': '0', 'Retry-After': '60' }));
    await gate.wait('a');
    await gate.wait('b');
    await gate.wait('d');
  });

  it('gives up waiting when aborted', async () => {
    const gate = new RateGate(60_000);
    gate.observe('a', 200, new Headers({ 'X-RateLimit-Remaining': '0' }));
    const controller = new AbortController();
    const waiting = gate.wait('a', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});
