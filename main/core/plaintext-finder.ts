// Finds token-shaped values in a file's text together with what surrounds them: the variable or
// key that holds each, and the enclosing object path (JSON), key path (YAML) or table (TOML). The
// caller decides what counts (see `counts`), because only it knows which values are in the vault.
import { parseTree, type Node } from 'jsonc-parser';
import { parseJsonc, type FileKind, lineAt } from './file-kinds.js';
import { isAppCredentialName, mentionsWebflow, tokenCandidates } from './token-pattern.js';

export interface Candidate {
  line: number;
  value: string;
  /** The variable or key holding the value, when one can be told. */
  name: string | null;
  /** Where it sits: a JSON object path, a YAML key path or a TOML table, joined with dots. */
  context: string;
  /** The line's own text mentions Webflow. */
  lineMentions: boolean;
}

export function findCandidates(kind: FileKind, text: string): Candidate[] {
  if (kind === 'json' || kind === 'mcp-config' || kind === 'webflow-cli-auth' || kind === 'webflowrc-json') {
    const fromJson = jsonCandidates(text);
    if (fromJson) return fromJson;
  }
  return lineCandidates(kind, text);
}

/**
 * A candidate counts when its line, its variable or key, its enclosing path or the file (its name
 * or folder) mentions Webflow, or when the value is already in the vault.
 */
export function counts(c: Candidate, filePath: string, inVault: boolean): boolean {
  const near = filePath.split(/[\\/]+/).slice(-2).join('/');
  return inVault || c.lineMentions || mentionsWebflow(c.name ?? '') || mentionsWebflow(c.context) || mentionsWebflow(near);
}

/** An OAuth app's client id or secret, not a token. */
export function isAppCredential(c: Candidate): boolean {
  return c.name !== null && isAppCredentialName(c.name);
}

function jsonCandidates(text: string): Candidate[] | null {
  const { errors } = parseJsonc(text);
  if (errors.length > 0) return null;
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return null;
  const out: Candidate[] = [];
  const walk = (node: Node, path: string[]): void => {
    if (node.type === 'object') {
      for (const prop of node.children ?? []) {
        const key = prop.children?.[0];
        const value = prop.children?.[1];
        if (key && value) walk(value, [...path, String(key.value)]);
      }
      return;
    }
    if (node.type === 'array') {
      (node.children ?? []).forEach((child, i) => walk(child, [...path, String(i)]));
      return;
    }
    if (node.type !== 'string' || typeof node.value !== 'string') return;
    const found = tokenCandidates(node.value);
    if (found.length === 0) return;
    const line = lineAt(text, node.offset);
    const lineText = text.split(/\r?\n/)[line - 1] ?? '';
    const name = [...path].reverse().find((p) => !/^\d+$/.test(p)) ?? null;
    for (const value of found) out.push({ line, value, name, context: path.slice(0, -1).join('.'), lineMentions: mentionsWebflow(lineText) });
  };
  walk(root, []);
  return out;
}

// `NAME=value`, `export NAME="value"`, `name: value`, `name = "value"`, `set -x NAME value` (fish).
const ASSIGNMENT = /(?:^|[\s;{,(])(?:export\s+|set\s+-[a-zA-Z]+\s+|setenv\s+)?["']?([A-Za-z_][A-Za-z0-9_.-]*)["']?\s*(?:=|:|\s)\s*["'`]?$/;

function lineCandidates(kind: FileKind, text: string): Candidate[] {
  const out: Candidate[] = [];
  const yamlStack: Array<{ indent: number; key: string }> = [];
  let table = '';
  text.split(/\r?\n/).forEach((lineText, index) => {
    let context = '';
    if (kind === 'yaml') {
      const m = /^(\s*)(?:-\s+)?["']?([^"':#\s][^"':#]*?)["']?\s*:(?:\s|$)/.exec(lineText);
      if (m) {
        const indent = m[1]!.length;
        while (yamlStack.length > 0 && yamlStack.at(-1)!.indent >= indent) yamlStack.pop();
        context = yamlStack.map((s) => s.key).join('.');
        yamlStack.push({ indent, key: m[2]!.trim() });
      } else {
        context = yamlStack.map((s) => s.key).join('.');
      }
    } else if (kind === 'toml') {
      const header = /^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$/.exec(lineText);
      if (header) table = header[1]!;
      context = table;
    }
    for (const m of lineText.matchAll(/(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])/g)) {
      const before = lineText.slice(0, m.index);
      const name = ASSIGNMENT.exec(before)?.[1] ?? null;
      out.push({ line: index + 1, value: m[0], name, context, lineMentions: mentionsWebflow(lineText) });
    }
  });
  return out;
}
