// `wfvault import FILE`: moves the Webflow tokens a file holds into the vault, reading the file the
// way the tool that owns it does, and with `--rewrite` leaves the file so that tool still gets the
// same variables, now from the vault: `.env` and rc files keep `NAME=wfvault://ID`, MCP client
// configs start their server through `wfvault exec`, DevLink's `.webflowrc.js` reads the variable.
import { readFile, stat } from 'node:fs/promises';
import { AppError, isAppError } from '../core/errors.js';
import { fileKindOf, parseJsonc, type FileKind } from '../core/file-kinds.js';
import { mcpServers, rewriteServer, serverLabel, startsThroughVault, type InjectedToken, type McpServer, type VaultLauncher } from '../core/mcp-config.js';
import { counts, findCandidates, isAppCredential } from '../core/plaintext-finder.js';
import { shellQuote } from '../core/scan-advice.js';
import type { TokenKind } from '../core/token.js';
import { isAppCredentialName, looksLikeTokenNamed, mentionsWebflow } from '../core/token-pattern.js';
import { formatVaultRef } from '../core/vault-ref.js';
import type { ServiceDeps } from './deps.js';
import { envEntries } from './env-file.js';
import { rewriteEnvValues } from './env-rewrite.js';
import { rewriteDurably } from './file-rewrite.js';
import { secretHash } from './secret-hash.js';
import { addToken } from './tokens.js';
import { ioReason } from '../vault/atomic.js';

export interface ImportedItem {
  /** The variable, key or MCP server entry the token came from. */
  name: string;
  line: number;
  state: 'imported' | 'already_in_vault' | 'failed';
  tokenId: string | null;
  message: string;
  rewritten: boolean;
}

export interface FileImport {
  file: string;
  format: FileKind;
  items: ImportedItem[];
  rewritten: boolean;
  /** How to run things now that the tokens come from the vault; one line each. */
  advice: string[];
  /** Facts the person should know (a backup written, the CLI's path used). */
  notes: string[];
}

export interface ImportOptions {
  vars?: readonly string[];
  rewrite?: boolean;
  backup?: boolean;
  kind?: TokenKind;
  offline?: boolean;
  /** How an MCP client can start the vault's CLI; found by the caller (PATH, the running script). */
  launcher?: () => Promise<VaultLauncher & { note?: string }>;
}

/** One token found in the file, before it is imported. */
interface Found {
  name: string;
  line: number;
  value: string;
  label: string;
  /** The MCP server it belongs to, for configs. */
  server?: McpServer;
  envName?: string;
}

const NOT_REWRITTEN: Partial<Record<FileKind, (file: string) => string>> = {
  'webflow-cli-auth': (file) =>
    `The Webflow CLI owns ${file}, so it is not rewritten. Run \`wfvault import ${shellQuote(file)}\` without --rewrite, then \`webflow auth logout\`, and from then on run the CLI as \`wfvault exec REF -- webflow ...\` (it reads WEBFLOW_API_TOKEN).`,
  'webflowrc-json': (file) =>
    `A JSON file cannot refer to the environment, so ${file} is not rewritten. Run \`wfvault import ${shellQuote(file)}\` without --rewrite, then rename it to .webflowrc.js with \`authToken: process.env.WEBFLOW_API_TOKEN\` and run the CLI as \`wfvault exec REF --as WEBFLOW_API_TOKEN -- webflow devlink sync\`.`,
  history: (file) => `A shell history is not rewritten. Run \`wfvault import ${shellQuote(file)}\` without --rewrite, then delete the lines \`wfvault scan\` reports from ${file}.`,
  json: (file) => `${file} is not a file wfvault knows how to rewrite. Run \`wfvault import ${shellQuote(file)}\` without --rewrite, then remove the token from it and pass it with \`wfvault exec\`.`,
  yaml: (file) => `${file} is not a file wfvault knows how to rewrite. Run \`wfvault import ${shellQuote(file)}\` without --rewrite, then remove the token from it and pass it with \`wfvault exec\`.`,
  toml: (file) => `${file} is not a file wfvault knows how to rewrite. Run \`wfvault import ${shellQuote(file)}\` without --rewrite, then remove the token from it and pass it with \`wfvault exec\`.`,
};

