// What a team repository holds, and nothing else: the member list (members/NNNNNN.json, one
// signed entry each) and one pair of files per token (tokens/ID.age, the age ciphertext of the
// whole record, and tokens/ID.sig, its writer's signature). Ids are all the host learns.
// Each token file carries a version, one higher at every write and covered by the signature, so
// an older copy of a file put back in a new commit is told apart from the current one.
import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { readdir, readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { parseEntry, type ChainEntry } from '../core/team-chain.js';
import { ioError } from '../vault/atomic.js';

export const MARKER_FILE = 'wfvault-team.json';
export const MEMBERS_DIR = 'members';
export const TOKENS_DIR = 'tokens';

export type Share = 'all' | 'only';

/** The signature record's format: 2 adds the token's version; 1 (no version) is still read. */
export const TOKEN_SIG_FORMAT = 2;

export interface TokenSig {
  v: 1 | 2;
  id: string;
  /** The token's version: one more than the version it replaced; 0 for files of format 1. */
  ver: number;
  /** Fingerprints of the members the file is encrypted to. */
  readers: string[];
  /** `all`: follows the member list (admitted members get it, removed ones lose it); `only`: a fixed set. */
  share: Share;
  by: string;
  sig: string;
}

const ID_RE = /^[0-9a-z]{4,40}$/u;

export function entryFile(seq: number): string {
  return path.join(MEMBERS_DIR, `${String(seq).padStart(6, '0')}.json`);
}

export async function readChain(repo: string): Promise<ChainEntry[]> {
  let names: string[];
  try {
    names = (await readdir(path.join(repo, MEMBERS_DIR))).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const entries: ChainEntry[] = [];
  for (const n of names) {
    const where = `${MEMBERS_DIR}/${n}`;
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(path.join(repo, MEMBERS_DIR, n), 'utf8'));
    } catch {
      throw new AppError('team_tampered', `The team's member list is damaged: ${where} is not JSON. Nothing was used.`, { reason: 'chain_malformed', where });
    }
    const entry = parseEntry(raw, where);
    if (n !== `${String(entry.seq).padStart(6, '0')}.json`) {
      throw new AppError('team_tampered', `The team's member list is damaged: ${where} holds entry ${entry.seq}. Nothing was used.`, { reason: 'chain_malformed', where });
    }
    entries.push(entry);
  }
  return entries;
}

export async function writeEntry(repo: string, entry: ChainEntry): Promise<void> {
  await mkdir(path.join(repo, MEMBERS_DIR), { recursive: true });
  await writeFile(path.join(repo, entryFile(entry.seq)), `${JSON.stringify(entry, null, 2)}\n`, { flag: 'wx' });
}

export interface TokenFile {
  id: string;
  ciphertext: Uint8Array;
  sig: TokenSig;
}

function parseSig(raw: unknown, id: string): TokenSig {
  const o = raw as Record<string, unknown> | null;
  if (o !== null && typeof o === 'object' && typeof o.v === 'number' && o.v > TOKEN_SIG_FORMAT) {
    throw new AppError('team_tampered', `Token file ${id} was written by a newer version of wfvault (format ${o.v}); update wfvault to read it. It was not used.`, { reason: 'token_format', id });
  }
  const ok =
    o !== null &&
    typeof o === 'object' &&
    (o.v === 1 || (o.v === 2 && Number.isSafeInteger(o.ver) && (o.ver as number) >= 1)) &&
    o.id === id &&
    Array.isArray(o.readers) &&
    o.readers.every((r) => typeof r === 'string') &&
    (o.share === 'all' || o.share === 'only') &&
    typeof o.by === 'string' &&
    typeof o.sig === 'string';
  if (!ok) throw new AppError('team_tampered', `Token file ${id} has no valid signature record (tokens/${id}.sig); it was refused and not used.`, { reason: 'token_unsigned', id });
  return { v: o.v as 1 | 2, id, ver: o.v === 2 ? (o.ver as number) : 0, readers: o.readers as string[], share: o.share as Share, by: o.by as string, sig: o.sig as string };
}

/** The token id a repository path names (`tokens/ID.age` or `tokens/ID.sig`), or null for other paths. */
export function tokenIdOfPath(p: string): string | null {
  if (!p.startsWith(`${TOKENS_DIR}/`)) return null;
  const n = p.slice(TOKENS_DIR.length + 1);
  const m = /^(.+)\.(age|sig)$/u.exec(n);
  if (!m || !ID_RE.test(m[1]!)) throw new AppError('team_tampered', `The team repository holds an unexpected file tokens/${n}; it was not used.`, { reason: 'unexpected_file', file: n });
  return m[1]!;
}

