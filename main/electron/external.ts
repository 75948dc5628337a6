// The only way a link leaves the app: https pages on Webflow's hosts, through the system browser.
import { shell } from 'electron';
import { isAllowedExternalUrl } from '../core/external-url.js';

export { isAllowedExternalUrl };

export async function openExternalSafe(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  try {
    await shell.openExternal(url);
    return true;
  } catch {
    return false;
  }
}
