// One team, opened: its verified member list, its verified token files, and the member's keys.
// Nothing from the repository is used before it verifies: the member list against the pinned
// team id and the last head this machine saw, every token file against a current member's
// signature over its ciphertext and id, and no older than the version this machine saw last.
// A signature checked once is remembered by a hash of all it covered (see SignatureCheck), so
// opening and syncing check only files that are new or changed.
import { Decrypter, Encrypter } from 'age-encryption';
import { mapBounded } from '../core/bounded-map.js';
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { entryHash, entrySignedText, tokenSignedText, verifyChain, type ChainEntry, type ChainOp, type TeamMember, type TeamRoster } from '../core/team-chain.js';
import { StoredToken } from '../core/token.js';
import type { Keychain } from '../vault/keychain.js';
import type { LockOptions } from '../vault/lock.js';
import { cloneGeneration, cloneLockFile, nextCloneGeneration, withCloneLock } from './clone-lock.js';
import { Git } from './git.js';
import { chainCrypto, identityKey, loadSecrets, memberFingerprint, parseIdentityFile, sha256Hex, signText, type KeysHome, type MemberSecrets } from './keys.js';
import { loadState, loadVerified, repoDir, saveState, saveVerified, type TeamState, type TokenSeen } from './local-state.js';
import { deleteTokenFile, listTokenIds, readChain, readTokenFiles, tokenIdOfPath, TOKEN_SIG_FORMAT, writeEntry, writeTokenFile, type Share, type TokenFile } from './repo-files.js';

/**
 * Token files decrypted or encrypted at once. age's X25519 runs on Node's thread pool (Web
 * Crypto): with a few files in flight the pool and this thread work at the same time instead of
 * in turns, which opens a team of 2,000 tokens in about two thirds of the time.
 */
export const AGE_IN_FLIGHT = 4;

export interface TeamContext {
  vaultDir: string;
  keychain: Keychain;
  /** The personal vault as a key store, for members whose vault is in passphrase mode. */
  vaultKeychain?: Keychain | null;
  /** Where a new member's keys go: the personal vault when it is in passphrase mode, else the OS keychain. */
  keysHome?: () => Promise<KeysHome>;
  now: () => Date;
  /** An age identity given to this run (WFVAULT_TEAM_IDENTITY_FILE, --identity-fd): used instead of the keychain. */
  identityText?: string | null;
  /** How a wait for a clone's lock is told (the CLI says whom it waits for), and whom others wait for. */
  lockOptions?: LockOptions;
}

/** The decrypted content of a token file. */
export interface TeamRecord {
  v: 1;
  token: StoredToken;
  /** Names of the members picked with --only; empty when shared with all. */
  only: string[];
  /** Removed members who could read this secret; cleared when the secret is replaced. */
  exposedTo: string[];
  writtenBy: string;
  writtenAt: string;
}

export interface TeamToken {
  record: TeamRecord;
  sig: TokenFile['sig'];
  /** Removed members the file is still encrypted to (re-encryption pending by a reader). */
  pendingExposure: string[];
}

export function keychainAccount(state: Pick<TeamState, 'teamId' | 'me'>): string {
  return `${state.teamId}:${state.me.fingerprint.replace(/ /gu, '')}`;
}

/** The store that holds (or is to hold) a member's keys. */
export function keyStore(ctx: TeamContext, home: KeysHome): Keychain {
  if (home === 'keychain') return ctx.keychain;
  if (!ctx.vaultKeychain) throw new AppError('vault_not_initialized', 'This team keeps its keys in your passphrase vault, which is not available here.');
  return ctx.vaultKeychain;
}

export class Team {
  private constructor(
    readonly ctx: TeamContext,
    public state: TeamState,
    readonly git: Git,
    public roster: TeamRoster,
    public files: Map<string, TokenFile>,
    private secrets: MemberSecrets | null,
    private readonly check: SignatureCheck,
    /**
     * The clone's change mark (see clone-lock.ts) when its files were last read with no change
     * running, or written by this process; null when they were read while another change ran.
     */
    private seenGeneration: string | null,
  ) {}

  /** The signature checks of this run (and the cache they started from). */
  get signatures(): SignatureCheck {
    return this.check;
  }

  get name(): string {
    return this.state.name;
  }

