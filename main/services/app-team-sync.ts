// Team sync on a timer while the vault is unlocked: the window's "on a timer" half of team sync
// (the other half is "Sync now"). The timer is armed on unlock and dropped on lock, so a locked
// app touches neither the keychain nor the remote.
import type { TimerHandle, TimerPort } from './app-ports.js';

export const TEAM_SYNC_MINUTES = 5;

export class TeamSyncTimer {
  private timer: TimerHandle | null = null;
  private run: (() => Promise<unknown>) | null = null;

  constructor(
    private readonly timers: TimerPort,
    readonly intervalMs = TEAM_SYNC_MINUTES * 60_000,
  ) {}

  /** What each tick does; set once by the handlers that own the sync. */
  setRun(run: () => Promise<unknown>): void {
    this.run = run;
  }

  get armed(): boolean {
    return this.timer !== null;
  }

  /** Arms the timer; already armed stays as it is, so every unlock event does not push it back. */
  start(): void {
    if (this.timer !== null || this.intervalMs <= 0) return;
    this.arm();
  }

  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    const handle = this.timers.setTimeout(() => {
      void (async () => {
        try {
          await this.run?.();
        } catch {
          /* each sync reports its own outcome; a failed tick must not stop the next one */
        }
        // Stopped (locked) while this sync ran: stay stopped.
        if (this.timer === handle) this.arm();
      })();
    }, this.intervalMs);
    this.timer = handle;
  }
}
