// The teams as the window and the tray read them. A read decrypts every team token, so callers
// with no change between them share one read (the window and the tray reload together after a
// change), and the tray keeps what it read until the next change instead of reading again on each
// tick of its clock; after a few minutes it reads anyway, for changes made elsewhere (a sync in a
// terminal). A change counts from the moment it starts: a read begun before it is never handed to
// a caller after it, a lock included.
import type { ReplyOf } from '../../preload/contract.js';

type TeamsReply = ReplyOf<'teams:list'>;

/** How long the tray's copy lasts when nothing here changed. */
export const TRAY_COPY_MS = 5 * 60_000;

export class TeamReads {
  private generation = 0;
  private inFlight: { generation: number; read: Promise<TeamsReply> } | null = null;
  private trayCopy: { generation: number; at: number; reply: TeamsReply } | null = null;

  constructor(
    private readonly read: () => Promise<TeamsReply>,
    private readonly nowMs: () => number,
  ) {}

  /** Something may change what the teams hold (a call other than a read, a vault change): later reads start afresh. */
  changed(): void {
    this.generation++;
    this.inFlight = null;
    this.trayCopy = null;
  }

  list(): Promise<TeamsReply> {
    if (this.inFlight?.generation === this.generation) return this.inFlight.read;
    const entry = { generation: this.generation, read: this.read() };
    this.inFlight = entry;
    const done = () => {
      if (this.inFlight === entry) this.inFlight = null;
    };
    entry.read.then(done, done);
    return entry.read;
  }

  async forTray(): Promise<TeamsReply> {
    const copy = this.trayCopy;
    if (copy && copy.generation === this.generation && this.nowMs() - copy.at < TRAY_COPY_MS) return copy.reply;
    const generation = this.generation;
    const reply = await this.list();
    if (generation === this.generation) this.trayCopy = { generation, at: this.nowMs(), reply };
    return reply;
  }
}
