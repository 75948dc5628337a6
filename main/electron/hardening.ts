// What the window's web contents and session may not do: navigate away, open windows, attach
// webviews, or get any permission (camera, notifications, clipboard reads, ...). Allowed Webflow
// links go to the system browser instead.
import type { Session, WebContents } from 'electron';
import { isAllowedExternalUrl } from '../core/external-url.js';

export type OpenExternal = (url: string) => Promise<boolean>;

export function hardenWebContents(contents: WebContents, openExternal: OpenExternal): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (isAllowedExternalUrl(url)) void openExternal(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
