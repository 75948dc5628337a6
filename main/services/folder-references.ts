// The tokens that the config files in one folder refer to: `.env` files with `wfvault://`
// references, and MCP client configs whose servers start through `wfvault exec`. Plaintext
// tokens found on the way are reported too (without their value), since they need moving.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execRefs } from '../core/exec-args.js';
import { McpParseError, mcpServers, serverLabel, startsThroughVault, type McpServer } from '../core/mcp-config.js';
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
    let servers: McpServer[];
    try {
      servers = mcpServers(text);
    } catch (e) {
      if (!(e instanceof McpParseError)) throw e;
      found.unreadable.push({ file, reason: e.message });
      continue;
    }
    for (const server of servers) readServer(file, server, found);
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

function readServer(file: string, server: McpServer, found: FolderFindings): void {
  const name = server.path.at(-1) ?? serverLabel(server);
  if (startsThroughVault(server)) {
    // `wfvault exec ...`, or `node /path/wfvault.js [--vault-dir D] exec ...`.
    const exec = server.args.indexOf('exec');
    if (exec >= 0) for (const r of execRefs(server.args.slice(exec + 1))) found.references.push({ file, line: null, where: `${name} (${r.via})`, ref: r.ref, problem: r.problem });
  }
  for (const [variable, value] of Object.entries(server.env)) {
    if (looksLikeToken(value)) found.plaintext.push({ file, line: null, where: `${name} (${variable})` });
  }
}
