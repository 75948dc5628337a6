// Finds plaintext Webflow tokens in the places they usually leak to: .env files, shell rc and
// history files, JSON configs (MCP clients, the Webflow CLI), YAML and TOML. Reports file:line and
// what to do, never the token.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileKindByName, fileKindOf, type FileKind } from '../core/file-kinds.js';
import { counts, findCandidates, isAppCredential } from '../core/plaintext-finder.js';
import { adviceFor, APP_CREDENTIAL_ADVICE } from '../core/scan-advice.js';
import type { ServiceDeps } from './deps.js';
import { secretHash } from './secret-hash.js';

export const SCAN_MAX_FILE_BYTES = 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git']);

export interface ScanFinding {
  path: string;
  line: number;
  /** `token`: a Webflow token; `app_credential`: an OAuth app's client id or secret. */
  kind: 'token' | 'app_credential';
  /** The variable or key that holds it, when one can be told. */
  name: string | null;
  inVault: boolean;
  /** The vault id of the same token, when it is already stored. */
  tokenId: string | null;
  /** A command that handles this file. */
  advice: string;
}

export function isScannedFileName(name: string): boolean {
  return fileKindByName(name) !== null;
}

/** Called for what could not be read (no permission, vanished, a loop); the scan goes on. */
export type OnSkip = (path: string, reason: string) => void;

const SKIPPABLE = new Set(['EACCES', 'EPERM', 'ENOENT', 'ELOOP', 'ENOTDIR', 'EISDIR', 'EBUSY']);

export async function scanPaths(deps: ServiceDeps | null, paths: readonly string[], onSkip: OnSkip = () => {}): Promise<ScanFinding[]> {
  const known = new Map<string, string>();
  if (deps) for (const t of (await deps.vault.read()).tokens) known.set(secretHash(t.secret), t.id);
  const findings: ScanFinding[] = [];
  for (const path of paths) await visit(path, true, known, findings, onSkip);
  return findings;
}

async function visit(path: string, explicit: boolean, known: Map<string, string>, out: ScanFinding[], onSkip: OnSkip): Promise<void> {
  try {
    await visitUnguarded(path, explicit, known, out, onSkip);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code || !SKIPPABLE.has(code)) throw e;
    onSkip(path, code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'vanished while scanning' : code);
  }
}

async function visitUnguarded(path: string, explicit: boolean, known: Map<string, string>, out: ScanFinding[], onSkip: OnSkip): Promise<void> {
  const info = await stat(path);
  if (info.isDirectory()) {
    const entries = await readdir(path, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.isDirectory() && SKIP_DIRS.has(entry.name)) continue;
      const child = join(path, entry.name);
      if (entry.isDirectory() || (entry.isFile() && fileKindByName(child) !== null)) await visit(child, false, known, out, onSkip);
    }
    return;
  }
  if (!info.isFile() || info.size > SCAN_MAX_FILE_BYTES) return;
  if (!explicit && fileKindByName(path) === null) return;
  const text = await readSmall(path);
  // A file named on the command line is read whatever its name, line by line when unknown.
  const kind: FileKind = fileKindOf(path, text) ?? 'env';
  out.push(...findingsIn(path, kind, text, known));
}

function findingsIn(path: string, kind: FileKind, text: string, known: Map<string, string>): ScanFinding[] {
  const out: ScanFinding[] = [];
  for (const c of findCandidates(kind, text)) {
    const id = known.get(secretHash(c.value)) ?? null;
    if (!counts(c, path, id !== null)) continue;
    const app = id === null && isAppCredential(c);
    out.push({
      path,
      line: c.line,
      kind: app ? 'app_credential' : 'token',
      name: c.name,
      inVault: id !== null,
      tokenId: id,
      advice: app ? APP_CREDENTIAL_ADVICE : adviceFor(kind, path, c.line),
    });
  }
  return out;
}

async function readSmall(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    return await handle.readFile({ encoding: 'utf8' });
  } finally {
    await handle.close();
  }
}
