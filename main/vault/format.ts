// The vault file, byte by byte (all integers big-endian):
//
//   offset      size  field
//   0           8     magic "WFVAULT\0"
//   8           2     format version (1)
//   10          4     header length H
//   14          4     ciphertext length C
//   18          4     prefix check: the first 4 bytes of SHA-256(bytes 0..18)
//   22          H     header: UTF-8 JSON {id, mode, kdf, kcv}
//   22+H        12    AES-256-GCM nonce, fresh for every save
//   34+H        C     ciphertext of the vault data (UTF-8 JSON)
//   34+H+C      16    GCM tag; the associated data is bytes 0..22+H (magic, version, lengths, header)
//   50+H+C      32    SHA-256 of every byte before it
//
// Two checks that are not cryptographic protection (AES-GCM is that) tell accidents apart, so the
// user hears what actually happened: the prefix check makes the two lengths trustworthy, so a file
// shorter than they announce was cut short (`vault_truncated`) rather than altered; the trailing
// digest catches any changed byte before a key is ever asked for (`vault_tampered`).
//
// Every format version keeps the magic, the version field and the trailing digest, so an older
// wfvault can tell "written by a newer wfvault" (digest intact) from "damaged" (digest broken)
// without knowing the newer layout.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../core/errors.js';

export type KeyMode = 'keychain' | 'passphrase';

export const FORMAT_VERSION = 1;
export const MAGIC = Buffer.from('WFVAULT\0', 'latin1');
export const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const DIGEST_BYTES = 32;
const PREFIX_CHECK_BYTES = 4;
const KCV_BYTES = 16;
/** Bytes before the header: magic, version, two lengths, prefix check. */
export const PREFIX_BYTES = MAGIC.length + 2 + 4 + 4 + PREFIX_CHECK_BYTES;
/** Headers are a few hundred bytes; a larger one behind a valid prefix check was not written by wfvault. */
const MAX_HEADER_BYTES = 64 * 1024;
/**
 * The plaintext is one JSON string, and V8 cannot hold a longer string than this: no wfvault ever
 * wrote more, so a file announcing more is not a vault (and reading it would only exhaust memory).
 */
export const MAX_CIPHER_BYTES = 2 ** 29 - 24;
/** The largest file wfvault can have written; anything larger is refused before it is read. */
export const MAX_FILE_BYTES = PREFIX_BYTES + MAX_HEADER_BYTES + NONCE_BYTES + MAX_CIPHER_BYTES + TAG_BYTES + DIGEST_BYTES;

export interface ScryptParams {
  alg: 'scrypt';
  N: number;
  r: number;
  p: number;
  /** base64, 16 bytes */
  salt: string;
}

/** What the header says; the key-check value is derived from the key when encoding. */
export interface VaultHeader {
  vaultId: string;
  mode: KeyMode;
  kdf: ScryptParams | null;
}

export interface ParsedVaultFile {
  formatVersion: number;
  header: VaultHeader;
  /** Truncated HMAC of the vault id under the key: tells a wrong key from a damaged file. */
  keyCheck: Buffer;
  aad: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
  /** The trailing SHA-256; equal digests mean byte-identical files. */
  digest: Buffer;
}

export const SCRYPT_DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;
/** A header may ask for more work than the default, within reason: at most 1 GiB of memory. */
const SCRYPT_LIMITS = { maxLogN: 20, maxR: 32, maxP: 16, maxMemory: 2 ** 30 };

/** Memory scrypt needs is 128·N·r bytes; node refuses more than `maxmem`, so allow twice that. */
export function scryptMaxmem(params: Pick<ScryptParams, 'N' | 'r'>): number {
  return 2 * 128 * params.N * params.r + 1024 * 1024;
}

export function keyCheckValue(key: Buffer, vaultId: string): Buffer {
  return createHmac('sha256', key).update('wfvault key check\0').update(vaultId, 'utf8').digest().subarray(0, KCV_BYTES);
}

export function encodeVaultFile(header: VaultHeader, key: Buffer, plaintext: Buffer): Buffer {
  return Buffer.concat(encodeVaultParts(header, key, plaintext));
}

