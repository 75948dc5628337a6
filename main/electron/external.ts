// The only way a link leaves the app: the Webflow pages it opens, through the system browser. The
// URL handed on is the one that was checked (re-serialised), never the raw string, so a parser
// difference between the check and the browser launcher cannot smuggle another target through.
import { shell } from 'electron';
import { checkedExternalUrl, isAllowedExternalUrl } from '../core/external-url.js';

export { isAllowedExternalUrl };

export async function openExternalSafe(url: string): Promise<boolean> {
  const checked = checkedExternalUrl(url);
  if (checked === null) return false;
  try {
    await shell.openExternal(checked);
    return true;
  } catch {
    return false;
  }
}

/** Opens the login's private redirect page (see services/redirect-page.ts) with the default browser. */
export async function openLocalPage(path: string): Promise<boolean> {
  if (!/\.html$/.test(path)) return false;
  try {
    // openPath resolves to an error message, or '' once the page was handed to its application.
    return (await shell.openPath(path)) === '';
  } catch {
    return false;
  }
}
