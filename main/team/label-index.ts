// Finding team tokens by REF without decrypting every token. Labels are encrypted with the rest of
// a token's record, so resolving a label would otherwise cost one age decryption per token in the
// team (about a second at 2,000 tokens) on every `exec`. This machine keeps the labels it has
// read beside the clone, encrypted with age to this member alone (labels name clients), each tied
// to the digest of the verified file it came from: a file changed since is decrypted again, so
// the index never answers for bytes it has not read. The token a REF picks is always decrypted,
// and its label checked against the index; an index that disagrees is dropped and every token
// read, as without one.
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Encrypter } from 'age-encryption';
import { writeFileDurably } from '../vault/atomic.js';
import { teamDir } from './local-state.js';
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

function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function loadIndex(team: Team): Promise<Map<string, IndexEntry>> {
  try {
    const bytes = await readFile(indexFile(team));
    const parsed = JSON.parse(await (await team.decrypter()).decrypt(bytes, 'text')) as IndexFile;
    if (parsed.v !== 1 || typeof parsed.labels !== 'object' || parsed.labels === null) return new Map();
    return new Map(Object.entries(parsed.labels).filter(([, e]) => typeof e?.digest === 'string' && typeof e.label === 'string'));
  } catch {
    // Missing, from other keys, or damaged: a cache that starts over.
    return new Map();
  }
}

async function saveIndex(team: Team, entries: Map<string, IndexEntry>): Promise<void> {
  const me = team.roster.members.get(team.state.me.fingerprint);
  if (!me) return;
  const enc = new Encrypter();
  enc.addRecipient(me.recipient);
  const body: IndexFile = { v: 1, labels: Object.fromEntries(entries) };
  const file = indexFile(team);
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    // Two processes saving at once each write a whole, correct index; the later one stays.
    await writeFileDurably(file, await enc.encrypt(JSON.stringify(body)));
  } catch {
    // A read-only or full disk: the next lookup reads the tokens again, nothing is lost.
  }
}

/** The tokens of a team that this member reads, with labels known without decrypting them all. */
export class TeamLookup {
  private constructor(
    private readonly team: Team,
    /** Every token this member reads, by id and label (what a REF matches). */
    readonly refs: readonly { id: string; label: string }[],
    private readonly decrypted: Map<string, TeamToken>,
    private readonly indexed: Map<string, IndexEntry>,
  ) {}

  static async open(team: Team): Promise<TeamLookup> {
    const me = team.state.me.fingerprint;
    const before = await loadIndex(team);
    const indexed = new Map<string, IndexEntry>();
    const decrypted = new Map<string, TeamToken>();
    const refs: { id: string; label: string }[] = [];
    for (const file of team.files.values()) {
      if (!file.sig.readers.includes(me)) continue;
      const digest = digestOf(file.ciphertext);
      let label = before.get(file.id)?.digest === digest ? before.get(file.id)!.label : null;
      if (label === null) {
        const t = await team.read(file.id);
        decrypted.set(file.id, t);
        label = t.record.token.label;
      }
      indexed.set(file.id, { digest, label });
      refs.push({ id: file.id, label });
    }
    const changed = indexed.size !== before.size || decrypted.size > 0;
    if (changed) await saveIndex(team, indexed);
    return new TeamLookup(team, refs, decrypted, indexed);
  }

  /** The token with this id, decrypted; its label must be the one the index gave. */
  async token(id: string): Promise<TeamToken> {
    const t = this.decrypted.get(id) ?? (await this.team.read(id));
    this.decrypted.set(id, t);
    if (t.record.token.label !== this.indexed.get(id)?.label) throw new StaleIndex();
    return t;
  }

  /** Drops this machine's index, so the next lookup reads every token again. */
  async forget(): Promise<void> {
    await saveIndex(this.team, new Map());
  }
}

/** The index named a label that the token's file does not hold (damaged, or written by hand). */
export class StaleIndex extends Error {
  constructor() {
    super('the label index of this team does not match its tokens');
  }
}