export async function importFile(deps: ServiceDeps, file: string, opts: ImportOptions = {}): Promise<FileImport> {
  const text = await readText(file);
  const format = fileKindOf(file, text) ?? 'env';
  if (opts.rewrite) {
    const refusal = NOT_REWRITTEN[format];
    if (refusal) throw new AppError('usage', refusal(file));
  }
  const known = new Map<string, string>();
  for (const t of (await deps.vault.read()).tokens) known.set(secretHash(t.secret), t.id);
  const isKnown = (value: string) => known.has(secretHash(value));

  const found = findTokens(file, format, text, opts.vars ?? [], isKnown);
  const result: FileImport = { file, format, items: [], rewritten: false, advice: [], notes: [] };
  const idByValue = new Map<string, string>();
  const kind = opts.kind ?? (opts.offline && format === 'webflow-cli-auth' ? 'oauth' : undefined);
  for (const f of found) {
    const already = idByValue.get(f.value);
    const item = already
      ? { name: f.name, line: f.line, state: 'already_in_vault' as const, tokenId: already, message: `the same token as above (${already})`, rewritten: false }
      : await importOne(deps, f, file, { ...opts, kind });
    if (item.tokenId) idByValue.set(f.value, item.tokenId);
    result.items.push(item);
  }

  if (opts.rewrite && idByValue.size > 0) {
    const next = await rewritten(format, text, found, idByValue, opts, result);
    if (next !== null && next !== text) {
      try {
        // The imports took a while (each token is tested): never write over an edit made meanwhile.
        if ((await readFile(file, 'utf8')) !== text) throw new AppError('failed', 'it changed while the tokens were being imported.');
        const backup = await rewriteDurably(file, next, { backup: opts.backup });
        if (backup) result.notes.push(`The original is kept as ${backup} (it still holds the token in plaintext: delete it once you are happy).`);
      } catch (e) {
        const ids = [...new Set(idByValue.values())].join(', ');
        const reason = e instanceof AppError ? e.message : describeFsError(e);
        throw new AppError('failed', `Could not rewrite ${file}: ${reason} The token${idByValue.size > 1 ? 's are' : ' is'} already in the vault (${ids}); ${file} was left as it was and still holds ${idByValue.size > 1 ? 'them' : 'it'} in plaintext. Fix the cause and run the same command again.`, {
          tokenIds: [...idByValue.values()],
        });
      }
      result.rewritten = true;
      for (const item of result.items) if (item.tokenId) item.rewritten = true;
    }
  }
  result.advice.push(...adviceAfter(format, file, found, idByValue, result.rewritten));
  return result;
}

async function readText(file: string): Promise<string> {
  const info = await stat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw new AppError('usage', `Cannot read ${file}: no such file.`);
    throw new AppError('failed', `Cannot read ${file}: ${describeFsError(e)}`);
  });
  if (info.isDirectory()) throw new AppError('usage', `Cannot read ${file}: it is a folder. Name a file, or find them first with \`wfvault scan ${shellQuote(file)}\`.`);
  if (!info.isFile()) throw new AppError('usage', `Cannot read ${file}: it is not a regular file.`);
  if (info.size > 16 * 1024 * 1024) throw new AppError('usage', `${file} is larger than 16 MiB; that is not a configuration file.`);
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new AppError('failed', `Cannot read ${file}: ${describeFsError(e)}`);
  });
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied.';
  if (code === 'EROFS') return 'the disk is read-only.';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk is full.';
  // The rest in words too (a folder in the way, an input/output error), never an errno alone.
  const reason = ioReason(e);
  return reason ? `${reason.why.replace(/, so nothing was changed$/u, '')}.` : 'unexpected error.';
}

function parseFailure(file: string, what: string): AppError {
  return new AppError('usage', `${file} is ${what}, so nothing was imported and the file was left untouched. Fix it (or name the variables with --var in a .env file) and try again.`);
}

function uniqueLabel(base: string, taken: Set<string>): string {
  let label = base;
  for (let n = 2; taken.has(label); n++) label = `${base}-${n}`;
  taken.add(label);
  return label;
}