  get repo(): string {
    return repoDir(this.ctx.vaultDir, this.state.name);
  }

  get isMember(): boolean {
    return this.roster.members.has(this.state.me.fingerprint);
  }

  static async open(ctx: TeamContext, name: string): Promise<Team> {
    await loadState(ctx.vaultDir, name); // a team that is not here is named as such, not as a lock file that cannot be made
    const lockFile = cloneLockFile(ctx.vaultDir, name);
    // Busy, or a lock file that cannot be made (a read-only disk, where reading still works).
    const notLocked = (e: unknown): e is AppError => e instanceof AppError && ((e.code === 'vault_busy' && e.details.lock === lockFile) || (e.code === 'vault_io' && e.details.path === lockFile));
    // Read while no change runs, when none does; a change in progress (a sync waiting for a
    // remote that does not answer) is not waited for, and its files are read as they are.
    let team = await withCloneLock(ctx.vaultDir, name, () => Team.read(ctx, name, true), { ...ctx.lockOptions, waitMs: 0 }).catch((e: unknown) => {
      if (notLocked(e)) return null;
      throw e;
    });
    if (!team) {
      try {
        team = await Team.read(ctx, name, false);
      } catch (e) {
        if (!(e instanceof AppError && (e.code === 'team_tampered' || e.code === 'team_rollback'))) throw e;
        // Maybe half of that change (one file of a token written, a merge under way): read
        // again once it is done. What still fails then is real.
        team = await withCloneLock(ctx.vaultDir, name, () => Team.read(ctx, name, true), ctx.lockOptions).catch((again: unknown) => {
          throw notLocked(again) && again.code === 'vault_io' ? e : again;
        });
      }
    }
    await team.saveChecked();
    return team;
  }

  private static async read(ctx: TeamContext, name: string, settled: boolean): Promise<Team> {
    const generation = settled ? await cloneGeneration(ctx.vaultDir, name) : null;
    const state = await loadState(ctx.vaultDir, name);
    const repo = repoDir(ctx.vaultDir, name);
    const git = new Git(repo, { name: state.me.name, email: state.me.email });
    const check = new SignatureCheck(await loadVerified(ctx.vaultDir, name));
    const { roster, files } = await verifyRepo(repo, state, check);
    return new Team(ctx, state, git, roster, files, null, check, generation);
  }

  /**
   * Runs a change to the clone (write, commit, sync) holding the clone's lock. When another
   * change ran since this process read the clone, its state and files are read and verified
   * again first, so the change builds on what is there now (a token's version, the member list)
   * rather than on what was there when it was opened.
   */
  async change<T>(fn: () => Promise<T>): Promise<T> {
    return withCloneLock(
      this.ctx.vaultDir,
      this.name,
      async (taken) => {
        if (!taken) return fn();
        const generation = await cloneGeneration(this.ctx.vaultDir, this.name);
        if (generation === null || generation !== this.seenGeneration) {
          this.state = await loadState(this.ctx.vaultDir, this.name);
          await this.reverify();
        }
        try {
          return await fn();
        } finally {
          // Replaced even when `fn` failed: it may have changed the clone before it did.
          this.seenGeneration = await nextCloneGeneration(this.ctx.vaultDir, this.name);
        }
      },
      this.ctx.lockOptions,
    );
  }

  /**
   * Re-reads and verifies the working tree (after a merge or a local change). `changed` lists the
   * repository paths that changed since the last verification (from git); without it every file
   * is read again. Every file is checked either way: unchanged ones against the signature cache.
   */
  async reverify(changed?: readonly string[]): Promise<void> {
    const { roster, files } = await verifyRepo(this.repo, this.state, this.check, changed ? { files: this.files, changed } : undefined);
    this.roster = roster;
    this.files = files;
  }

  async rememberVerified(gitHead: string | null): Promise<void> {
    this.state = { ...this.state, chainHead: this.roster.head, gitHead: gitHead ?? this.state.gitHead, lastSyncAt: this.ctx.now().toISOString(), versions: seenVersions(this.state.versions, this.files) };
    await saveState(this.ctx.vaultDir, this.state);
    await this.saveChecked();
  }

  /** Stores the signatures checked in this run for the next one; losing them only costs time. */
  private async saveChecked(): Promise<void> {
    if (!this.check.dirty) return;
    this.check.dirty = false;
    await saveVerified(this.ctx.vaultDir, this.name, this.check.keysOf(this.files.values())).catch(() => undefined);
  }

