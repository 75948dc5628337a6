// Moves tokens out of a .env file into the vault, and optionally leaves a pointer in their place.
import { readFile, stat } from 'node:fs/promises';
import { AppError, isAppError } from '../core/errors.js';
import { looksLikeToken, parseEnvLines, type EnvAssignment } from '../core/token-pattern.js';
import type { TokenKind } from '../core/token.js';
import { writeFileDurably } from '../vault/atomic.js';
import type { ServiceDeps } from './deps.js';
import { addToken } from './tokens.js';

export interface ImportedVar {
  name: string;
  line: number;
  state: 'imported' | 'already_in_vault' | 'failed';
  tokenId: string | null;
  message: string;
  rewritten: boolean;
}

export interface ImportEnvOptions {
  vars?: readonly string[];
  rewrite?: boolean;
  kind?: TokenKind;
  offline?: boolean;
}

export async function importEnv(deps: ServiceDeps, file: string, opts: ImportEnvOptions = {}): Promise<ImportedVar[]> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'EISDIR') throw new AppError('usage', `Cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : 'it is a folder'}.`);
    throw new AppError('failed', `Cannot read ${file}: ${e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : (e.code ?? 'read error')}.`);
  });
  const assignments = parseEnvLines(text);
  const wanted = opts.vars && opts.vars.length > 0 ? new Set(opts.vars) : null;
  const chosen = assignments.filter((a) => (wanted ? wanted.has(a.name) : /WEBFLOW/i.test(a.name) && looksLikeToken(a.value)));
  if (wanted) {
    const missing = [...wanted].filter((name) => !assignments.some((a) => a.name === name));
    if (missing.length > 0) throw new AppError('usage', `${file} has no variable named ${missing.join(', ')}.`);
  }

  const results: ImportedVar[] = [];
  for (const assignment of chosen) results.push(await importOne(deps, assignment, file, opts));

  if (opts.rewrite) {
    const replace = new Map(results.filter((r) => r.tokenId).map((r) => [r.line, r]));
    if (replace.size > 0) {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const lines = text.split(/\r?\n/).map((line, i) => {
        const r = replace.get(i + 1);
        if (!r) return line;
        r.rewritten = true;
        return `# ${r.name} is kept in Webflow Token Vault as ${r.tokenId}; run: wfvault exec ${r.tokenId} -- <command>`;
      });
      const { mode } = await stat(file);
      await writeFileDurably(file, lines.join(eol), { mode: mode & 0o777 });
    }
  }
  return results;
}

async function importOne(deps: ServiceDeps, a: EnvAssignment, file: string, opts: ImportEnvOptions): Promise<ImportedVar> {
  const base = { name: a.name, line: a.line, rewritten: false };
  const labels = new Set((await deps.vault.read()).tokens.map((t) => t.label));
  let label = a.name;
  for (let n = 2; labels.has(label); n++) label = `${a.name}-${n}`;
  try {
    const { token } = await addToken(deps, { label, kind: opts.kind, secret: a.value, offline: opts.offline, notes: `Imported from ${file}` });
    return { ...base, state: 'imported', tokenId: token.id, message: `stored as ${token.id} (${token.label})` };
  } catch (e) {
    if (isAppError(e) && e.code === 'duplicate_token' && e.details.reason === 'secret' && typeof e.details.id === 'string') {
      return { ...base, state: 'already_in_vault', tokenId: e.details.id, message: e.message };
    }
    if (isAppError(e)) return { ...base, state: 'failed', tokenId: null, message: e.message };
    throw e;
  }
}
