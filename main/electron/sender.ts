// Who may call main: only the top frame of the app window, showing the app's own origin. A
// sub-frame, another window, or a page that got navigated elsewhere is refused before any
// payload is looked at.
import { APP_ORIGIN, isAppUrl } from './origin.js';

/** The parts of Electron's WebFrameMain the check needs; a structural type keeps it testable. */
export interface FrameLike {
  readonly url: string;
  readonly origin?: string;
  readonly parent: FrameLike | null;
  readonly top: FrameLike | null;
  readonly processId?: number;
  readonly routingId?: number;
  isDestroyed?(): boolean;
}

export function isTrustedSender(frame: FrameLike | null | undefined, mainFrame: FrameLike | null | undefined): boolean {
  if (!frame || !mainFrame) return false;
  if (frame.isDestroyed?.()) return false;
  if (frame.parent !== null) return false;
  if (frame.top !== null && frame.top !== frame && !sameFrame(frame.top, frame)) return false;
  if (!sameFrame(frame, mainFrame)) return false;
  if (frame.origin !== undefined && frame.origin !== APP_ORIGIN) return false;
  return isAppUrl(frame.url);
}

function sameFrame(a: FrameLike, b: FrameLike): boolean {
  if (a === b) return true;
  return a.processId !== undefined && a.routingId !== undefined && a.processId === b.processId && a.routingId === b.routingId;
}
