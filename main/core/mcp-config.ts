// MCP client configs (Cursor, VS Code, Claude Desktop, Claude Code): finds the servers whose `env`
// holds a Webflow token, and rewrites such an entry to start the same server through
// `wfvault exec`, editing only those values so every other key, server, comment and the
// formatting stay as they were.
import { applyEdits, modify, type FormattingOptions, type JSONPath } from 'jsonc-parser';
import { parseJsonc } from './file-kinds.js';

export interface McpServer {
  /** Path of the server object, e.g. ['mcpServers', 'webflow'] or ['projects', '/p', 'mcpServers', 'x']. */
  path: string[];
  command: string | null;
  args: string[];
  env: Record<string, string>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function serverLabel(server: McpServer): string {
  return server.path.join('.');
}

function serversUnder(container: unknown, prefix: string[]): McpServer[] {
  if (!isObject(container)) return [];
  return Object.entries(container).flatMap(([name, raw]) => {
    if (!isObject(raw)) return [];
    const env = isObject(raw.env) ? Object.fromEntries(Object.entries(raw.env).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
    const args = Array.isArray(raw.args) ? raw.args.filter((a): a is string => typeof a === 'string') : [];
    return [{ path: [...prefix, name], command: typeof raw.command === 'string' ? raw.command : null, args, env }];
  });
}

export class McpParseError extends Error {}

/** Every server of the file: `mcpServers.*`, VS Code's `servers.*`, Claude Code's `projects.<path>.mcpServers.*`. */
export function mcpServers(text: string): McpServer[] {
  const { value, errors } = parseJsonc(text);
  if (errors.length > 0 || !isObject(value)) throw new McpParseError(errors.length > 0 ? 'not valid JSON' : 'not a JSON object');
  const found = [...serversUnder(value.mcpServers, ['mcpServers']), ...serversUnder(value.servers, ['servers'])];
  if (isObject(value.projects)) {
    for (const [project, config] of Object.entries(value.projects)) {
      if (isObject(config)) found.push(...serversUnder(config.mcpServers, ['projects', project, 'mcpServers']));
    }
  }
  return found;
}

/** A server that already starts through the vault is left alone. */
export function startsThroughVault(server: McpServer): boolean {
  const cmd = server.command ?? '';
  const base = cmd.split(/[\\/]/).at(-1) ?? '';
  if (/^wfvault(\.cmd|\.exe|\.js)?$/i.test(base)) return true;
  return server.args.some((a) => /(^|[\\/])wfvault(\.js)?$/.test(a)) && server.args.includes('exec');
}

export interface VaultLauncher {
  /** `wfvault`, or the absolute path of the running CLI (or of node, with the script first in `args`). */
  command: string;
  /** Arguments before `exec`: the script path when started through node, `--vault-dir D` for a vault elsewhere. */
  args: string[];
}

export interface InjectedToken {
  envName: string;
  tokenId: string;
}

/** The command line that starts `server` through the vault with `tokens` in their variables. */
export function vaultCommandLine(server: McpServer, launcher: VaultLauncher, tokens: readonly InjectedToken[]): { command: string; args: string[] } {
  const [first, ...more] = tokens;
  if (!first || server.command === null) throw new Error('nothing to inject');
  const args = [...launcher.args, 'exec', first.tokenId, '--as', first.envName];
  for (const t of more) args.push('--env', `${t.envName}=${t.tokenId}`);
  // The server gets exactly the variables it had, no WEBFLOW_SITE_ID it did not ask for.
  args.push('--no-site-id');
  args.push('--', server.command, ...server.args);
  return { command: launcher.command, args };
}

function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The file's text with `server` started through the vault and the injected tokens gone from its env. */
export function rewriteServer(text: string, server: McpServer, launcher: VaultLauncher, tokens: readonly InjectedToken[]): string {
  const line = vaultCommandLine(server, launcher, tokens);
  const formattingOptions = formattingOf(text);
  const edit = (current: string, path: JSONPath, value: unknown) => applyEdits(current, modify(current, path, value, { formattingOptions }));
  let next = edit(text, [...server.path, 'command'], line.command);
  next = edit(next, [...server.path, 'args'], line.args);
  const left = Object.keys(server.env).filter((name) => !tokens.some((t) => t.envName === name));
  // An env that held only the token goes altogether rather than stay behind as an empty object.
  if (left.length === 0) next = edit(next, [...server.path, 'env'], undefined);
  else for (const t of tokens) next = edit(next, [...server.path, 'env', t.envName], undefined);
  return next;
}
