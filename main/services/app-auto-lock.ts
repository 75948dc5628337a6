// Locks the vault after a stretch without use, and at once when the computer locks its screen or
// goes to sleep. "Use" is what the app sees: calls from the window and clicks in the tray.
import type { TimerHandle, TimerPort } from './app-ports.js';

export type LockReason = 'idle' | 'system';

export class AutoLock {
  private timer: TimerHandle | null = null;
  private minutes: number;

  constructor(
    private readonly timers: TimerPort,
    private readonly lock: (reason: LockReason) => Promise<void> | void,
    minutes = 15,
  ) {
    this.minutes = minutes;
  }

  /** 0 turns the idle lock off; the lock on screen lock and sleep stays. */
  setMinutes(minutes: number): void {
    this.minutes = minutes;
    this.activity();
  }

  get idleMinutes(): number {
    return this.minutes;
  }

  activity(): void {
    this.cancel();
    if (this.minutes <= 0) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.run('idle');
    }, this.minutes * 60_000);
  }

  /** Screen locked or system suspending. */
  systemLocked(): Promise<void> {
    this.cancel();
    return this.run('system');
  }

  stop(): void {
    this.cancel();
  }

  private async run(reason: LockReason): Promise<void> {
    try {
      await this.lock(reason);
    } catch {
      /* a lock that fails leaves nothing worse than before; the next trigger tries again */
    }
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
