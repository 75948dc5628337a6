// The vault key: random and kept in the OS keychain, or derived from a passphrase with scrypt.
// Keys are cached per instance, so a process reads the keychain (or asks for the passphrase) once.
// forget() (the app's lock) starts a new generation: a key fetched for an older one is handed to
// the calls that were already waiting for it but never cached, so a lock that lands while a
// passphrase is being derived still locks.
import { randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { AppError } from '../core/errors.js';
import { KEY_BYTES, SCRYPT_DEFAULTS, keyCheckValue, keyDoesNotFit, scryptMaxmem, type KeyMode, type ScryptParams, type VaultHeader } from './format.js';
import { KEYCHAIN_SERVICE, type Keychain } from './keychain.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

export type GetPassphrase = (purpose: 'unlock' | 'create') => Promise<string>;

/**
 * Checked when a vault is created, never when one is unlocked: older wfvault versions took shorter
 * passphrases from WFVAULT_PASSPHRASE, and those vaults must still open. Counted in code points
 * after NFC, the form the key is derived from.
 */
export const MIN_PASSPHRASE_CHARS = 12;

export class KeyStore {
  private readonly keys = new Map<string, Buffer>();
  private readonly pending = new Map<string, Promise<Buffer>>();
  private gen = 0;

  constructor(
    private readonly keychain: Keychain,
    private readonly getPassphrase: GetPassphrase,
    /** Tests only (VaultOptions.testOnlyScryptCost); production always creates with SCRYPT_DEFAULTS. */
    private readonly createCost: Pick<ScryptParams, 'N' | 'r' | 'p'> = SCRYPT_DEFAULTS,
  ) {}

  has(header: VaultHeader): boolean {
    return this.keys.has(slot(header));
  }

  /** Changes on every forget(); see remember(). */
  get generation(): number {
    return this.gen;
  }

  /**
   * The key for a vault, checked against the header's key-check value before it is cached.
   * Concurrent callers share one keychain read or one passphrase prompt.
   */
  keyFor(header: VaultHeader, keyCheck: Buffer): Promise<Buffer> {
    const id = slot(header);
    const cached = this.keys.get(id);
    if (cached) return Promise.resolve(cached);
    const joined = this.pending.get(id);
    if (joined) return joined;
    const started = this.gen;
    const inFlight: Promise<Buffer> = this.fetch(header, keyCheck)
      .then((key) => {
        if (this.gen === started) this.keys.set(id, key);
        return key;
      })
      .finally(() => {
        if (this.pending.get(id) === inFlight) this.pending.delete(id);
      });
    this.pending.set(id, inFlight);
    return inFlight;
  }

  /** A new vault's header and key; in keychain mode the key is stored before the file exists. */
  async create(mode: KeyMode): Promise<{ header: VaultHeader; key: Buffer }> {
    const vaultId = randomUUID();
    if (mode === 'passphrase') {
      const passphrase = await this.getPassphrase('create');
      if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_CHARS) {
        throw new AppError('usage', `Choose a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters; no vault was created.`);
      }
      const kdf: ScryptParams = { alg: 'scrypt', N: this.createCost.N, r: this.createCost.r, p: this.createCost.p, salt: randomBytes(16).toString('base64') };
      const header: VaultHeader = { vaultId, mode, kdf };
      return { header, key: await derive(passphrase, kdf) };
    }
    const key = randomBytes(KEY_BYTES);
    await this.keychain.set(vaultId, key.toString('base64'));
    return { header: { vaultId, mode, kdf: null }, key };
  }

  /** Caches a key made by create(), unless forget() was called since `generation` was read. */
  remember(header: VaultHeader, key: Buffer, generation: number): void {
    if (generation === this.gen) this.keys.set(slot(header), key);
  }

  /** Undoes create() when the vault file could not be written. */
  async discard(header: VaultHeader): Promise<void> {
    this.keys.delete(slot(header));
    if (header.mode === 'keychain') await this.keychain.delete(header.vaultId).catch(() => undefined);
  }

  /**
   * Drops the cached keys, and detaches fetches still running so that a call made from now on asks
   * again instead of joining one. The buffers are not zeroed: an operation already running may
   * still be encrypting with one, and a zeroed key would write a vault nobody can open.
   */
  forget(): void {
    this.gen++;
    this.keys.clear();
    this.pending.clear();
  }

  private async fetch(header: VaultHeader, keyCheck: Buffer): Promise<Buffer> {
    let key: Buffer;
    if (header.mode === 'passphrase') {
      const passphrase = await this.getPassphrase('unlock');
      key = await derive(passphrase, header.kdf!);
    } else {
      const stored = await this.keychain.get(header.vaultId);
      if (stored === null) {
        throw new AppError(
          'keychain_key_missing',
          `The OS keychain (${this.keychain.backend}) has no key for this vault (service ${KEYCHAIN_SERVICE}, account ${header.vaultId}). ` +
            'The vault was probably created under another user or on another machine, or the keychain entry was deleted; without that key it cannot be opened. ' +
            'Restore the keychain entry, or create a new vault in another folder (--vault-dir).',
          { vaultId: header.vaultId },
        );
      }
      key = Buffer.from(stored, 'base64');
      if (key.length !== KEY_BYTES) {
        throw new AppError('wrong_key', `The OS keychain entry for this vault (account ${header.vaultId}) does not hold a wfvault key; it was replaced by something else.`, {
          vaultId: header.vaultId,
        });
      }
    }
    if (!timingSafeEqual(keyCheckValue(key, header.vaultId), keyCheck)) throw keyDoesNotFit(header, this.createCost);
    return key;
  }
}

function slot(header: VaultHeader): string {
  const k = header.kdf;
  return k ? `p:${header.vaultId}:${k.N}:${k.r}:${k.p}:${k.salt}` : `k:${header.vaultId}`;
}

export async function derive(passphrase: string, kdf: ScryptParams): Promise<Buffer> {
  // NFC, so the same passphrase typed through different input methods gives the same key.
  return scrypt(passphrase.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), KEY_BYTES, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: scryptMaxmem(kdf) });
}