  requireMember(): TeamMember {
    const me = this.roster.members.get(this.state.me.fingerprint);
    if (me) return me;
    if (this.roster.removed.has(this.state.me.fingerprint)) throw new AppError('team_not_member', `You were removed from team ${this.name}.`);
    throw new AppError(
      'team_not_member',
      `You are not a member of team ${this.name} yet: send your join request to a member (\`wfvault team join\` printed it), then run \`wfvault team sync --team ${this.name}\` once they admitted you.`,
    );
  }

  requireHuman(): TeamMember {
    const me = this.requireMember();
    if (me.machine) throw new AppError('team_not_member', `${me.name} is a machine member of team ${this.name}: it reads tokens and changes nothing.`);
    return me;
  }

  async keys(): Promise<MemberSecrets> {
    if (this.secrets) return this.secrets;
    if (this.ctx.identityText) {
      const parsed = parseIdentityFile(this.ctx.identityText);
      if (parsed.teamId && parsed.teamId !== this.state.teamId) throw new AppError('usage', `The team identity given is for another team than ${this.name}.`);
      this.secrets = { identity: parsed.identity, signingKey: '' };
      return this.secrets;
    }
    if (this.state.keys === 'identity-file') {
      throw new AppError('keychain_key_missing', `Team ${this.name} was joined with an identity file: set WFVAULT_TEAM_IDENTITY_FILE (or pass --identity-fd) to read its tokens.`);
    }
    const home: KeysHome = this.state.keys === 'vault' ? 'vault' : 'keychain';
    this.secrets = await loadSecrets(keyStore(this.ctx, home), keychainAccount(this.state), this.name, home);
    return this.secrets;
  }

  memberByName(name: string): [string, TeamMember] {
    for (const entry of this.roster.members) if (entry[1].name === name) return entry;
    const gone = [...this.roster.removed.values()].find((m) => m.name === name);
    if (gone) throw new AppError('not_found', `${name} was already removed from team ${this.name}.`);
    throw new AppError('not_found', `Team ${this.name} has no member named "${name}". Members: ${[...this.roster.members.values()].map((m) => m.name).join(', ')}.`);
  }

  /** The token files encrypted to this member, still undecrypted. */
  readableFiles(): TokenFile[] {
    const me = this.state.me.fingerprint;
    return [...this.files.values()].filter((f) => f.sig.readers.includes(me));
  }

  /** Decrypts every token this member can read. */
  async readAll(): Promise<TeamToken[]> {
    const out = await this.decryptEach(this.readableFiles());
    return out.sort((a, b) => a.record.token.addedAt.localeCompare(b.record.token.addedAt) || a.record.token.id.localeCompare(b.record.token.id));
  }

  /** Decrypts token files this member reads (see readableFiles), a few at a time, in their order. */
  async decryptEach(files: readonly TokenFile[]): Promise<TeamToken[]> {
    const d = await this.decrypter();
    return mapBounded(files, AGE_IN_FLIGHT, (file) => this.decryptFile(d, file));
  }

  /** Decrypts one token this member can read, by id. */
  async read(id: string): Promise<TeamToken> {
    const file = this.files.get(id);
    if (!file || !file.sig.readers.includes(this.state.me.fingerprint)) throw new AppError('not_found', `Team ${this.name} has no token ${id} that you can read.`);
    return this.decryptFile(await this.decrypter(), file);
  }

  private decrypting: Promise<Decrypter> | null = null;

  decrypter(): Promise<Decrypter> {
    this.decrypting ??= (async () => {
      const d = new Decrypter();
      d.addIdentity(await identityKey((await this.keys()).identity));
      return d;
    })();
    return this.decrypting;
  }

