// The teams as the window and the tray read them. A read decrypts every team token, so callers
// with no change between them share one read (the window and the tray reload together after a
// change), and the tray keeps what it read until the next change instead of reading again on each
// tick of its clock; after a few minutes it reads anyway, for changes made elsewhere (a sync in a
// terminal), and a read in which a team could not be read is not kept. A change made through the
// app's calls counts from the moment the call starts, and a sync when it ends: a read begun before
// a change is never handed to a caller after it, a lock included.
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
    // A team that could not be read may be passing (a keychain that timed out, a read during a
    // merge): asked again at the next tick rather than kept.
    const passing = reply.teams.some((t) => t.error && t.error.code !== 'team_not_member');
    if (generation === this.generation && !passing) this.trayCopy = { generation, at: this.nowMs(), reply };
    return reply;
  }
}
