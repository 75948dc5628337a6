// Finding team tokens by REF without decrypting every token. Labels are encrypted with the rest of
// a token's record, so resolving a label would otherwise cost one age decryption per token in the
// team (about a second at 2,000 tokens) on every `exec`. This machine keeps the labels it has
// read beside the clone, encrypted with age to this member alone (labels name clients), each tied
// to the digest of the verified file it came from: a file changed since is decrypted again, so
// the index never answers for bytes it has not read. The token a REF picks is always decrypted,
// and its label checked against the index; an index that disagrees is dropped and every token
// read, as without one.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { writeFileDurably } from '../vault/atomic.js';
import { teamDir } from './local-state.js';
import { myRecipient, openPrivate, sealForMe } from './private-file.js';
import type { TokenFile } from './repo-files.js';
import type { Team, TeamToken } from './team.js';

interface IndexEntry {
  /** SHA-256 of the token file's ciphertext the label was read from. */
  digest: string;
  label: string;
}

interface IndexFile {
  v: 1;
  labels: Record<string, IndexEntry>;
}

function indexFile(team: Team): string {
  return path.join(teamDir(team.ctx.vaultDir, team.name), 'labels.age');
}

async function loadIndex(team: Team): Promise<Map<string, IndexEntry>> {
  const parsed = (await openPrivate(team, indexFile(team))) as Partial<IndexFile> | null;
  if (parsed?.v !== 1 || typeof parsed.labels !== 'object' || parsed.labels === null) return new Map();
  return new Map(Object.entries(parsed.labels).filter(([, e]) => typeof e?.digest === 'string' && typeof e.label === 'string'));
}

async function saveIndex(team: Team, entries: Map<string, IndexEntry>): Promise<void> {
  const recipient = myRecipient(team);
  if (!recipient) return;
  const body: IndexFile = { v: 1, labels: Object.fromEntries(entries) };
  try {
    // Two processes saving at once each write a whole, correct index; the later one stays.
    await writeFileDurably(indexFile(team), await sealForMe(recipient, body));
  } catch {
    // A read-only or full disk: the next lookup reads the tokens again, nothing is lost.
  }
}

/** The tokens of a team that this member reads, with labels known without decrypting them all. */
export class TeamLookup {
  private constructor(
    private readonly team: Team,
    /** Every token this member reads, by id: its label and the digest it was read from. */
    private readonly indexed: Map<string, IndexEntry>,
    /** The tokens decrypted so far (those the index did not answer for, and those picked). */
    private readonly decrypted: Map<string, TeamToken>,
  ) {}

  static async open(team: Team): Promise<TeamLookup> {
    const before = await loadIndex(team);
    const indexed = new Map<string, IndexEntry>();
    const unread: { file: TokenFile; digest: string }[] = [];
    for (const file of team.readableFiles()) {
      const digest = createHash('sha256').update(file.ciphertext).digest('hex');
      const known = before.get(file.id);
      if (known?.digest === digest) indexed.set(file.id, known);
      else unread.push({ file, digest });
    }
    const read = await team.decryptEach(unread.map((u) => u.file));
    const decrypted = new Map<string, TeamToken>();
    unread.forEach(({ file, digest }, i) => {
      decrypted.set(file.id, read[i]!);
      indexed.set(file.id, { digest, label: read[i]!.record.token.label });
    });
    if (indexed.size !== before.size || decrypted.size > 0) await saveIndex(team, indexed);
    return new TeamLookup(team, indexed, decrypted);
  }

  /** What a REF matches: every token this member reads, by id and label. */
  get refs(): { id: string; label: string }[] {
    return [...this.indexed].map(([id, { label }]) => ({ id, label }));
  }

  /**
   * The token with this id, decrypted; null when its file does not hold the label the index gave
   * (the index was damaged or written by hand). The index is then dropped, so the next lookup
   * reads every token again.
   */
  async token(id: string): Promise<TeamToken | null> {
    const t = this.decrypted.get(id) ?? (await this.team.read(id));
    this.decrypted.set(id, t);
    if (t.record.token.label === this.indexed.get(id)?.label) return t;
    await saveIndex(this.team, new Map());
    return null;
  }
}
