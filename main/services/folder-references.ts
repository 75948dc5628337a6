// The tokens that the config files in one folder refer to: `.env` files with `wfvault://`
// references, and MCP client configs whose servers start through `wfvault exec`. Plaintext
// tokens found on the way are reported too (without their value), since they need moving.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { execRefs } from '../core/exec-args.js';
import { looksLikeToken } from '../core/token-pattern.js';
import { envEntries } from './env-file.js';

export interface FolderReference {
  /** Path relative to the folder. */
  file: string;
  /** 1-based line for env files; null in JSON configs. */
  line: number | null;
  /** The variable, or the MCP server (and the variable or `REF` of its command line). */
  where: string;
  ref: string | null;
  /** Why the reference cannot be read (malformed escape, empty). */
  problem: string | null;
}

export interface FolderPlaintext {
  file: string;
  line: number | null;
  where: string;
}

export interface FolderFindings {
  references: FolderReference[];
  plaintext: FolderPlaintext[];
  /** Files that looked relevant but could not be read or parsed. */
  unreadable: Array<{ file: string; reason: string }>;
}

/** MCP client configs kept inside a project folder (Cursor, VS Code, Claude Code, Claude Desktop). */
const MCP_CONFIGS = ['.cursor/mcp.json', '.vscode/mcp.json', '.mcp.json', 'claude_desktop_config.json'];
const ENV_FILE = /^(?:\.env(?:\..+)?|.+\.env)$/;

export async function folderReferences(dir: string): Promise<FolderFindings> {
  const found: FolderFindings = { references: [], plaintext: [], unreadable: [] };
  let names: string[] = [];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isFile() && ENV_FILE.test(d.name)).map((d) => d.name).sort();
  } catch {
    return found;
  }
  for (const name of names) {
    const text = await readText(join(dir, name), name, found);
    if (text === null) continue;
    for (const e of envEntries(text, name)) {
      if (e.ref !== undefined || e.refProblem !== undefined) {
        found.references.push({ file: name, line: e.line, where: e.name, ref: e.ref ?? null, problem: e.refProblem ?? null });
      } else if (looksLikeToken(e.value) && /webflow|token/i.test(e.name)) {
        found.plaintext.push({ file: name, line: e.line, where: e.name });
      }
    }
  }
  for (const file of MCP_CONFIGS) {
    const text = await readText(join(dir, file), file, found, true);
    if (text === null) continue;
    let config: unknown;
    try {
      config = JSON.parse(text);
    } catch {
      found.unreadable.push({ file, reason: 'not valid JSON' });
      continue;
    }
    for (const [server, entry] of mcpServers(config)) readServer(file, server, entry, found);
  }
  return found;
}

async function readText(path: string, file: string, found: FolderFindings, optional = false): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!(optional && (code === 'ENOENT' || code === 'ENOTDIR'))) found.unreadable.push({ file, reason: code === 'EACCES' ? 'permission denied' : 'could not be read' });
    return null;
  }
}

function mcpServers(config: unknown): Array<[string, Record<string, unknown>]> {
  if (!isObject(config)) return [];
  const out: Array<[string, Record<string, unknown>]> = [];
  for (const key of ['mcpServers', 'servers']) {
    const servers = config[key];
    if (!isObject(servers)) continue;
    for (const [name, entry] of Object.entries(servers)) if (isObject(entry)) out.push([name, entry]);
  }
  return out;
}

function readServer(file: string, server: string, entry: Record<string, unknown>, found: FolderFindings): void {
  const command = typeof entry.command === 'string' ? entry.command : '';
  const args = Array.isArray(entry.args) ? entry.args.filter((a): a is string => typeof a === 'string') : [];
  if (basename(command).replace(/\.(cmd|exe)$/i, '') === 'wfvault' && args[0] === 'exec') {
    for (const r of execRefs(args.slice(1))) found.references.push({ file, line: null, where: `${server} (${r.via})`, ref: r.ref, problem: r.problem });
  }
  const env = isObject(entry.env) ? entry.env : {};
  for (const [name, value] of Object.entries(env)) {
    if (typeof value !== 'string') continue;
    if (looksLikeToken(value)) found.plaintext.push({ file, line: null, where: `${server} (${name})` });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