/**
 * The file as three pieces to be written one after the other: everything before the ciphertext,
 * the ciphertext, and the tag with the digest. Saving writes them as they are, because joining
 * them would copy the whole (at 10,000 tokens, 18 MB) ciphertext once more on every save.
 */
export function encodeVaultParts(header: VaultHeader, key: Buffer, plaintext: Buffer): [Buffer, Buffer, Buffer] {
  if (key.length !== KEY_BYTES) throw new Error('vault key must be 32 bytes');
  const headerJson = Buffer.from(
    JSON.stringify({ id: header.vaultId, mode: header.mode, kdf: header.kdf, kcv: keyCheckValue(key, header.vaultId).toString('base64') }),
    'utf8',
  );
  const head = Buffer.alloc(PREFIX_BYTES + headerJson.length + NONCE_BYTES);
  MAGIC.copy(head, 0);
  head.writeUInt16BE(FORMAT_VERSION, 8);
  head.writeUInt32BE(headerJson.length, 10);
  head.writeUInt32BE(plaintext.length, 14); // GCM: ciphertext length = plaintext length
  sha256(head.subarray(0, 18)).copy(head, 18, 0, PREFIX_CHECK_BYTES);
  headerJson.copy(head, PREFIX_BYTES);
  const nonce = head.subarray(PREFIX_BYTES + headerJson.length);
  randomBytes(NONCE_BYTES).copy(nonce);

  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(head.subarray(0, PREFIX_BYTES + headerJson.length));
  const ciphertext = cipher.update(plaintext);
  const rest = cipher.final(); // empty for GCM, but written if ever not
  const tag = cipher.getAuthTag();

  const tail = Buffer.alloc(rest.length + TAG_BYTES + DIGEST_BYTES);
  rest.copy(tail, 0);
  tag.copy(tail, rest.length);
  const digest = createHash('sha256').update(head).update(ciphertext).update(tail.subarray(0, rest.length + TAG_BYTES)).digest();
  digest.copy(tail, rest.length + TAG_BYTES);
  return [head, ciphertext, tail];
}

/**
 * Checks structure and digest and reads the header, without any key. Throws `vault_truncated`,
 * `vault_tampered`, `vault_unknown_version` or `vault_corrupt` (an intact file whose header makes
 * no sense, i.e. written by something that is not wfvault).
 */
export function parseVaultFile(bytes: Buffer): ParsedVaultFile {
  const layout = checkLayout(bytes);
  if (!digestMatches(bytes)) throw damaged(layout.kind === 'newer' ? 'its checksum does not match (the format version field was changed or the file is damaged)' : 'its checksum does not match');
  if (layout.kind === 'newer') throw unknownVersion(layout.version);
  return splitVaultFile(bytes, layout);
}

/**
 * The same as parseVaultFile minus the digest, for callers that verify the digest off the main
 * thread (verifyDigest) and meanwhile decrypt. Until the digest is confirmed, any error from here
 * on may be damage: such callers must check the digest before reporting it.
 */
export function parseVaultFileUnverified(bytes: Buffer): ParsedVaultFile {
  const layout = checkLayout(bytes);
  if (layout.kind === 'newer') return parseVaultFile(bytes);
  return splitVaultFile(bytes, layout);
}

/** SHA-256 of the file body against its trailer, computed on the thread pool. */
export async function verifyDigest(bytes: Buffer): Promise<boolean> {
  if (bytes.length < DIGEST_BYTES) return false;
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  const digest = Buffer.from(await globalThis.crypto.subtle.digest('SHA-256', body));
  return digest.equals(bytes.subarray(bytes.length - DIGEST_BYTES));
}

/** Magic, version, lengths against the file size: `vault_truncated` or `vault_tampered` here. */
function checkLayout(bytes: Buffer): PrefixInfo {
  const layout = readPrefix(bytes);
  checkFileSize(layout, bytes.length);
  return layout;
}

/**
 * The size of the file against what its prefix announces, so that a reader can tell a file cut
 * short or grown from a healthy one before it reads (or allocates) more than the prefix.
 */
export function checkFileSize(layout: PrefixInfo, size: number): void {
  if (layout.kind === 'newer') return;
  const expected = PREFIX_BYTES + layout.headerLength + NONCE_BYTES + layout.cipherLength + TAG_BYTES + DIGEST_BYTES;
  if (size < expected) throw truncated(size, expected);
  if (size > expected) throw damaged(`it has ${size - expected} unexpected bytes at the end`);
}

