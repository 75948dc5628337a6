// Keeps the OS login item in step with the `launchAtLogin` setting. The setting lives in the
// encrypted vault, so it can only be applied once the vault is open: at start-up for a keychain
// vault, at the first unlock for a passphrase vault, and on every change after that. Until then
// the OS keeps whatever was applied on the last run.
import type { LoginItemPort } from './app-ports.js';

export class LoginItemSync {
  /** What the OS was last told in this run; null before the first apply or after a failed one. */
  private applied: boolean | null = null;

  constructor(
    private readonly port: LoginItemPort,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** Tells the OS only when the wish differs from what it was last told, so unlocks and unrelated setting changes cost nothing. */
  apply(launchAtLogin: boolean): void {
    if (this.applied === launchAtLogin) return;
    try {
      this.port.setOpenAtLogin(launchAtLogin);
      this.applied = launchAtLogin;
    } catch (e) {
      // The setting is saved either way; the next unlock or change tries again.
      this.applied = null;
      this.warn(`could not update the login item: ${e instanceof Error ? e.message : 'unknown error'}`);
    }
  }
}