  private async decryptFile(d: Decrypter, file: TokenFile): Promise<TeamToken> {
    let record: TeamRecord;
    try {
      const o = JSON.parse(await d.decrypt(file.ciphertext, 'text')) as TeamRecord;
      record = { v: 1, token: StoredToken.parse(o.token), only: asStrings(o.only), exposedTo: asStrings(o.exposedTo), writtenBy: String(o.writtenBy), writtenAt: String(o.writtenAt) };
    } catch {
      throw new AppError('team_tampered', `Token ${file.id} of team ${this.name} names you as a reader but does not decrypt with your key; it was not used.`, { reason: 'token_undecryptable', id: file.id });
    }
    if (record.token.id !== file.id) throw new AppError('team_tampered', `Token file ${file.id} holds another token's record; it was not used.`, { reason: 'token_swapped', id: file.id });
    const pendingExposure = file.sig.readers.filter((fp) => this.roster.removed.has(fp)).map((fp) => this.roster.removed.get(fp)!.name);
    return { record, sig: file.sig, pendingExposure };
  }

  /** Fingerprints a record is to be encrypted to now. */
  readersFor(only: readonly string[]): string[] {
    if (only.length === 0) return [...this.roster.members.keys()].sort();
    return only.map((name) => this.memberByName(name)[0]).sort();
  }

  newTokenId(): string {
    return newId(new Set(this.files.keys()));
  }

  /** Encrypts, signs and writes one token file in the working tree (not committed). */
  async writeRecord(record: TeamRecord, encrypter?: { readers: string[]; enc: Encrypter }): Promise<TokenFile> {
    const secrets = await this.keys();
    this.requireHuman();
    const readers = encrypter?.readers ?? this.readersFor(record.only);
    let enc = encrypter?.enc;
    if (!enc) {
      enc = new Encrypter();
      for (const fp of readers) enc.addRecipient(this.recipientOf(fp));
    }
    const ciphertext = await enc.encrypt(JSON.stringify(record));
    return this.writeSigned(record.token.id, ciphertext, readers, record.only.length ? 'only' : 'all', secrets);
  }

  async writeSigned(id: string, ciphertext: Uint8Array, readers: string[], share: Share, secrets?: MemberSecrets): Promise<TokenFile> {
    const keys = secrets ?? (await this.keys());
    // One above every version of this token this machine knows of, so that every member tells
    // this write from the ones before it.
    const ver = Math.max(this.files.get(id)?.sig.ver ?? 0, this.state.versions?.[id]?.v ?? 0) + 1;
    const sig = signText(keys, tokenSignedText(this.state.teamId, id, sha256Hex(ciphertext), readers, { ver, share }));
    const file: TokenFile = { id, ciphertext, sig: { v: TOKEN_SIG_FORMAT, id, ver, readers, share, by: this.state.me.fingerprint, sig } };
    writeTokenFile(this.repo, file);
    this.files.set(id, file);
    return file;
  }

  async deleteToken(id: string): Promise<void> {
    await deleteTokenFile(this.repo, id);
    this.files.delete(id);
  }

  recipientOf(fp: string): string {
    const m = this.roster.members.get(fp);
    if (!m) throw new AppError('not_found', `No current member has fingerprint ${fp}.`);
    return m.recipient;
  }

  /** Appends a signed member-list entry to the working tree and re-reads the roster. */
  async appendEntry(op: ChainOp, member: TeamMember): Promise<ChainEntry> {
    const secrets = await this.keys();
    this.requireHuman();
    const body: Omit<ChainEntry, 'sig'> = { v: 1, seq: this.roster.head.seq + 1, prev: this.roster.head.hash, op, team: null, member, by: this.state.me.fingerprint, at: this.ctx.now().toISOString() };
    const entry: ChainEntry = { ...body, sig: signText(secrets, entrySignedText(body)) };
    await writeEntry(this.repo, entry);
    this.roster = verifyChain(chainCrypto, await readChain(this.repo), this.state.teamId, this.state.chainHead);
    return entry;
  }

