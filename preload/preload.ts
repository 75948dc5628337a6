// The sandboxed preload: exposes named functions and subscriptions on `window.wfvault`, never
// ipcRenderer itself nor its event objects. Bundled to one CommonJS file by
// scripts/build-electron.js, because sandboxed preloads cannot load ES modules.
import { contextBridge, ipcRenderer } from 'electron';
import { buildApi } from './bridge.js';
import { API_GLOBAL } from './channels.js';

const api = buildApi({
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (channel, listener) => {
    const handler = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
});

contextBridge.exposeInMainWorld(API_GLOBAL, api);
