// The vault file format on its own: every kind of damage maps to its own error code, decided
// before (or without) a key wherever the bytes alone can tell.
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import {
  FORMAT_VERSION,
  PREFIX_BYTES,
  decryptVaultFile,
  encodeVaultFile,
  parseVaultFile,
  type VaultHeader,
} from '../../main/vault/format.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { KeyStore } from '../../main/vault/keys.js';
import { decodeVaultBytes } from '../../main/vault/vault.js';

const key = randomBytes(32);
const keychainHeader: VaultHeader = { vaultId: '0b6f3c8e-5d4a-4c1e-9a57-1f2e3d4c5b6a', mode: 'keychain', kdf: null };
const passphraseHeader: VaultHeader = {
  vaultId: '7a1c9e2b-3f4d-4e5f-8a6b-7c8d9e0f1a2b',
  mode: 'passphrase',
  kdf: { alg: 'scrypt', N: 2 ** 17, r: 8, p: 1, salt: randomBytes(16).toString('base64') },
};
const plaintext = Buffer.from(JSON.stringify({ tokens: [], note: 'x'.repeat(500) }), 'utf8');

/** What every key-holding reader does: the keyless checks, then the key. */
function decode(bytes: Buffer, k: Buffer): Buffer {
  return decryptVaultFile(parseVaultFile(bytes), k);
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    return `not an AppError: ${String(e)}`;
  }
  return 'no error';
}

function flip(bytes: Buffer, at: number, mask = 0x01): Buffer {
  const copy = Buffer.from(bytes);
  copy[at]! ^= mask;
  return copy;
}

/** Rewrites the trailing digest, as a deliberate editor would, so checks behind it are reached. */
function redigest(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  createHash('sha256').update(copy.subarray(0, copy.length - 32)).digest().copy(copy, copy.length - 32);
  return copy;
}