  /**
   * Brings every token this member can read in line with the member list: `all` tokens go to
   * every current member, and a removed member's access is dropped and recorded as exposure.
   * Tokens this member cannot read but that a removed member signed are re-signed (their content
   * is unchanged, so a reader's later reconcile re-encrypts them). Returns what changed.
   */
  async reconcile(): Promise<{ reencrypted: string[]; resigned: string[] }> {
    const me = this.state.me.fingerprint;
    const reencrypted: string[] = [];
    const resigned: string[] = [];
    if (!this.isMember || this.roster.members.get(me)!.machine) return { reencrypted, resigned };
    const current = [...this.roster.members.keys()].sort();
    const work = [...this.files.values()].filter((file) => {
      const removedReaders = file.sig.readers.some((fp) => this.roster.removed.has(fp));
      const wantAll = file.sig.share === 'all' && !sameSet(file.sig.readers, current);
      return removedReaders || wantAll || this.roster.removed.has(file.sig.by);
    });
    if (work.length === 0) return { reencrypted, resigned };
    const secrets = await this.keys();
    const writer = this.requireHuman().name;
    const d = await this.decrypter();
    const encs = new Map<string, Encrypter>();
    const encrypterFor = (readers: string[]): Encrypter => {
      const key = readers.join(',');
      let enc = encs.get(key);
      if (!enc) {
        enc = new Encrypter();
        for (const fp of readers) enc.addRecipient(this.recipientOf(fp));
        encs.set(key, enc);
      }
      return enc;
    };
    const names = new Set([...this.roster.members.values()].map((m) => m.name));
    const done = await mapBounded(work, AGE_IN_FLIGHT, async (file): Promise<'reencrypted' | 'resigned' | null> => {
      if (!file.sig.readers.includes(me)) {
        // Unchanged content, now vouched for by a current member; a reader re-encrypts it later.
        if (file.sig.share === 'only' || this.roster.removed.has(file.sig.by) || file.sig.readers.some((fp) => this.roster.removed.has(fp))) {
          await this.writeSigned(file.id, file.ciphertext, file.sig.readers, file.sig.share, secrets);
          return 'resigned';
        }
        return null;
      }
      const t = await this.decryptFile(d, file);
      const gone = file.sig.readers.filter((fp) => this.roster.removed.has(fp)).map((fp) => this.roster.removed.get(fp)!.name);
      let only = t.record.only.filter((n) => names.has(n));
      if (t.record.only.length > 0 && only.length === 0) only = [writer];
      const record: TeamRecord = { ...t.record, only, exposedTo: [...new Set([...t.record.exposedTo, ...gone])], writtenBy: writer, writtenAt: this.ctx.now().toISOString() };
      const readers = only.length ? this.readersFor(only) : current;
      await this.writeRecord(record, { readers, enc: encrypterFor(readers) });
      return 'reencrypted';
    });
    work.forEach((file, i) => {
      if (done[i] === 'reencrypted') reencrypted.push(file.id);
      else if (done[i] === 'resigned') resigned.push(file.id);
    });
    return { reencrypted, resigned };
  }
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Checks token signatures and remembers those that passed, by a hash of the signer's key, the
 * signed text (team, id, ciphertext hash, readers, share, version) and the signature. The hash
 * is of the content, so a file changed in any byte is checked again; what a cache hit vouches
 * for is exactly what an Ed25519 verify vouched for before. Holds no secret.
 */
export class SignatureCheck {
  private readonly memo = new WeakMap<TokenFile, { signingKey: string; key: string }>();
  /** True when signatures were checked that the stored cache does not hold yet. */
  dirty = false;

  constructor(private readonly known: Set<string>) {}

  verify(signingKey: string, teamId: string, file: TokenFile): boolean {
    const memo = this.memo.get(file);
    if (memo && memo.signingKey === signingKey && this.known.has(memo.key)) return true;
    const text = signedTextOf(teamId, file);
    const key = sha256Hex(Buffer.from(`${signingKey}\n${text}\n${file.sig.sig}`, 'utf8')).slice(0, 40);
    this.memo.set(file, { signingKey, key });
    if (this.known.has(key)) return true;
    if (!chainCrypto.verify(signingKey, text, file.sig.sig)) return false;
    this.known.add(key);
    this.dirty = true;
    return true;
  }

