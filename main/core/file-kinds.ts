// Which kind of file a path is, for `scan` (what to read) and `import` (how to read and rewrite it).
// Decided by name first; JSON files are told apart by what they hold.
import { parse, type ParseError } from 'jsonc-parser';

export type FileKind =
  | 'env'
  | 'shell-rc'
  | 'history'
  | 'mcp-config'
  | 'webflow-cli-auth'
  | 'webflowrc-json'
  | 'webflowrc-js'
  | 'json'
  | 'yaml'
  | 'toml';

const RC_FILES = new Set(['.bashrc', '.bash_profile', '.bash_login', '.profile', '.zshrc', '.zshenv', '.zprofile', '.zlogin', '.kshrc', '.cshrc', '.tcshrc', 'config.fish', '.envrc']);
const HISTORY_FILES = new Set(['.zsh_history', '.bash_history', 'fish_history', '.sh_history', '.history']);
const MCP_CONFIG_NAMES = new Set(['mcp.json', 'claude_desktop_config.json', '.claude.json']);

function parts(path: string): string[] {
  return path.split(/[\\/]+/).filter(Boolean);
}

export function baseName(path: string): string {
  return parts(path).at(-1) ?? path;
}

/** The kind a file's name gives it, or null when scan does not read such files. */
export function fileKindByName(path: string): FileKind | null {
  const segments = parts(path);
  const name = segments.at(-1) ?? '';
  const folder = segments.at(-2) ?? '';
  if (RC_FILES.has(name)) return 'shell-rc';
  if (name.startsWith('.env')) return 'env';
  if (HISTORY_FILES.has(name)) return 'history';
  if (name === '.webflowrc.json') return 'webflowrc-json';
  if (/^\.webflowrc\.(c|m)?js$/.test(name)) return 'webflowrc-js';
  if (name === 'auth.json' && folder.toLowerCase() === 'webflow') return 'webflow-cli-auth';
  if (MCP_CONFIG_NAMES.has(name)) return 'mcp-config';
  if (name.endsWith('.json') || name.endsWith('.jsonc')) return 'json';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (name.endsWith('.toml')) return 'toml';
  return null;
}

export interface JsonParse {
  value: unknown;
  errors: ParseError[];
}

/** JSON with comments and trailing commas, as VS Code and Claude Code files may hold. */
export function parseJsonc(text: string): JsonParse {
  const errors: ParseError[] = [];
  const value: unknown = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  return { value, errors };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The kind of a file, looking inside JSON ones: MCP configs and the Webflow CLI's session file. */
export function fileKindOf(path: string, text: string): FileKind | null {
  const byName = fileKindByName(path);
  if (byName !== 'json' && byName !== 'mcp-config') return byName;
  const { value, errors } = parseJsonc(text);
  if (errors.length > 0 || !isObject(value)) return byName;
  if (isObject(value.session) && typeof value.session.accessToken === 'string') return 'webflow-cli-auth';
  if (isObject(value.mcpServers) || isObject(value.servers) || isObject(value.projects)) return 'mcp-config';
  return byName;
}

/** A line of `text` (1-based) at a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
