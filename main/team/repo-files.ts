// What a team repository holds, and nothing else: the member list (members/NNNNNN.json, one
// signed entry each) and one pair of files per token (tokens/ID.age, the age ciphertext of the
// whole record, and tokens/ID.sig, its writer's signature). Ids are all the host learns.
import { readdir, readFile, writeFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { parseEntry, type ChainEntry } from '../core/team-chain.js';

export const MARKER_FILE = 'wfvault-team.json';
export const MEMBERS_DIR = 'members';
export const TOKENS_DIR = 'tokens';

export type Share = 'all' | 'only';

export interface TokenSig {
  v: 1;
  id: string;
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
  const ok =
    o !== null &&
    typeof o === 'object' &&
    o.v === 1 &&
    o.id === id &&
    Array.isArray(o.readers) &&
    o.readers.every((r) => typeof r === 'string') &&
    (o.share === 'all' || o.share === 'only') &&
    typeof o.by === 'string' &&
    typeof o.sig === 'string';
  if (!ok) throw new AppError('team_tampered', `Token file ${id} has no valid signature record (tokens/${id}.sig); it was refused and not used.`, { reason: 'token_unsigned', id });
  return { v: 1, id, readers: o.readers as string[], share: o.share as Share, by: o.by as string, sig: o.sig as string };
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
  for (const n of names) {
    const m = /^(.+)\.(age|sig)$/u.exec(n);
    if (!m || !ID_RE.test(m[1]!)) throw new AppError('team_tampered', `The team repository holds an unexpected file tokens/${n}; it was not used.`, { reason: 'unexpected_file', file: n });
    ids.add(m[1]!);
  }
  return [...ids].sort();
}

export async function readTokenFile(repo: string, id: string): Promise<TokenFile> {
  const dir = path.join(repo, TOKENS_DIR);
  let ciphertext: Uint8Array;
  let sigText: string;
  try {
    ciphertext = await readFile(path.join(dir, `${id}.age`));
    sigText = await readFile(path.join(dir, `${id}.sig`), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppError('team_tampered', `Token ${id} is incomplete in the team repository (its .age or .sig file is missing); it was refused and not used.`, { reason: 'token_unsigned', id });
    }
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(sigText);
  } catch {
    raw = null;
  }
  return { id, ciphertext, sig: parseSig(raw, id) };
}

export async function writeTokenFile(repo: string, file: TokenFile): Promise<void> {
  const dir = path.join(repo, TOKENS_DIR);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${file.id}.age`), file.ciphertext);
  await writeFile(path.join(dir, `${file.id}.sig`), `${JSON.stringify(file.sig)}\n`);
}

export async function deleteTokenFile(repo: string, id: string): Promise<void> {
  await rm(path.join(repo, TOKENS_DIR, `${id}.age`), { force: true });
  await rm(path.join(repo, TOKENS_DIR, `${id}.sig`), { force: true });
}
