// Resolves a REF (exact label, exact id, or an id prefix of at least 4 characters) to one item.
import { AppError } from './errors.js';
import { looksLikeToken } from './token-pattern.js';

export const MIN_PREFIX = 4;

interface Referable {
  id: string;
  label: string;
}

/**
 * Why an argument named NAME (REF, ID) that is blank can name no token whatever the vault holds,
 * or null. Labels and ids are never empty, so a blank one is a usage slip (often an unset shell
 * variable), told before the vault is opened.
 */
export function blankProblem(name: string, value: string, advice: string): string | null {
  if (value.trim() !== '') return null;
  return `${name} is ${value === '' ? 'empty' : 'only whitespace'}: ${advice}`;
}

export function blankRefProblem(ref: string): string | null {
  return blankProblem('REF', ref, `name a token by its exact label, its exact id, or an id prefix of at least ${MIN_PREFIX} characters. Run \`wfvault list\` to see them.`);
}

export function resolveRef<T extends Referable>(items: readonly T[], ref: string): T {
  const exact = items.filter((t) => t.id === ref || t.label === ref);
  if (exact.length === 1) return exact[0]!;
  const matches =
    exact.length > 1 ? exact : ref.length >= MIN_PREFIX ? items.filter((t) => t.id.startsWith(ref)) : [];
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    // A pasted token in place of a REF must not be echoed into terminals and CI logs.
    if (looksLikeToken(ref)) throw new AppError('ref_not_found', 'That looks like a token, not a REF: name a token by its label or id. Run `wfvault list` to see them.');
    const hint = ref.length < MIN_PREFIX ? ` (an id prefix needs at least ${MIN_PREFIX} characters)` : '';
    throw new AppError('ref_not_found', `No token matches "${ref}"${hint}. Run \`wfvault list\` to see labels and ids.`);
  }
  const listed = matches.map((t) => `${t.id} (${t.label})`).join(', ');
  throw new AppError('ref_ambiguous', `"${ref}" matches ${matches.length} tokens: ${listed}. Use a longer id prefix.`, {
    matches: matches.map((t) => ({ id: t.id, label: t.label })),
  });
}
