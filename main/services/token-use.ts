// The local uses of a stored secret (exec, reveal, copy): find it, hand it over, note the use.
// Kept apart from the other token use cases so that `wfvault exec` loads no Webflow client or
// schema library on its way to starting the child.
import { AppError } from '../core/errors.js';
import { resolveRef } from '../core/ref.js';
import { useConcern, type UseConcern } from '../core/use-concern.js';
import type { StoredToken, Tombstone, VaultData } from '../core/token.js';
import type { ServiceDeps } from './deps.js';

/** Live tokens first: a label may be reused after the token that had it was revoked. */
export function findLive(data: VaultData, ref: string): StoredToken {
  const item = findRecord<StoredToken | Tombstone>(data.tokens, data.tombstones, ref);
  if (!('secret' in item)) {
    throw new AppError('not_found', `Token ${item.id} (${item.label}) was revoked on ${item.revokedAt}; only its tombstone is left.`);
  }
  return item;
}

/** Resolves among live records, and among tombstones only when no live record matches. */
export function findRecord<T extends { id: string; label: string }>(live: readonly T[], tombstones: readonly T[], ref: string): T {
  try {
    return resolveRef(live, ref);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'ref_not_found' || tombstones.length === 0) throw e;
    try {
      return resolveRef(tombstones, ref);
    } catch {
      throw e;
    }
  }
}

export interface TokenForUse {
  id: string;
  label: string;
  secret: string;
  /** Set when the token covers exactly one site, for WEBFLOW_SITE_ID. */
  siteId: string | null;
  /** Every site the token is known to cover (empty when unknown). */
  siteIds: string[];
  /** Why the token may not work (revoke pending, rejected, expired), for a warning before use. */
  concern: UseConcern | null;
  /** Removed team members who could read this secret: it still works, but should be rotated. */
  exposedTo: string[];
}

/**
 * Reads one secret for a local use (reveal, exec, copy) without writing the vault. With a team
 * (`deps.team`, from `--team`), the tokens come from that team's verified repository instead.
 */
export async function tokenForUse(deps: ServiceDeps, ref: string): Promise<TokenForUse> {
  const [token] = await tokensForUse(deps, [ref]);
  return token!;
}

/**
 * Reads the secrets for several REFs with one vault read. A REF that does not resolve throws,
 * with `details.refIndex` naming which one, so callers can say where it came from.
 */
export async function tokensForUse(deps: ServiceDeps, refs: readonly string[]): Promise<TokenForUse[]> {
  let find: (ref: string) => Promise<{ token: StoredToken; exposedTo: string[] }>;
  if (deps.team) {
    const { teamTokenFinder } = await import('./team.js');
    find = await teamTokenFinder(deps, deps.team);
  } else {
    const data = await deps.vault.read();
    find = async (ref) => ({ token: findLive(data, ref), exposedTo: [] });
  }
  const now = deps.now();
  const found: TokenForUse[] = [];
  for (const [refIndex, ref] of refs.entries()) {
    let token: StoredToken;
    let exposedTo: string[];
    try {
      ({ token, exposedTo } = await find(ref));
    } catch (e) {
      if (e instanceof AppError) throw new AppError(e.code, e.message, { ...e.details, refIndex });
      throw e;
    }
    found.push({
      id: token.id,
      label: token.label,
      secret: token.secret,
      siteId: token.siteIds.length === 1 ? token.siteIds[0]! : null,
      siteIds: [...token.siteIds],
      concern: useConcern(token, now),
      exposedTo,
    });
  }
  return found;
}

/** Stamps `lastLocalUseAt`; separate from the read so exec can do it while the child runs. */
export async function recordLocalUse(deps: ServiceDeps, id: string): Promise<void> {
  // A team token's use is not written back: every use would be a commit for the whole team.
  if (deps.team) return;
  await deps.vault.update((data) => {
    const token = data.tokens.find((t) => t.id === id);
    if (token) token.lastLocalUseAt = deps.now().toISOString();
  });
}
