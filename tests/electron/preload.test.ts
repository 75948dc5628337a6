// The preload exposes named functions only: no ipcRenderer, no event objects, `{}` for empty calls.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { contextBridge, ipcRenderer } = await import('./electron-mock.js');
await import('../../preload/preload.js');
const { CALL_CHANNELS, EVENT_CHANNELS } = await import('../../preload/channels.js');

type Api = Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
const api = contextBridge.exposed.get('wfvault') as Api;

describe('preload', () => {
  it('exposes one object, window.wfvault, made only of functions', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['wfvault']);
    const leaves = Object.values(api).flatMap((ns) => Object.values(ns));
    expect(leaves.length).toBe(CALL_CHANNELS.length + EVENT_CHANNELS.length);
    for (const leaf of leaves) expect(typeof leaf).toBe('function');
    const text = JSON.stringify(Object.keys(api)) + JSON.stringify(Object.values(api).map((ns) => Object.keys(ns)));
    expect(text).not.toMatch(/ipcRenderer|invoke|send|on\b/);
    expect(Object.keys(api).sort()).toEqual(['events', 'oauth', 'oauthApps', 'settings', 'teams', 'tokens', 'vault']);
  });

  it('sends {} for calls without arguments and resolves with the value', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { tokens: [], tombstones: [] } });
    expect(await api.tokens!.list!()).toEqual({ tokens: [], tombstones: [] });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('tokens:list', {});
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, value: { clearsInSeconds: 30 } });
    await api.tokens!.copy!({ id: 'abcd123456' });
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith('tokens:copy', { id: 'abcd123456' });
  });

  it('rejects with a plain { code, message } so the code survives contextBridge', async () => {
    ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'vault_locked', message: 'Locked.' } });
    const error = await api.vault!.status!().catch((e: unknown) => e);
    expect(error).toEqual({ code: 'vault_locked', message: 'Locked.' });
    expect(error).not.toBeInstanceOf(Error);
    ipcRenderer.invoke.mockResolvedValueOnce('garbage');
    expect(await api.vault!.status!().catch((e: unknown) => e)).toMatchObject({ code: 'failed' });
  });

  it('passes subscribers the payload only, and unsubscribes', () => {
    const listener = vi.fn();
    const off = api.events!.onTestProgress!(listener) as unknown as () => void;
    ipcRenderer.emit('event:testProgress', { sender: ipcRenderer, senderFrame: {} }, { done: 1, total: 2 });
    expect(listener).toHaveBeenCalledWith({ done: 1, total: 2 });
    expect(listener.mock.calls[0]).toHaveLength(1);
    off();
    ipcRenderer.emit('event:testProgress', {}, { done: 2, total: 2 });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(() => api.events!.onVaultChanged!('not a function')).toThrow(TypeError);
  });
});