describe('vault file format', () => {
  const file = encodeVaultFile(keychainHeader, key, plaintext);

  it('round-trips, with the header readable without the key', () => {
    const parsed = parseVaultFile(file);
    expect(parsed.header).toEqual(keychainHeader);
    expect(parsed.formatVersion).toBe(FORMAT_VERSION);
    expect(decryptVaultFile(parsed, key).equals(plaintext)).toBe(true);
    expect(decode(file, key).equals(plaintext)).toBe(true);
    expect(file.subarray(0, 8).toString('latin1')).toBe('WFVAULT\0');
  });

  it('uses a fresh nonce for every save', () => {
    const again = encodeVaultFile(keychainHeader, key, plaintext);
    expect(again.length).toBe(file.length);
    const nonceAt = PREFIX_BYTES + file.readUInt32BE(10);
    expect(again.subarray(nonceAt, nonceAt + 12).equals(file.subarray(nonceAt, nonceAt + 12))).toBe(false);
  });

  it('keeps passphrase parameters in the header', () => {
    const parsed = parseVaultFile(encodeVaultFile(passphraseHeader, key, plaintext));
    expect(parsed.header).toEqual(passphraseHeader);
  });

  it('tells a wrong key (keychain) and a wrong passphrase apart from damage', () => {
    expect(codeOf(() => decode(file, randomBytes(32)))).toBe('wrong_key');
    const pfile = encodeVaultFile(passphraseHeader, key, plaintext);
    expect(codeOf(() => decode(pfile, randomBytes(32)))).toBe('wrong_passphrase');
  });

  it('reports one flipped byte anywhere as vault_tampered: header, nonce, body, tag and digest', () => {
    const headerEnd = PREFIX_BYTES + file.readUInt32BE(10);
    const positions = new Set<number>([
      ...Array.from({ length: PREFIX_BYTES }, (_, i) => i), // magic, version, lengths, prefix check
      PREFIX_BYTES,
      PREFIX_BYTES + 5,
      headerEnd - 1,
      headerEnd,
      headerEnd + 11, // nonce
      headerEnd + 12,
      Math.floor(file.length / 2),
      file.length - 49, // last ciphertext byte
      file.length - 48,
      file.length - 33, // tag
      file.length - 32,
      file.length - 1, // digest
    ]);
    for (const at of positions) {
      for (const mask of [0x01, 0x80, 0xff]) {
        expect({ at, mask, code: codeOf(() => decode(flip(file, at, mask), key)) }).toEqual({ at, mask, code: 'vault_tampered' });
      }
    }
  });

  it('reports any flipped byte as vault_tampered (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, mask) => {
        return codeOf(() => decode(flip(file, at, mask), key)) === 'vault_tampered';
      }),
      { numRuns: 500 },
    );
  });

  it('reports damage the same way on the read path, which checks the checksum on the thread pool', async () => {
    const keychain = new MemoryKeychain();
    keychain.entries.set(keychainHeader.vaultId, key.toString('base64'));
    const keys = new KeyStore(keychain, () => Promise.reject(new Error('a keychain vault asks for no passphrase')));
    const readCode = async (bytes: Buffer): Promise<string> => {
      try {
        await decodeVaultBytes(bytes, keys, 'vault.wfv');
      } catch (e) {
        return e instanceof AppError ? e.code : `not an AppError: ${String(e)}`;
      }
      return 'no error';
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: file.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, mask) => (await readCode(flip(file, at, mask))) === 'vault_tampered'),
      { numRuns: 300 },
    );
    for (const cut of [0, 9, PREFIX_BYTES, PREFIX_BYTES + 3, file.length - 48, file.length - 1]) {
      expect({ cut, code: await readCode(file.subarray(0, cut)) }).toEqual({ cut, code: 'vault_truncated' });
    }
    expect(await readCode(redigest(flip(file, file.length - 60)))).toBe('vault_tampered');
  });

  it('gives one wrong-key error, whether the key store or the format finds that the key does not fit', async () => {
    const keychain = new MemoryKeychain();
    keychain.entries.set(keychainHeader.vaultId, randomBytes(32).toString('base64'));
    const parsed = parseVaultFile(file);
    const fromStore: unknown = await new KeyStore(keychain, async () => 'unused').keyFor(parsed.header, parsed.keyCheck).catch((e: unknown) => e);
    let fromFormat: unknown;
    try {
      decode(file, randomBytes(32));
    } catch (e) {
      fromFormat = e;
    }
    expect(fromStore).toBeInstanceOf(AppError);
    expect(fromFormat).toBeInstanceOf(AppError);
    expect(fromStore).toMatchObject({ code: 'wrong_key', message: (fromFormat as AppError).message, details: (fromFormat as AppError).details });
    expect((fromStore as AppError).message).toContain(keychainHeader.vaultId);
    expect((fromStore as AppError).message).not.toMatch(/backup/);
  });

  it('reports a file cut short anywhere as vault_truncated', () => {
    const headerEnd = PREFIX_BYTES + file.readUInt32BE(10);
    for (const cut of [0, 1, 7, 8, 9, 10, 13, 17, 21, PREFIX_BYTES, PREFIX_BYTES + 3, headerEnd, headerEnd + 6, headerEnd + 12, headerEnd + 100, file.length - 48, file.length - 32, file.length - 1]) {
      expect({ cut, code: codeOf(() => decode(file.subarray(0, cut), key)) }).toEqual({ cut, code: 'vault_truncated' });
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: file.length - 1 }), (cut) => codeOf(() => parseVaultFile(file.subarray(0, cut))) === 'vault_truncated'),
      { numRuns: 300 },
    );
  });

  it('reports bytes appended at the end as damage', () => {
    expect(codeOf(() => parseVaultFile(Buffer.concat([file, Buffer.from([0])])))).toBe('vault_tampered');
  });

  it('names an unknown format version, checked before any key is needed', () => {
    const newer = Buffer.from(file);
    newer.writeUInt16BE(7, 8);
    const v7 = redigest(newer);
    let err: unknown;
    try {
      parseVaultFile(v7);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('vault_unknown_version');
    expect((err as AppError).message).toContain('version 7');
    expect((err as AppError).message).toMatch(/newer wfvault/);
  });

  it('reports authenticated data that fails GCM, with the right key, as vault_tampered', () => {
    const insideCiphertext = file.length - 60;
    expect(codeOf(() => decode(redigest(flip(file, insideCiphertext)), key))).toBe('vault_tampered');
  });

  it('reports a header edited to another vault id as a key that does not fit', () => {
    const edited = Buffer.from(file);
    const json = edited.subarray(PREFIX_BYTES, PREFIX_BYTES + edited.readUInt32BE(10)).toString('utf8');
    const idEdited = json.replace(keychainHeader.vaultId, keychainHeader.vaultId.replace('0b6f', '0b6e'));
    Buffer.from(idEdited, 'utf8').copy(edited, PREFIX_BYTES);
    expect(codeOf(() => decode(redigest(edited), key))).toBe('wrong_key');
  });

  it('reports an intact file whose header makes no sense as vault_corrupt', () => {
    const edited = Buffer.from(file);
    const json = edited.subarray(PREFIX_BYTES, PREFIX_BYTES + edited.readUInt32BE(10)).toString('utf8');
    Buffer.from(json.replace('"mode":"keychain"', '"mode":"keyboard"'), 'utf8').copy(edited, PREFIX_BYTES);
    expect(codeOf(() => parseVaultFile(redigest(edited)))).toBe('vault_corrupt');
  });

  it('never puts key material in its messages', () => {
    const messages: string[] = [];
    for (const bad of [flip(file, 30), file.subarray(0, 40), redigest(flip(file, file.length - 60))]) {
      try {
        decode(bad, key);
      } catch (e) {
        messages.push((e as Error).message);
      }
    }
    expect(messages).toHaveLength(3);
    for (const m of messages) {
      expect(m.includes(key.toString('base64'))).toBe(false);
      expect(m.includes(key.toString('hex'))).toBe(false);
    }
  });
});
