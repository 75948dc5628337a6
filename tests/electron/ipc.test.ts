// The sender check every ipcMain.handle goes through, and the wrapper that applies it first.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { ipcMain } = await import('./electron-mock.js');
const { guardedHandler, registerIpc, REFUSED } = await import('../../main/electron/ipc.js');
const { isTrustedSender } = await import('../../main/electron/sender.js');
const { CALL_CHANNELS } = await import('../../preload/channels.js');
const { dispatchCall } = await import('../../main/services/ipc-dispatch.js');

type Frame = { url: string; origin?: string; parent: Frame | null; top: Frame | null; processId?: number; routingId?: number; isDestroyed?: () => boolean };

function topFrame(url = 'app://vault/index.html', origin = 'app://vault'): Frame {
  const frame: Frame = { url, origin, parent: null, top: null, processId: 4, routingId: 1 };
  frame.top = frame;
  return frame;
}

describe('isTrustedSender', () => {
  const main = topFrame();

  it('accepts the top frame of the app window on app://vault', () => {
    expect(isTrustedSender(main, main)).toBe(true);
    // The same frame seen through another wrapper object.
    expect(isTrustedSender({ ...main, top: null }, main)).toBe(true);
  });

  it('refuses a null or missing frame', () => {
    expect(isTrustedSender(null, main)).toBe(false);
    expect(isTrustedSender(undefined, main)).toBe(false);
    expect(isTrustedSender(main, null)).toBe(false);
  });

  it('refuses a sub-frame, even one on the app origin', () => {
    const child: Frame = { url: 'app://vault/index.html', origin: 'app://vault', parent: main, top: main, processId: 4, routingId: 2 };
    expect(isTrustedSender(child, main)).toBe(false);
  });

  it('refuses foreign origins and other windows', () => {
    expect(isTrustedSender(topFrame('https://evil.example/', 'https://evil.example'), main)).toBe(false);
    const navigatedAway = { ...main, url: 'https://evil.example/' };
    expect(isTrustedSender(navigatedAway, navigatedAway)).toBe(false);
    expect(isTrustedSender(topFrame('app://other/index.html', 'app://other'), topFrame('app://other/index.html', 'app://other'))).toBe(false);
    expect(isTrustedSender(topFrame('file:///tmp/x.html', 'file://'), topFrame('file:///tmp/x.html', 'file://'))).toBe(false);
    const otherWindow = { ...topFrame(), processId: 9, routingId: 1 };
    expect(isTrustedSender(otherWindow, main)).toBe(false);
    // A URL on the app origin while the frame's real origin is something else.
    expect(isTrustedSender({ ...main, origin: 'null' }, main)).toBe(false);
  });

  it('refuses a destroyed frame', () => {
    const gone = { ...main, isDestroyed: () => true };
    expect(isTrustedSender(gone, gone)).toBe(false);
  });
});

describe('the one ipcMain wrapper', () => {
  it('registers every channel of the contract through the wrapper and nothing else', () => {
    registerIpc(ipcMain as never, vi.fn(), () => null);
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CALL_CHANNELS].sort());
  });

  it('checks the sender before looking at the payload', async () => {
    const main = topFrame();
    const call = vi.fn(async () => ({ ok: true, value: 'ran' }));
    const handler = guardedHandler('tokens:list', call, () => main);
    expect(await handler({ senderFrame: null }, {})).toEqual(REFUSED);
    expect(await handler({ senderFrame: topFrame('https://evil.example/', 'https://evil.example') as never }, {})).toEqual(REFUSED);
    expect(call).not.toHaveBeenCalled();
    expect(await handler({ senderFrame: main as never }, {})).toEqual({ ok: true, value: 'ran' });
    expect(call).toHaveBeenCalledWith('tokens:list', {});
  });

  it('from a trusted frame, malformed payloads still come back as typed errors (fuzz, 1000 runs)', async () => {
    const main = topFrame();
    const ran = vi.fn();
    const handlers = new Proxy({}, { get: () => ran }) as never;
    const handler = guardedHandler('tokens:copy', (channel, payload) => dispatchCall(handlers, channel, payload), () => main);
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (payload) => {
        const reply = (await handler({ senderFrame: main as never }, payload)) as { ok: boolean; error?: { code: string } };
        return reply.ok === false && reply.error?.code === 'usage';
      }),
      { numRuns: 1000 },
    );
    expect(ran).not.toHaveBeenCalled();
  });
});