function findTokens(file: string, format: FileKind, text: string, vars: readonly string[], isKnown: (v: string) => boolean): Found[] {
  const wanted = vars.length > 0 ? new Set(vars) : null;
  // Named with --var; else a token-shaped value under a Webflow name, or a value the vault holds.
  const pick = (name: string, value: string, webflowPlace = false) =>
    wanted ? wanted.has(name) : isKnown(value) || (looksLikeTokenNamed(name, value) && (mentionsWebflow(name) || webflowPlace));
  const out: Found[] = [];
  switch (format) {
    case 'env':
    case 'shell-rc': {
      const vars = envEntries(text, file).filter((v) => v.ref === undefined && v.refProblem === undefined);
      if (wanted) {
        const missing = [...wanted].filter((name) => !vars.some((v) => v.name === name));
        if (missing.length > 0) throw new AppError('usage', `${file} has no variable named ${missing.join(', ')}.`);
      }
      for (const v of vars) {
        if (!pick(v.name, v.value)) continue;
        if (isAppCredentialName(v.name) && !isKnown(v.value)) {
          if (wanted) throw appCredentialError(v.name);
          continue;
        }
        out.push({ name: v.name, line: v.line, value: v.value, label: v.name });
      }
      return out;
    }
    case 'mcp-config': {
      let servers: McpServer[];
      try {
        servers = mcpServers(text);
      } catch {
        throw parseFailure(file, describeJsonError(text));
      }
      for (const server of servers) {
        if (startsThroughVault(server)) continue;
        // A server whose name or command says Webflow may keep its token under any name.
        const webflowServer = mentionsWebflow([...server.path, server.command ?? '', ...server.args].join(' '));
        for (const [envName, value] of Object.entries(server.env)) {
          if (!pick(envName, value, webflowServer)) continue;
          if (isAppCredentialName(envName) && !isKnown(value)) {
            if (wanted) throw appCredentialError(envName);
            continue;
          }
          out.push({ name: `${serverLabel(server)}.env.${envName}`, line: lineOfValue(text, value), value, label: `${server.path.at(-1)} MCP server`, server, envName });
        }
      }
      return out;
    }
    case 'webflow-cli-auth':
    case 'webflowrc-json': {
      const { value, errors } = parseJsonc(text);
      if (errors.length > 0 || typeof value !== 'object' || value === null) throw parseFailure(file, describeJsonError(text));
      const record = value as Record<string, unknown>;
      const token = format === 'webflow-cli-auth' ? (record.session as Record<string, unknown> | undefined)?.accessToken : record.authToken;
      const name = format === 'webflow-cli-auth' ? 'session.accessToken' : 'authToken';
      if (typeof token === 'string' && token.length > 0) out.push({ name, line: lineOfValue(text, token), value: token, label: format === 'webflow-cli-auth' ? 'Webflow CLI' : 'DevLink' });
      return out;
    }
    case 'webflowrc-js': {
      for (const m of text.matchAll(WEBFLOWRC_JS_TOKEN)) out.push({ name: 'authToken', line: lineOfValue(text, m[2]!), value: m[2]!, label: 'DevLink' });
      return out;
    }
    default: {
      for (const c of findCandidates(format, text)) {
        if (!counts(c, file, isKnown(c.value)) || (isAppCredential(c) && !isKnown(c.value))) continue;
        if (wanted && !(c.name && wanted.has(c.name))) continue;
        out.push({ name: c.name ?? `line ${c.line}`, line: c.line, value: c.value, label: c.name ?? 'imported token' });
      }
      return out;
    }
  }
}

