// Every ipcMain.handle goes through `guardedHandler`: sender check first, then the contract's
// validation and the plain handler (AppSession.call), with errors mapped to `{ code, message }`.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CALL_CHANNELS } from '../../preload/channels.js';
import type { Envelope } from '../../preload/contract.js';
import { isTrustedSender, type FrameLike } from './sender.js';

export type Caller = (channel: string, payload: unknown) => Promise<unknown>;

export const REFUSED: Envelope<never> = {
  ok: false,
  error: { code: 'failed', message: 'Refused: the call did not come from the app window.' },
};

export function guardedHandler(channel: string, call: Caller, mainFrame: () => FrameLike | null | undefined) {
  return async (event: Pick<IpcMainInvokeEvent, 'senderFrame'>, payload: unknown): Promise<unknown> => {
    if (!isTrustedSender(event.senderFrame as FrameLike | null, mainFrame())) return REFUSED;
    return call(channel, payload);
  };
}

export function registerIpc(ipcMain: IpcMain, call: Caller, mainFrame: () => FrameLike | null | undefined): void {
  for (const channel of CALL_CHANNELS) ipcMain.handle(channel, guardedHandler(channel, call, mainFrame));
}
