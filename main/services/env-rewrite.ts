// Rewriting .env and shell rc files for `import --rewrite`: a value is swapped in place and every
// other byte (comments, blank lines, `export`, quotes, line ends) stays as it was. Values are read
// with dotenv's parser (env-file.ts); this only finds where each assignment's value sits.

// One assignment: indentation and `export`, the name, `=`, then a quoted or bare value, then an
// optional comment. Groups: 1 prefix, 2 name, 3 equals, 4 quote, 5 quoted value, 6 bare value, 7 rest.
const ASSIGNMENT = /^(\s*(?:export\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\s*=\s*)(?:(["'`])(.*?)\4|([^#\s]*))(\s*(?:#.*)?)$/;

export interface EnvRewrite {
  text: string;
  /** Lines (1-based) that were changed. */
  lines: number[];
}

/**
 * Replaces every assignment whose value is one of `replacements`' keys with its new value, in the
 * same quotes and with the same `export`, spacing and comment. Nothing else changes.
 */
export function rewriteEnvValues(text: string, replacements: ReadonlyMap<string, string>): EnvRewrite {
  // Line contents at even indexes, their line ends (kept as they were) at odd ones.
  const parts = text.split(/(\r\n|\n|\r)/);
  const changed: number[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const m = ASSIGNMENT.exec(parts[i]!);
    if (!m) continue;
    const next = replacements.get(m[5] ?? m[6] ?? '');
    if (next === undefined) continue;
    const quote = m[4] ?? '';
    parts[i] = `${m[1]}${m[2]}${m[3]}${quote}${next}${quote}${m[7]}`;
    changed.push(i / 2 + 1);
  }
  return { text: parts.join(''), lines: changed };
}
