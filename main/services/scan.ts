// Finds plaintext Webflow tokens in the places they usually leak to: .env files, JSON configs
// (MCP client configs among them) and shell rc files. Reports file:line, never the token.
import { open, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { mentionsWebflow, tokenCandidates } from '../core/token-pattern.js';
import type { ServiceDeps } from './deps.js';
import { secretHash } from './secret-hash.js';

export const SCAN_MAX_FILE_BYTES = 1024 * 1024;
const SKIP_DIRS = new Set(['node_modules', '.git']);
const RC_FILES = new Set(['.bashrc', '.bash_profile', '.bash_login', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.kshrc', '.cshrc', '.tcshrc', 'config.fish', '.envrc']);

export interface ScanFinding {
  path: string;
  line: number;
  inVault: boolean;
  /** The vault id of the same token, when it is already stored. */
  tokenId: string | null;
}

export function isScannedFileName(name: string): boolean {
  return name.startsWith('.env') || name.endsWith('.json') || name.endsWith('.jsonc') || RC_FILES.has(name);
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
      if (entry.isDirectory() || (entry.isFile() && isScannedFileName(entry.name))) await visit(join(path, entry.name), false, known, out, onSkip);
    }
    return;
  }
  if (!info.isFile() || info.size > SCAN_MAX_FILE_BYTES) return;
  if (!explicit && !isScannedFileName(basename(path))) return;
  const text = await readSmall(path);
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    for (const candidate of tokenCandidates(line)) {
      const id = known.get(secretHash(candidate)) ?? null;
      if (id || mentionsWebflow(line)) out.push({ path, line: index + 1, inVault: id !== null, tokenId: id });
    }
  });
}

async function readSmall(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    return await handle.readFile({ encoding: 'utf8' });
  } finally {
    await handle.close();
  }
}
