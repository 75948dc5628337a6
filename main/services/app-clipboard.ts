// Copying a secret the way password managers do: marked concealed, cleared after a while, but
// only while the clipboard still holds what we put there, so a user's own later copy is never
// wiped. Only a hash of the copied value is kept, never the value itself.
import type { ClipboardPort, TimerHandle, TimerPort } from './app-ports.js';
import { secretHash } from './secret-hash.js';

export class ClipboardGuard {
  private ownHash: string | null = null;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clipboard: ClipboardPort,
    private readonly timers: TimerPort,
  ) {}

  async copy(secret: string, clearAfterSeconds: number): Promise<{ clearsInSeconds: number }> {
    this.cancelTimer();
    await this.clipboard.writeConcealed(secret);
    this.ownHash = secretHash(secret);
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.clearIfOurs().catch(() => {
        /* the next copy or quit tries again */
      });
    }, clearAfterSeconds * 1000);
    return { clearsInSeconds: clearAfterSeconds };
  }

  /** Clears the clipboard if it still holds our copy; true when it did. */
  async clearIfOurs(): Promise<boolean> {
    const own = this.ownHash;
    if (own === null) return false;
    let current: string;
    try {
      current = await this.clipboard.readText();
    } catch {
      current = '';
    }
    // The user copied something else meanwhile: that is theirs, and our value is gone anyway.
    this.ownHash = null;
    if (current === '' || secretHash(current) !== own) return false;
    await this.clipboard.clear();
    return true;
  }

  /** For quit: nothing the app copied outlives it. */
  async dispose(): Promise<boolean> {
    this.cancelTimer();
    return this.clearIfOurs();
  }

  get holdsCopy(): boolean {
    return this.ownHash !== null;
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