// `authToken: "<64 hex>"` in DevLink's JavaScript config; the literal is replaced by the variable.
const WEBFLOWRC_JS_TOKEN = /(authToken\s*:\s*)(?:"|'|`)([A-Za-z0-9]{64})(?:"|'|`)/g;

function appCredentialError(name: string): AppError {
  return new AppError('usage', `${name} is an OAuth app credential, not a token: it is never stored or sent to Webflow as one. Keep it with \`wfvault app add --name NAME --client-id ID --redirect-uri URI\` (the client secret on stdin).`);
}

function describeJsonError(text: string): string {
  const { errors } = parseJsonc(text);
  const first = errors[0];
  if (!first) return 'not a JSON object';
  const line = text.slice(0, first.offset).split('\n').length;
  return `not valid JSON (line ${line})`;
}

function lineOfValue(text: string, value: string): number {
  const at = text.indexOf(value);
  return at < 0 ? 0 : text.slice(0, at).split('\n').length;
}

async function importOne(deps: ServiceDeps, f: Found, file: string, opts: ImportOptions): Promise<ImportedItem> {
  const base = { name: f.name, line: f.line, rewritten: false };
  const labels = new Set((await deps.vault.read()).tokens.map((t) => t.label));
  const label = uniqueLabel(f.label, labels);
  try {
    const { token } = await addToken(deps, { label, kind: opts.kind, secret: f.value, offline: opts.offline, notes: `Imported from ${file}` });
    return { ...base, state: 'imported', tokenId: token.id, message: `stored as ${token.id} (${token.label}, ${token.kind})` };
  } catch (e) {
    if (isAppError(e) && e.code === 'duplicate_token' && e.details.reason === 'secret' && typeof e.details.id === 'string') {
      return { ...base, state: 'already_in_vault', tokenId: e.details.id, message: `already in the vault as ${e.details.id}` };
    }
    if (isAppError(e)) return { ...base, state: 'failed', tokenId: null, message: e.message };
    throw e;
  }
}

async function rewritten(format: FileKind, text: string, found: Found[], ids: Map<string, string>, opts: ImportOptions, result: FileImport): Promise<string | null> {
  switch (format) {
    case 'env':
    case 'shell-rc': {
      const refs = new Map([...ids].map(([value, id]) => [value, formatVaultRef(id)]));
      return rewriteEnvValues(text, refs).text;
    }
    case 'mcp-config': {
      if (!opts.launcher) return null;
      const launcher = await opts.launcher();
      if (launcher.note) result.notes.push(launcher.note);
      let next = text;
      const byServer = new Map<McpServer, InjectedToken[]>();
      for (const f of found) {
        const id = ids.get(f.value);
        if (!id || !f.server || !f.envName) continue;
        byServer.set(f.server, [...(byServer.get(f.server) ?? []), { envName: f.envName, tokenId: id }]);
      }
      for (const [server, tokens] of byServer) next = rewriteServer(next, server, launcher, tokens);
      return next;
    }
    case 'webflowrc-js':
      return text.replace(WEBFLOWRC_JS_TOKEN, (whole, prefix: string, value: string) => (ids.has(value) ? `${prefix}process.env.WEBFLOW_API_TOKEN` : whole));
    default:
      return null;
  }
}

function adviceAfter(format: FileKind, file: string, found: Found[], ids: Map<string, string>, rewrote: boolean): string[] {
  const stored = found.filter((f) => ids.has(f.value));
  if (stored.length === 0) return [];
  const first = ids.get(stored[0]!.value)!;
  switch (format) {
    case 'env':
    case 'shell-rc':
      return rewrote
        ? [`Run programs as \`wfvault run --env-file ${shellQuote(file)} -- COMMAND\`: they get the same variables, resolved from the vault.`]
        : [`Run again with --rewrite to replace the values with wfvault:// references, or run programs as \`wfvault exec ${first} --as ${stored[0]!.name} -- COMMAND\`.`];
    case 'mcp-config':
      return rewrote ? ['Restart the MCP client (or reload its MCP servers) so it starts the server through wfvault.'] : ['Run again with --rewrite to start the server through `wfvault exec` instead.'];
    case 'webflow-cli-auth':
      return [`Now run \`webflow auth logout\` so the CLI forgets its copy, and run the CLI as \`wfvault exec ${first} -- webflow ...\` (it reads WEBFLOW_API_TOKEN).`];
    case 'webflowrc-json':
      return [`Next: rename ${file} to .webflowrc.js with \`authToken: process.env.WEBFLOW_API_TOKEN\`, and run DevLink as \`wfvault exec ${first} --as WEBFLOW_API_TOKEN -- webflow devlink sync\`.`];
    case 'webflowrc-js':
      return [rewrote ? `Run DevLink as \`wfvault exec ${first} --as WEBFLOW_API_TOKEN -- webflow devlink sync\`.` : `Run again with --rewrite to read the token from WEBFLOW_API_TOKEN, then run DevLink as \`wfvault exec ${first} --as WEBFLOW_API_TOKEN -- webflow devlink sync\`.`];
    case 'history':
      return [`Delete the lines holding the token from ${file}; the vault has it now.`];
    default:
      return [`Remove the token from ${file} and pass it to the program with \`wfvault exec ${first} -- COMMAND\`.`];
  }
}
