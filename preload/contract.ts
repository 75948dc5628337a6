// The IPC contract: channel names, a schema for every request, reply and event, the error shape,
// and the type of the API the window sees. Main validates against it; the preload and the browser
// harness build the API from it; the renderer only ever imports types from here.
import { z } from 'zod';
import { ERROR_CODES } from '../main/core/errors.js';
import { CALL_CHANNELS, EVENT_CHANNELS, type CallChannel, type EventChannel } from './channels.js';
import { EVENTS, REPLIES } from './contract-replies.js';
import { REQUESTS } from './contract-requests.js';

export { CALL_CHANNELS, EVENT_CHANNELS, EVENTS, REPLIES, REQUESTS };
export type { CallChannel, EventChannel };

export type RequestOf<C extends CallChannel> = z.input<(typeof REQUESTS)[C]>;
export type ParsedRequestOf<C extends CallChannel> = z.output<(typeof REQUESTS)[C]>;
export type ReplyOf<C extends CallChannel> = z.output<(typeof REPLIES)[C]>;
export type EventOf<E extends EventChannel> = z.output<(typeof EVENTS)[E]>;

/** Every code of core/errors.ts, as data, so a reply's code can be checked at run time. */
export const API_ERROR_CODES = ERROR_CODES;

/** How an error crosses the boundary: a stable code and a sentence for a person, nothing else. */
export const ApiError = z.object({ code: z.enum(API_ERROR_CODES), message: z.string() }).strict();
export type ApiError = z.infer<typeof ApiError>;

/** What travels over `ipcRenderer.invoke`: errors are data, so their code survives the trip. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---- The API on `window.wfvault` ----------------------------------------------------------

type Namespace<C extends string> = C extends `${infer N}:${string}` ? N : never;
type Method<C extends string> = C extends `${string}:${infer M}` ? M : never;
// zod 4 types the input of a strict empty object as Record<string, never>, whose keys are `string`.
type IsEmpty<T> = string extends keyof T ? true : [keyof T] extends [never] ? true : false;

/** A call: no argument when the request is empty; rejects with an `ApiError` (a plain object). */
export type ApiCall<C extends CallChannel> =
  IsEmpty<RequestOf<C>> extends true ? () => Promise<ReplyOf<C>> : (request: RequestOf<C>) => Promise<ReplyOf<C>>;

export type Unsubscribe = () => void;

export type WfvaultApi = {
  [N in Namespace<CallChannel>]: { [C in CallChannel as Namespace<C> extends N ? Method<C> : never]: ApiCall<C> };
} & {
  events: {
    onVaultChanged(listener: (e: EventOf<'event:vaultChanged'>) => void): Unsubscribe;
    onTestProgress(listener: (e: EventOf<'event:testProgress'>) => void): Unsubscribe;
    onOauthProgress(listener: (e: EventOf<'event:oauthProgress'>) => void): Unsubscribe;
    onShowToken(listener: (e: EventOf<'event:showToken'>) => void): Unsubscribe;
    onTeamSync(listener: (e: EventOf<'event:teamSync'>) => void): Unsubscribe;
  };
};