  /** The cache entries of these files (only those checked in this run), to store. */
  keysOf(files: Iterable<TokenFile>): string[] {
    const keys: string[] = [];
    for (const f of files) {
      const m = this.memo.get(f);
      if (m && this.known.has(m.key)) keys.push(m.key);
    }
    return keys;
  }
}

function signedTextOf(teamId: string, file: TokenFile): string {
  const { id, sig } = file;
  return tokenSignedText(teamId, id, sha256Hex(file.ciphertext), sig.readers, sig.v === 1 ? null : { ver: sig.ver, share: sig.share });
}

/**
 * Verifies the member list and every token file of a working tree. With `prior` (the files
 * verified last time and the paths changed since), only the changed files are read again.
 */
export async function verifyRepo(
  repo: string,
  state: Pick<TeamState, 'teamId' | 'chainHead' | 'name' | 'versions'>,
  check: SignatureCheck,
  prior?: { files: ReadonlyMap<string, TokenFile>; changed: readonly string[] },
): Promise<{ roster: TeamRoster; files: Map<string, TokenFile> }> {
  const roster = verifyChain(chainCrypto, await readChain(repo), state.teamId, state.chainHead);
  let files: Map<string, TokenFile>;
  if (prior) {
    files = new Map(prior.files);
    const ids = [...new Set(prior.changed.map(tokenIdOfPath).filter((x): x is string => x !== null))];
    const read = await readTokenFiles(repo, ids);
    for (const id of ids) {
      const file = read.get(id);
      if (file) files.set(id, file);
      else files.delete(id);
    }
  } else {
    files = new Map();
    const ids = await listTokenIds(repo);
    const read = await readTokenFiles(repo, ids);
    for (const id of ids) {
      const file = read.get(id);
      if (file) files.set(id, file);
    }
  }
  for (const file of files.values()) {
    verifyTokenFile(roster, state.teamId, file, check);
    checkVersion(state, file);
  }
  return { roster, files };
}

export function verifyTokenFile(roster: TeamRoster, teamId: string, file: TokenFile, check: SignatureCheck): void {
  const { id, sig } = file;
  const signer = roster.members.get(sig.by);
  if (!signer) {
    const gone = roster.removed.get(sig.by);
    if (gone) throw new AppError('team_tampered', `Token ${id} is signed by ${gone.name}, who was removed from the team; it was refused and not used.`, { reason: 'removed_signer', id, signer: gone.name });
    throw new AppError('team_tampered', `Token ${id} is signed by someone who is not a member of the team; it was refused and not used.`, { reason: 'token_unsigned', id });
  }
  if (signer.machine || !check.verify(signer.signingKey, teamId, file)) {
    throw new AppError('team_tampered', `Token ${id} was altered after ${signer.name} signed it (its signature does not match); it was refused and not used.`, { reason: 'token_altered', id });
  }
  for (const fp of sig.readers) {
    if (!roster.members.has(fp) && !roster.removed.has(fp)) throw new AppError('team_tampered', `Token ${id} names a reader who never was a member; it was refused and not used.`, { reason: 'token_altered', id });
  }
}

/** Refuses a validly signed but older copy of a token file, put back by someone with push access. */
function checkVersion(state: Pick<TeamState, 'name' | 'versions'>, file: TokenFile): void {
  const seen = state.versions?.[file.id];
  if (!seen) return;
  const ver = file.sig.ver;
  if (ver >= seen.v && !(seen.gone && ver === seen.v)) return;
  throw new AppError(
    'team_rollback',
    seen.gone
      ? `Token ${file.id} of team ${state.name} was deleted, and an old copy of its file was put back (version ${ver}): it was refused and not used. Ask the team who pushed it.`
      : `Token ${file.id} of team ${state.name} is an older version (${ver}) than the one this machine verified before (${seen.v}): an old copy of its file was put back. It was refused and not used; ask the team who pushed it.`,
    { reason: 'token_rollback', id: file.id, version: ver, seen: seen.v },
  );
}

/** The versions to remember after verifying `files`: the highest of each, and deleted tokens as gone. */
function seenVersions(before: Record<string, TokenSeen> | undefined, files: ReadonlyMap<string, TokenFile>): Record<string, TokenSeen> {
  const out: Record<string, TokenSeen> = {};
  for (const [id, seen] of Object.entries(before ?? {})) out[id] = files.has(id) ? { v: seen.v } : { v: seen.v, gone: true };
  for (const [id, file] of files) out[id] = { v: Math.max(file.sig.ver, out[id]?.v ?? 0) };
  return out;
}

export function firstEntry(secrets: MemberSecrets, member: TeamMember, teamName: string, at: string): ChainEntry {
  const body: Omit<ChainEntry, 'sig'> = { v: 1, seq: 1, prev: null, op: 'create', team: teamName, member, by: memberFingerprint(member), at };
  return { ...body, sig: signText(secrets, entrySignedText(body)) };
}

export function teamIdOf(entry: ChainEntry): string {
  return entryHash(chainCrypto, entry).slice(0, 32);
}
