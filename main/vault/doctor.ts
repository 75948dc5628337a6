// `wfvault doctor`: says what is wrong with a vault and whether its backup would help, and puts
// the backup back when asked. It reads; only restoreBackup writes, and it never deletes anything.
import { copyFile, link, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../core/errors.js';
import type { VaultData } from '../core/token.js';
import { ioError, writeVaultFileAtomic } from './atomic.js';
import { parseVaultFile, type ParsedVaultFile } from './format.js';
import { KeyStore } from './keys.js';
import { withVaultLock } from './lock.js';
import { BACKUP_FILE, VAULT_FILE } from './paths.js';
import { assertTrustedFolder, untrustedFolder } from './folder-trust.js';
import { readVaultBytes } from './read-file.js';
import { FILE_PROBLEMS, decodeVaultBytes, decryptVaultData, explain, isFileProblem, missingVault, octal, readHead, type VaultOptions } from './vault.js';

export interface VaultCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export async function inspectVault(opts: VaultOptions): Promise<{ checks: VaultCheck[]; problem: AppError | null; backupUsable: boolean }> {
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, VAULT_FILE);
  const backup = path.join(dir, BACKUP_FILE);
  const keys = new KeyStore(opts.keychain, opts.getPassphrase, opts.testOnlyScryptCost);
  const checks: VaultCheck[] = [];
  let problem: AppError | null = null;
  const fail = (name: string, e: unknown): void => {
    const err = asAppError(explain(e, file));
    checks.push({ name, ok: false, detail: err.message });
    problem ??= err;
  };

  const dirInfo = await stat(dir).catch(() => null);
  checks.push(modeCheck('vault folder', dir, dirInfo, 0o700));
  const untrusted = await untrustedFolder(dir);
  if (untrusted) checks.push({ name: 'folder owner', ok: Boolean(opts.allowSharedDir), detail: `${untrusted}${opts.allowSharedDir ? ' (allowed with --allow-shared-dir)' : '; others could replace the vault'}` });
  const fileInfo = await stat(file).catch(() => null);
  if (!fileInfo) {
    problem = await missingVault(dir);
    checks.push({ name: 'vault file', ok: false, detail: `${file} does not exist` });
  } else {
    checks.push(modeCheck('vault file', file, fileInfo, 0o600));
  }

  let mode: string | null = null;
  let vaultId: string | null = null;
  let bytes: Buffer | null = null;
  if (fileInfo) {
    try {
      const head = await readHead(file);
      mode = head.header?.mode ?? null;
      vaultId = head.header?.vaultId ?? null;
      bytes = await readVaultBytes(file);
      parseVaultFile(bytes);
      checks.push({
        name: 'format',
        ok: true,
        detail: `format version ${head.formatVersion}, checksum intact, key ${mode === 'passphrase' ? 'from a passphrase' : 'in the OS keychain'}, vault id ${vaultId}`,
      });
    } catch (e) {
      fail('format', e);
      bytes = null;
    }
  }

  // With the vault file missing or unreadable, the backup's header says how its key is found: a
  // passphrase vault's backup opens with the passphrase, keychain or not.
  const backupMode = mode ?? (await readHead(backup).then((h) => h.header?.mode ?? null, () => null));
  let keyOk = true;
  if (mode === 'passphrase') {
    checks.push({ name: 'keychain', ok: true, detail: 'not used: this vault takes its key from a passphrase' });
  } else if (mode === null && backupMode === 'passphrase') {
    checks.push({ name: 'keychain', ok: true, detail: 'not used: the backup takes its key from a passphrase' });
  } else {
    try {
      const stored = await opts.keychain.get(vaultId ?? 'wfvault-doctor-probe');
      if (vaultId && stored === null) {
        keyOk = false;
        fail('keychain', new AppError('keychain_key_missing', `The OS keychain (${opts.keychain.backend}) answers but has no key for this vault (account ${vaultId}): without it the vault cannot be opened.`));
      } else {
        checks.push({ name: 'keychain', ok: true, detail: `${opts.keychain.backend} answers${vaultId ? ' and holds this vault\'s key' : ''}` });
      }
    } catch (e) {
      keyOk = false;
      if (mode === 'keychain') fail('keychain', e);
      else checks.push({ name: 'keychain', ok: false, detail: asAppError(e).message });
    }
  }

  if (bytes) {
    if (!keyOk) checks.push({ name: 'decrypt', ok: false, detail: 'not tried: the key is not available' });
    else {
      try {
        const { data } = await decodeVaultBytes(bytes, keys, file);
        checks.push({ name: 'decrypt', ok: true, detail: `opens: ${summary(data)}` });
      } catch (e) {
        fail('decrypt', e);
      }
    }
  }

  let backupUsable = false;
  const backupInfo = await stat(backup).catch(() => null);
  if (!backupInfo) {
    checks.push({ name: 'backup', ok: true, detail: 'none yet (the previous version is kept from the second save on)' });
  } else if (!keyOk && backupMode !== 'passphrase') {
    checks.push({ name: 'backup', ok: false, detail: 'not tried: the key is not available' });
  } else if (problem && problem.code !== 'vault_not_initialized' && !FILE_PROBLEMS.has(problem.code)) {
    // The vault may be fine, so the backup is not offered; nor is a passphrase asked for twice.
    checks.push({ name: 'backup', ok: false, detail: `not tried: ${whyNotJudged(problem)}` });
  } else {
    try {
      const { data } = await decodeVaultBytes(await readVaultBytes(backup), keys, backup);
      backupUsable = true;
      checks.push({ name: 'backup', ok: true, detail: `opens: ${summary(data)}, saved ${backupInfo.mtime.toISOString()}` });
    } catch (e) {
      checks.push({ name: 'backup', ok: false, detail: asAppError(explain(e, backup)).message });
    }
  }
  return { checks, problem, backupUsable };
}

