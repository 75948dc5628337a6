// Rewrites a user's file (a .env, an MCP config) the way the vault file is written: a complete
// temp copy beside it, synced, renamed into place, so a crash leaves the old file or the new one.
// The file keeps its mode. Temp copies that a killed rewrite left behind are removed first.
import { readdir, readFile, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { TEMP_MARK, writeFileDurably } from '../vault/atomic.js';

export const BACKUP_SUFFIX = '.wfvault-backup';

export interface RewriteOptions {
  /** Keep the original as FILE.wfvault-backup first. */
  backup?: boolean;
}

/** Replaces `file` with `text`; returns the backup's path when one was written. */
export async function rewriteDurably(file: string, text: string, opts: RewriteOptions = {}): Promise<string | null> {
  const target = await realpath(file);
  const { mode } = await stat(target);
  await removeOrphanTemps(target);
  let backup: string | null = null;
  if (opts.backup) {
    backup = `${file}${BACKUP_SUFFIX}`;
    await writeFileDurably(backup, await readFile(target), { mode: mode & 0o777 });
  }
  await writeFileDurably(target, text, { mode: mode & 0o777 });
  return backup;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes `<name>.tmp-<pid>-<random>` files beside `target` whose writer is gone (its pid no longer
 * runs) or that are over an hour old (the pid may have been reused). A live rewrite's temp stays.
 */
export async function removeOrphanTemps(target: string, now = Date.now()): Promise<string[]> {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}${TEMP_MARK}`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(\d+)-[0-9a-f]+$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) continue;
    if (alive(Number(m[1])) && now - info.mtimeMs < 3_600_000) continue;
    await unlink(file).then(() => removed.push(file)).catch(() => undefined);
  }
  return removed;
}
