// What a plaintext Webflow token looks like in a file. Webflow's Site, Workspace and OAuth tokens
// are 64 hexadecimal characters; other 64-hex values (hashes, commit ids) are common, so a match
// counts only on a line that mentions Webflow or when the value is already in the vault.
export const TOKEN_RE = /(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])/g;

export function tokenCandidates(line: string): string[] {
  return [...line.matchAll(TOKEN_RE)].map((m) => m[0]);
}

export function mentionsWebflow(text: string): boolean {
  return /webflow/i.test(text);
}

export function looksLikeToken(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

export interface EnvAssignment {
  line: number;
  name: string;
  value: string;
}

/** Parses `NAME=value`, `export NAME="value"` and `NAME='value'` lines, skipping comments. */
export function parseEnvLines(text: string): EnvAssignment[] {
  const out: EnvAssignment[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) return;
    let value = m[2]!;
    const quoted = /^(["'])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '');
    out.push({ line: index + 1, name: m[1]!, value });
  });
  return out;
}
