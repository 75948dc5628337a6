// `wfvault doctor`: says what is wrong with a vault and whether its backup would help, and puts
// the backup back when asked. It reads; only restoreBackup writes, and it never deletes anything.
import { copyFile, link, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '../core/errors.js';
import type { VaultData } from '../core/token.js';
import { ioError, writeVaultFileAtomic } from './atomic.js';
import { parseVaultFile } from './format.js';
import { KeyStore } from './keys.js';
import { withVaultLock } from './lock.js';
import { BACKUP_FILE, VAULT_FILE } from './paths.js';
import { decodeVaultBytes, explain, octal, readHead, type VaultOptions } from './vault.js';

export interface VaultCheck {
  name: string;
  ok: boolean;
  detail: string;
}

/** Problems that mean "this file is bad", as opposed to "the key could not be had". */
const FILE_PROBLEMS = new Set(['vault_tampered', 'vault_truncated', 'vault_corrupt', 'wrong_key', 'wrong_passphrase']);

export async function inspectVault(opts: VaultOptions): Promise<{ checks: VaultCheck[]; problem: AppError | null; backupUsable: boolean }> {
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, VAULT_FILE);
  const backup = path.join(dir, BACKUP_FILE);
  const keys = new KeyStore(opts.keychain, opts.getPassphrase);
  const checks: VaultCheck[] = [];
  let problem: AppError | null = null;
  const fail = (name: string, e: unknown): void => {
    const err = asAppError(explain(e, file));
    checks.push({ name, ok: false, detail: err.message });
    problem ??= err;
  };

  const dirInfo = await stat(dir).catch(() => null);
  checks.push(modeCheck('vault folder', dir, dirInfo, 0o700));
  const fileInfo = await stat(file).catch(() => null);
  if (!fileInfo) {
    problem = new AppError('vault_not_initialized', `There is no vault in ${dir} yet. Create one with \`wfvault init\` (or \`wfvault init --passphrase\` on a machine without a keychain).`, { dir });
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
      bytes = await readFile(file);
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

  let keyOk = true;
  if (mode === 'passphrase') {
    checks.push({ name: 'keychain', ok: true, detail: 'not used: this vault takes its key from a passphrase' });
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
  } else if (!keyOk && mode !== 'passphrase') {
    checks.push({ name: 'backup', ok: false, detail: 'not tried: the key is not available' });
  } else {
    try {
      const { data } = await decodeVaultBytes(await readFile(backup), keys, backup);
      backupUsable = true;
      checks.push({ name: 'backup', ok: true, detail: `opens: ${summary(data)}, saved ${backupInfo.mtime.toISOString()}` });
    } catch (e) {
      checks.push({ name: 'backup', ok: false, detail: asAppError(explain(e, backup)).message });
    }
  }
  return { checks, problem, backupUsable };
}

/**
 * Puts the backup in place of a vault that does not open. Refuses when the vault opens (that
 * would undo its latest change) or when the backup does not open either. The file it replaces is
 * kept as vault.wfv.broken-<time>.
 */
export async function restoreBackup(opts: VaultOptions): Promise<void> {
  const dir = path.resolve(opts.dir);
  const file = path.join(dir, VAULT_FILE);
  const backup = path.join(dir, BACKUP_FILE);
  const keys = new KeyStore(opts.keychain, opts.getPassphrase);
  await withVaultLock(dir, async (lock) => {
    const backupBytes = await readFile(backup).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('not_found', `There is no backup to restore (${backup} does not exist).`);
      throw ioError(e, 'read', backup);
    });
    const current = await readFile(file).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw ioError(e, 'read', file);
    });
    if (current) {
      let opens = false;
      try {
        await decodeVaultBytes(current, keys, file);
        opens = true;
      } catch (e) {
        // Without the key (or with a newer format) nothing can be judged; say why instead.
        if (!isAppError(e) || !FILE_PROBLEMS.has(e.code)) throw e;
      }
      if (opens) throw new AppError('failed', `The vault at ${file} opens normally, so its backup was not restored (that would undo the latest change).`);
    }
    try {
      await decodeVaultBytes(backupBytes, keys, backup);
    } catch (e) {
      const err = asAppError(e);
      throw new AppError(err.code, `The backup does not open either, so nothing was changed: ${err.message}`, err.details);
    }
    try {
      if (current) await keepAside(file, path.join(dir, `${VAULT_FILE}.broken-${new Date().toISOString().replace(/[:.]/gu, '-')}`));
      lock.assertHeld();
      await writeVaultFileAtomic(dir, backupBytes, { backup: false });
    } catch (e) {
      throw ioError(e, 'restore the backup in', dir);
    }
  });
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