export async function listTokenIds(repo: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.join(repo, TOKENS_DIR));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const ids = new Set<string>();
  for (const n of names) ids.add(tokenIdOfPath(`${TOKENS_DIR}/${n}`)!);
  return [...ids].sort();
}

/** Reads one token file, or null when neither of its two files is there (the token was deleted). */
export async function readTokenFileIfAny(repo: string, id: string): Promise<TokenFile | null> {
  return readTokenFileAt(path.join(repo, TOKENS_DIR), id);
}

/** The same, from a folder that holds ID.age and ID.sig directly (a conflict kept aside). */
export async function readTokenFileAt(dir: string, id: string): Promise<TokenFile | null> {
  return readPairSync(dir, id);
}

function readOrNull(file: string, encoding?: 'utf8'): Buffer | string | null {
  try {
    return encoding ? readFileSync(file, encoding) : readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

// Token files are small and many: a synchronous read costs a fifth of the CPU of a promise-based
// one (open, stat, read and close each go through the thread pool), which is most of opening a
// large team. Callers read in batches and yield in between, so the event loop keeps turning.
function readPairSync(dir: string, id: string): TokenFile | null {
  const ciphertext = readOrNull(path.join(dir, `${id}.age`)) as Buffer | null;
  const sigText = readOrNull(path.join(dir, `${id}.sig`), 'utf8') as string | null;
  if (ciphertext === null && sigText === null) return null;
  if (ciphertext === null || sigText === null) {
    throw new AppError('team_tampered', `Token ${id} is incomplete in the team repository (its .age or .sig file is missing); it was refused and not used.`, { reason: 'token_unsigned', id });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(sigText);
  } catch {
    raw = null;
  }
  return { id, ciphertext, sig: parseSig(raw, id) };
}

export async function readTokenFile(repo: string, id: string): Promise<TokenFile> {
  const file = await readTokenFileIfAny(repo, id);
  if (!file) throw new AppError('team_tampered', `Token ${id} is incomplete in the team repository (its .age or .sig file is missing); it was refused and not used.`, { reason: 'token_unsigned', id });
  return file;
}

const READ_BATCH = 250;

/** Reads many token files; a token whose two files are both gone maps to null. */
export async function readTokenFiles(repo: string, ids: readonly string[]): Promise<Map<string, TokenFile | null>> {
  const dir = path.join(repo, TOKENS_DIR);
  const out = new Map<string, TokenFile | null>();
  for (let i = 0; i < ids.length; i++) {
    if (i > 0 && i % READ_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    out.set(ids[i]!, readPairSync(dir, ids[i]!));
  }
  return out;
}

export function writeTokenFile(repo: string, file: TokenFile): void {
  const dir = path.join(repo, TOKENS_DIR);
  // Synchronous for the same reason as the reads: re-encrypting a team writes thousands of small files.
  overwriteSync(path.join(dir, `${file.id}.age`), file.ciphertext);
  overwriteSync(path.join(dir, `${file.id}.sig`), Buffer.from(`${JSON.stringify(file.sig)}\n`, 'utf8'));
}

/**
 * Writes over a file's old bytes, then cuts it to length. Opening with truncation makes ext4
 * treat the write as a file replaced in place and push its data to disk at close, which made
 * re-encrypting a team of 2,000 tokens spend seconds in open(2). A crash part-way leaves this
 * working-tree file as unusable as a truncated one would be; the committed version stays in git.
 */
function overwriteSync(file: string, data: Uint8Array): void {
  try {
    overwriteOrThrow(file, data);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new AppError('team_tampered', `${file} is a symbolic link, and token files are never written through one; nothing was written. Remove the link and try again.`, { reason: 'token_symlink', path: file });
    }
    throw ioError(e, 'write the token file', file);
  }
}

function overwriteOrThrow(file: string, data: Uint8Array): void {
  // Never through a symbolic link: the working tree holds what the remote sent, and a link there
  // must not turn a token write into a write elsewhere in the user's files.
  const noFollow = constants.O_NOFOLLOW ?? 0;
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDWR | noFollow);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    // A new token, and maybe the first: the folder is made here rather than checked at every write.
    mkdirSync(path.dirname(file), { recursive: true });
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, 0o644);
  }
  try {
    let done = 0;
    while (done < data.length) done += writeSync(fd, data, done, data.length - done, done);
    ftruncateSync(fd, data.length);
  } finally {
    closeSync(fd);
  }
}

export async function deleteTokenFile(repo: string, id: string): Promise<void> {
  await rm(path.join(repo, TOKENS_DIR, `${id}.age`), { force: true });
  await rm(path.join(repo, TOKENS_DIR, `${id}.sig`), { force: true });
}