/**
 * Puts the backup in place of a vault that is damaged, or missing. Refuses when the vault opens
 * (that would undo its latest change), when it cannot tell (no key that fits, or a newer format),
 * and when the backup does not open either. The file it replaces is kept as vault.wfv.broken-<time>.
 */
export async function restoreBackup(opts: VaultOptions): Promise<void> {
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, VAULT_FILE);
  const backup = path.join(dir, BACKUP_FILE);
  const keys = new KeyStore(opts.keychain, opts.getPassphrase, opts.testOnlyScryptCost);
  if (!opts.allowSharedDir) await assertTrustedFolder(dir);
  await withVaultLock(dir, async (lock) => {
    const backupBytes = await readVaultBytes(backup).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `There is no backup to restore (${backup} does not exist).`);
      if (isFileProblem(e)) throw backupUnusable(explain(e, backup));
      throw ioError(e, 'read', backup);
    });
    // A file refused before it was fully read (cut short, grown) is damaged as surely as one that
    // fails its checks afterwards.
    const current = await readVaultBytes(file).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      if (isFileProblem(e)) return 'damaged' as const;
      throw ioError(e, 'read', file);
    });
    if (Buffer.isBuffer(current)) await mustBeDamaged(current, keys, file);
    try {
      // The same KeyStore: a backup of the same vault opens with the key just resolved, unasked.
      await decodeVaultBytes(backupBytes, keys, backup);
    } catch (e) {
      throw backupUnusable(e);
    }
    try {
      if (current !== null) await keepAside(file, path.join(dir, `${VAULT_FILE}.broken-${new Date().toISOString().replace(/[:.]/gu, '-')}`));
      lock.assertHeld();
      await writeVaultFileAtomic(dir, backupBytes, { backup: false });
    } catch (e) {
      throw ioError(e, 'restore the backup in', dir);
    }
  }, { onWait: opts.onLockWait, owner: opts.lockOwner });
}

/**
 * Returns when the file is damaged; throws when it opens or when that cannot be told. The checks
 * that need no key come first; then the key, whose key-check value must fit before anything is
 * concluded from a failed decryption. A wrong passphrase or a replaced keychain entry says nothing
 * about the file.
 */
async function mustBeDamaged(bytes: Buffer, keys: KeyStore, file: string): Promise<void> {
  let parsed: ParsedVaultFile;
  try {
    parsed = parseVaultFile(bytes);
  } catch (e) {
    if (isFileProblem(e)) return;
    throw notRestored(explain(e, file));
  }
  let key: Buffer;
  try {
    key = await keys.keyFor(parsed.header, parsed.keyCheck);
  } catch (e) {
    throw notRestored(explain(e, file));
  }
  try {
    decryptVaultData(parsed, key);
  } catch (e) {
    if (isFileProblem(e)) return;
    throw explain(e, file);
  }
  throw new AppError('failed', `The vault at ${file} opens normally, so its backup was not restored (that would undo the latest change).`);
}

function backupUnusable(e: unknown): AppError {
  const err = asAppError(e);
  return new AppError(err.code, `The backup does not open either, so nothing was changed: ${err.message}`, err.details);
}

function notRestored(e: unknown): unknown {
  if (!isAppError(e)) return e;
  return new AppError(e.code, `${e.message} The backup was not restored: ${whyNotJudged(e)}.`, e.details);
}

function whyNotJudged(e: AppError): string {
  switch (e.code) {
    case 'wrong_passphrase':
      return 'a passphrase that does not open the vault says nothing about whether the vault is damaged; try again with the right one';
    case 'wrong_key':
      return 'a key that does not fit says nothing about whether the vault is damaged, and the backup takes the same key';
    case 'vault_unknown_version':
      return 'a newer wfvault wrote the vault, which is probably fine; update wfvault instead of going back';
    default:
      return 'without the vault key there is no telling whether the vault is damaged';
  }
}

async function keepAside(file: string, aside: string): Promise<void> {
  // A second name for the broken file, so the vault file itself never goes missing.
  try {
    await link(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw e;
    await copyFile(file, aside);
  }
}

function modeCheck(name: string, where: string, info: { mode: number } | null, wanted: number): VaultCheck {
  if (!info) return { name, ok: false, detail: `${where} does not exist` };
  if (process.platform === 'win32') return { name, ok: true, detail: where };
  const loose = (info.mode & 0o077) !== 0;
  return {
    name,
    ok: !loose,
    detail: loose ? `${where} has mode ${octal(info.mode)}: other users can read it (expected ${octal(wanted)})` : `${where} (mode ${octal(info.mode)})`,
  };
}

function summary(data: VaultData): string {
  const n = (count: number, what: string) => `${count} ${what}${count === 1 ? '' : 's'}`;
  return `${n(data.tokens.length, 'token')}, ${n(data.tombstones.length, 'revoked token')}, ${n(data.apps.length, 'OAuth app')}`;
}

function asAppError(e: unknown): AppError {
  return isAppError(e) ? e : new AppError('failed', e instanceof Error ? e.message : String(e));
}
