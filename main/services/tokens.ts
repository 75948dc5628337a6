// Use cases on stored tokens: list, show, add, edit, remove. The local uses (reveal, exec, copy)
// are in token-use.ts.
import { AppError } from '../core/errors.js';
import { autoLabel } from '../core/auto-label.js';
import { newId } from '../core/ids.js';
import { inferKind, newTokenRecord } from '../core/records.js';
import { normalizeSecret } from '../core/secret.js';
import type { TestOutcome } from '../core/test-outcome.js';
import { checkLabel, checkNote, checkTags } from '../core/text-fields.js';
import type { PublicToken, StoredToken, Tombstone, TokenKind, VaultData } from '../core/token.js';
import { toPublic, toPublicTombstone } from '../core/token-values.js';
import { testToken } from '../webflow/test-token.js';
import type { ServiceDeps } from './deps.js';
import { findLive, findRecord } from './token-use.js';

export interface TokenList {
  tokens: PublicToken[];
  tombstones: Tombstone[];
}

export async function listTokens(deps: ServiceDeps): Promise<TokenList> {
  const data = await deps.vault.read();
  return { tokens: data.tokens.map(toPublic), tombstones: data.tombstones.map(toPublicTombstone) };
}

/** A live token's public record, or the tombstone of a revoked one. */
export async function showToken(deps: ServiceDeps, ref: string): Promise<PublicToken | Tombstone> {
  const data = await deps.vault.read();
  return findRecord<PublicToken | Tombstone>(data.tokens.map(toPublic), data.tombstones.map(toPublicTombstone), ref);
}

function findBySecret(data: VaultData, secret: string): StoredToken | undefined {
  return data.tokens.find((t) => t.secret === secret);
}

function assertNew(data: VaultData, secret: string, label: string | null): void {
  const same = findBySecret(data, secret);
  if (same) throw new AppError('duplicate_token', `This token is already in the vault as ${same.id} (${same.label}).`, { id: same.id, reason: 'secret' });
  if (label === null) return;
  const labelled = data.tokens.find((t) => t.label === label);
  if (labelled) throw new AppError('name_taken', `The label "${label}" is already used by ${labelled.id}; pick another with --label.`, {
      id: labelled.id,
      reason: 'label',
      window: `The label "${label}" is already used by ${labelled.id}; pick another label.`,
    });
}

export interface AddTokenInput {
  /** Without one, the token is named after its sites or workspace (see auto-label.ts). */
  label?: string;
  kind?: TokenKind;
  secret: string;
  offline?: boolean;
  notes?: string;
  tags?: string[];
  oauthAppId?: string | null;
}

export interface AddTokenResult {
  token: PublicToken;
  outcome: TestOutcome | null;
}

/**
 * Tests the token first (unless offline) and stores it with what Webflow reports. A token Webflow
 * refuses, or that cannot be checked, is not stored: the message says why and how to force it.
 */
export async function addToken(deps: ServiceDeps, input: AddTokenInput): Promise<AddTokenResult> {
  const secret = normalizeSecret(input.secret);
  const label = input.label === undefined ? null : checkLabel(input.label);
  const notes = input.notes === undefined ? undefined : checkNote(input.notes);
  const tags = input.tags === undefined ? undefined : checkTags(input.tags);
  // Cheap early refusal before any network call; checked again under the lock.
  assertNew(await deps.vault.read(), secret, label);

  let outcome: TestOutcome | null = null;
  if (!input.offline) {
    outcome = await testToken(deps.webflow, secret, { kind: input.kind ?? 'site' });
    if (!outcome.ok) {
      const e = outcomeError(outcome, 'The token was not stored. Add --offline to store it without a check.');
      e.details.window = `${outcome.message} The token was not stored. Tick “Store without testing” to keep it without a check.`;
      throw e;
    }
  }
  const kind = input.kind ?? (outcome && inferKind(outcome)) ?? 'site';
  const token = await deps.vault.update((data) => {
    assertNew(data, secret, label);
    const taken = new Set([...data.tokens.map((t) => t.id), ...data.tombstones.map((t) => t.id)]);
    const now = deps.now();
    const draft = newTokenRecord({ id: newId(taken), label: label ?? '', kind, secret, notes, tags, oauthAppId: input.oauthAppId ?? null }, outcome, now);
    const record = label === null ? { ...draft, label: autoLabel(draft, new Set(data.tokens.map((t) => t.label)), now) } : draft;
    data.tokens.push(record);
    return toPublic(record);
  });
  return { token, outcome };
}

/** Turns a failed test into the AppError whose code gives the CLI's exit status. */
export function outcomeError(outcome: TestOutcome, hint = ''): AppError {
  const code =
    outcome.status === 'rejected'
      ? 'token_rejected'
      : outcome.status === 'rate_limited'
        ? 'rate_limited'
        : outcome.status === 'timeout'
          ? 'timeout'
          : outcome.status === 'malformed_response'
            ? 'malformed_response'
            : 'network';
  return new AppError(code, hint ? `${outcome.message} ${hint}` : outcome.message, {
    httpStatus: outcome.httpStatus,
    webflowCode: outcome.code,
  });
}

export interface TokenEdit {
  label?: string;
  notes?: string;
  /** Replaces every tag (the window sends the whole list). */
  tags?: string[];
  /** Added to, then removed from, the tags (the CLI's --tag and --untag). */
  addTags?: string[];
  removeTags?: string[];
}

export async function editToken(deps: ServiceDeps, ref: string, edit: TokenEdit): Promise<PublicToken> {
  // Checked before the vault is opened, so bad input costs nothing and changes nothing.
  const label = edit.label === undefined ? undefined : checkLabel(edit.label);
  const notes = edit.notes === undefined ? undefined : checkNote(edit.notes);
  const tags = edit.tags === undefined ? undefined : checkTags(edit.tags);
  const add = checkTags(edit.addTags ?? []);
  const remove = checkTags(edit.removeTags ?? [], '--untag');
  return deps.vault.update((data) => {
    const token = findLive(data, ref);
    if (label !== undefined) {
      const other = data.tokens.find((t) => t.label === label && t.id !== token.id);
      if (other) throw new AppError('name_taken', `The label "${label}" is already used by ${other.id}.`);
      token.label = label;
    }
    if (notes !== undefined) token.notes = notes;
    if (tags !== undefined) token.tags = tags;
    if (add.length > 0 || remove.length > 0) {
      const missing = remove.filter((t) => !token.tags.includes(t) && !add.includes(t));
      if (missing.length > 0) throw new AppError('usage', `${token.label} has no tag ${missing.map((t) => `"${t}"`).join(', ')}; its tags: ${token.tags.length > 0 ? token.tags.join(', ') : 'none'}.`);
      token.tags = [...new Set([...token.tags, ...add])].filter((t) => !remove.includes(t));
    }
    return toPublic(token);
  });
}

/** Forgets a token locally. It keeps working at Webflow; callers say so. */
export async function removeToken(deps: ServiceDeps, ref: string): Promise<PublicToken> {
  return deps.vault.update((data) => {
    const token = findLive(data, ref);
    data.tokens = data.tokens.filter((t) => t.id !== token.id);
    return toPublic(token);
  });
}