/** A file too large for any vault: refused before a byte of it is read. */
export function tooLarge(size: number): AppError {
  return corrupt(`it is ${size} bytes long, more than any vault file can be (${MAX_FILE_BYTES} bytes)`);
}

function splitVaultFile(bytes: Buffer, layout: Extract<PrefixInfo, { kind: 'known' }>): ParsedVaultFile {
  const headerEnd = PREFIX_BYTES + layout.headerLength;
  const parsed = parseHeaderJson(bytes.subarray(PREFIX_BYTES, headerEnd));
  const cipherStart = headerEnd + NONCE_BYTES;
  const tagStart = cipherStart + layout.cipherLength;
  return {
    formatVersion: FORMAT_VERSION,
    header: parsed.header,
    keyCheck: parsed.keyCheck,
    aad: bytes.subarray(0, headerEnd),
    nonce: bytes.subarray(headerEnd, cipherStart),
    ciphertext: bytes.subarray(cipherStart, tagStart),
    tag: bytes.subarray(tagStart, tagStart + TAG_BYTES),
    digest: bytes.subarray(tagStart + TAG_BYTES),
  };
}

/** `wrong_key` / `wrong_passphrase` when the key-check value differs; `vault_tampered` when GCM fails. */
export function decryptVaultFile(file: ParsedVaultFile, key: Buffer): Buffer {
  if (key.length !== KEY_BYTES || !timingSafeEqual(keyCheckValue(key, file.header.vaultId), file.keyCheck)) throw keyDoesNotFit(file.header);
  const decipher = createDecipheriv('aes-256-gcm', key, file.nonce);
  decipher.setAAD(file.aad);
  decipher.setAuthTag(file.tag);
  try {
    const first = decipher.update(file.ciphertext);
    const last = decipher.final();
    return last.length === 0 ? first : Buffer.concat([first, last]);
  } catch {
    throw new AppError('vault_tampered', 'The vault file was modified: its contents fail authentication although the key is right.');
  }
}

export type PrefixInfo =
  | { kind: 'known'; headerLength: number; cipherLength: number }
  | { kind: 'newer'; version: number };

/** Reads magic, version and lengths from the first bytes; also what `status` uses. */
export function readPrefix(bytes: Buffer): PrefixInfo {
  const magicPart = bytes.subarray(0, MAGIC.length);
  if (!magicPart.equals(MAGIC.subarray(0, magicPart.length))) {
    throw damaged('it does not start with the wfvault signature (it was overwritten or is not a vault file)');
  }
  if (bytes.length < MAGIC.length + 2) throw truncated(bytes.length, PREFIX_BYTES);
  const version = bytes.readUInt16BE(8);
  if (version !== FORMAT_VERSION) return { kind: 'newer', version };
  if (bytes.length < PREFIX_BYTES) throw truncated(bytes.length, PREFIX_BYTES);
  const check = sha256(bytes.subarray(0, 18)).subarray(0, PREFIX_CHECK_BYTES);
  if (!check.equals(bytes.subarray(18, PREFIX_BYTES))) throw damaged('its length fields do not match their check bytes');
  const headerLength = bytes.readUInt32BE(10);
  const cipherLength = bytes.readUInt32BE(14);
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES) throw corrupt(`its header length (${headerLength}) is impossible`);
  if (cipherLength > MAX_CIPHER_BYTES) throw corrupt(`its content length (${cipherLength}) is more than any vault holds`);
  return { kind: 'known', headerLength, cipherLength };
}

