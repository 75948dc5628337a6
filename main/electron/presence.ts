// The OS's user-presence check for unlocking a keychain vault. Only macOS offers one to Electron
// (Touch ID); Electron has no Windows Hello API and Linux's Secret Service has none, so there the
// deliberate Unlock click is the whole check.
import { systemPreferences } from 'electron';
import type { PresencePort } from '../services/app-ports.js';

export const TOUCH_ID_REASON = 'unlock your Webflow tokens';

export const electronPresence: PresencePort = {
  async confirmPresence() {
    if (process.platform !== 'darwin' || !systemPreferences.canPromptTouchID()) return true;
    try {
      await systemPreferences.promptTouchID(TOUCH_ID_REASON);
      return true;
    } catch {
      // Cancelled, refused or failed: the reason is not ours to show, and the vault stays locked.
      return false;
    }
  },
};
