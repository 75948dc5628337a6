// Copy-and-clear with a fake clipboard and fake timers: cleared when unchanged, kept when the user
// copied something else, cleared on quit.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClipboardGuard } from '../../main/services/app-clipboard.js';
import { realTimers, type ClipboardPort } from '../../main/services/app-ports.js';

const SECRET = '5e171e15e171e15e171e15e171e15e171e15e171e15e171e15e171e15e171e1';

function fakeClipboard() {
  const state = { text: '', concealedWrites: 0, clears: 0 };
  const port: ClipboardPort = {
    writeConcealed: async (text) => {
      state.text = text;
      state.concealedWrites++;
    },
    readText: async () => state.text,
    clear: async () => {
      state.text = '';
      state.clears++;
    },
  };
  return { port, state };
}

describe('ClipboardGuard', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('clears after the configured seconds when the clipboard still holds the token', async () => {
    const { port, state } = fakeClipboard();
    const guard = new ClipboardGuard(port, realTimers);
    expect(await guard.copy(SECRET, 30)).toEqual({ clearsInSeconds: 30 });
    expect(state).toMatchObject({ text: SECRET, concealedWrites: 1 });
    await vi.advanceTimersByTimeAsync(29_000);
    expect(state.text).toBe(SECRET);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(state).toMatchObject({ text: '', clears: 1 });
    expect(guard.holdsCopy).toBe(false);
  });

  it('keeps what the user copied afterwards', async () => {
    const { port, state } = fakeClipboard();
    const guard = new ClipboardGuard(port, realTimers);
    await guard.copy(SECRET, 30);
    state.text = 'the user copied this';
    await vi.advanceTimersByTimeAsync(30_000);
    expect(state).toMatchObject({ text: 'the user copied this', clears: 0 });
    // Quitting later does not touch it either.
    expect(await guard.dispose()).toBe(false);
    expect(state.text).toBe('the user copied this');
  });

  it('clears on quit, before the timer, when the token is still there', async () => {
    const { port, state } = fakeClipboard();
    const guard = new ClipboardGuard(port, realTimers);
    await guard.copy(SECRET, 600);
    expect(await guard.dispose()).toBe(true);
    expect(state).toMatchObject({ text: '', clears: 1 });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(state.clears).toBe(1);
  });

  it('restarts the countdown on a second copy and never holds the plaintext', async () => {
    const { port, state } = fakeClipboard();
    const guard = new ClipboardGuard(port, realTimers);
    await guard.copy('first-token-value', 30);
    await vi.advanceTimersByTimeAsync(20_000);
    await guard.copy(SECRET, 30);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(state.text).toBe(SECRET);
    expect(JSON.stringify(guard)).not.toContain(SECRET);
    expect(Object.values(guard).some((v) => v === SECRET)).toBe(false);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(state.text).toBe('');
  });

  it('does not clear when the clipboard cannot be read', async () => {
    const { port, state } = fakeClipboard();
    port.readText = async () => {
      throw new Error('clipboard busy');
    };
    const guard = new ClipboardGuard(port, realTimers);
    await guard.copy(SECRET, 5);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(state.clears).toBe(0);
  });
});