export function parseHeaderJson(json: Buffer): { header: VaultHeader; keyCheck: Buffer } {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString('utf8'));
  } catch {
    throw corrupt('its header is not valid JSON');
  }
  const h = raw as Record<string, unknown> | null;
  if (!h || typeof h !== 'object') throw corrupt('its header is not an object');
  if (typeof h.id !== 'string' || !/^[A-Za-z0-9-]{8,64}$/u.test(h.id)) throw corrupt('its header has no valid vault id');
  if (h.mode !== 'keychain' && h.mode !== 'passphrase') throw corrupt('its header names no known key mode');
  if (typeof h.kcv !== 'string') throw corrupt('its header has no key check');
  const keyCheck = Buffer.from(h.kcv, 'base64');
  if (keyCheck.length !== KCV_BYTES) throw corrupt('its header has a malformed key check');
  let kdf: ScryptParams | null = null;
  if (h.mode === 'passphrase') kdf = parseScrypt(h.kdf);
  else if (h.kdf !== null && h.kdf !== undefined) throw corrupt('its header has key-derivation parameters in keychain mode');
  return { header: { vaultId: h.id, mode: h.mode, kdf }, keyCheck };
}

function parseScrypt(raw: unknown): ScryptParams {
  const k = raw as Record<string, unknown> | null;
  if (!k || typeof k !== 'object' || k.alg !== 'scrypt') throw corrupt('its header names no known key derivation');
  const { N, r, p, salt } = k;
  const intIn = (v: unknown, min: number, max: number): v is number => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  // Bounds keep a damaged header from asking for gigabytes of memory or minutes of CPU.
  if (!intIn(N, 2 ** 10, 2 ** SCRYPT_LIMITS.maxLogN) || (N & (N - 1)) !== 0) throw corrupt('its scrypt cost N is out of range');
  if (!intIn(r, 1, SCRYPT_LIMITS.maxR) || !intIn(p, 1, SCRYPT_LIMITS.maxP) || 128 * N * r > SCRYPT_LIMITS.maxMemory) {
    throw corrupt('its scrypt parameters are out of range');
  }
  if (typeof salt !== 'string' || Buffer.from(salt, 'base64').length < 16) throw corrupt('its scrypt salt is missing or short');
  return { alg: 'scrypt', N, r, p, salt };
}

function digestMatches(bytes: Buffer): boolean {
  if (bytes.length < DIGEST_BYTES) return false;
  const body = bytes.subarray(0, bytes.length - DIGEST_BYTES);
  return sha256(body).equals(bytes.subarray(bytes.length - DIGEST_BYTES));
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * A key whose key-check value differs from the header's: the wrong passphrase, or a keychain entry
 * that is not this vault's key. Neither says anything about the file, which may be perfectly fine.
 */
export function keyDoesNotFit(header: VaultHeader, written: Pick<ScryptParams, 'N' | 'r' | 'p'> = SCRYPT_DEFAULTS): AppError {
  const k = header.kdf;
  if (header.mode === 'passphrase' && k && (k.N !== written.N || k.r !== written.r || k.p !== written.p)) {
    // wfvault writes only its defaults (`written`: tests of other subjects write a cheaper cost);
    // other parameters with a key that does not fit mean the header was altered (its checksum is
    // not keyed, so a forger can fix that up), not a typo.
    return new AppError(
      'vault_tampered',
      `The vault file was changed outside wfvault: its header asks for scrypt parameters wfvault does not write (N=${k.N}, r=${k.r}, p=${k.p}), and the key they give does not open it.`,
    );
  }
  if (header.mode === 'passphrase') return new AppError('wrong_passphrase', 'Wrong passphrase: it does not open this vault.');
  return new AppError(
    'wrong_key',
    `The OS keychain holds a different key for this vault (account ${header.vaultId}) than the one it was created with. ` +
      'Check that keychain entry, or open the vault on the machine and user account it was created on.',
    { vaultId: header.vaultId },
  );
}

function truncated(actual: number, expected: number): AppError {
  return new AppError('vault_truncated', `The vault file is cut short: it has ${actual} bytes where its structure needs ${expected}.`, { actual, expected });
}

function damaged(why: string): AppError {
  return new AppError('vault_tampered', `The vault file was changed outside wfvault or is damaged: ${why}.`);
}

function corrupt(why: string): AppError {
  return new AppError('vault_corrupt', `The vault file is not one wfvault can read: ${why}.`);
}

function unknownVersion(version: number): AppError {
  return new AppError(
    'vault_unknown_version',
    `The vault file has format version ${version}, which this wfvault does not know (it reads version ${FORMAT_VERSION}): a newer wfvault wrote it. Update wfvault to open it.`,
    { formatVersion: version },
  );
}
