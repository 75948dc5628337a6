// Revoking tokens. Nothing is wiped until Webflow itself answers 401 to the token: a "yes" from
// the revoke endpoint or a click in the dashboard proves little on its own.
import { AppError } from '../core/errors.js';
import { revokePlan, type RevokePlan } from '../core/revoke-plan.js';
import type { PublicToken, StoredOAuthApp, StoredToken, Tombstone } from '../core/token.js';
import { toPublic } from '../core/token-values.js';
import { revokeOAuthToken } from '../webflow/oauth.js';
import { testToken } from '../webflow/test-token.js';
import type { ServiceDeps } from './deps.js';
import { findLive } from './token-use.js';
import { outcomeError } from './tokens.js';
import { applyTestOutcome } from '../core/records.js';

export type RevokeResult =
  | { state: 'pending'; token: PublicToken; plan: RevokePlan }
  | { state: 'revoked'; tombstone: Tombstone };

/**
 * Site and Workspace tokens: without `confirm`, marks the token pending and returns where to
 * revoke it; with `confirm`, tests it and keeps only a tombstone once Webflow rejects it.
 * OAuth tokens: revokes through the API and verifies in one step.
 */
export async function revokeToken(deps: ServiceDeps, ref: string, opts: { confirm?: boolean } = {}): Promise<RevokeResult> {
  const data = await deps.vault.read();
  const token = findLive(data, ref);
  // An OAuth token whose app profile is gone can still be revoked in Webflow; --confirm then verifies.
  if (token.kind === 'oauth' && !opts.confirm) return revokeOAuth(deps, token, data.apps);
  if (!opts.confirm) {
    const marked = await deps.vault.update((data) => {
      const t = findLive(data, token.id);
      t.revokePendingSince ??= deps.now().toISOString();
      return toPublic(t);
    });
    return { state: 'pending', token: marked, plan: revokePlan(marked, deps.webflow.oauthBaseUrl) };
  }
  return verifyAndBury(
    deps,
    token,
    'Webflow still accepts this token. Revoke it in the dashboard first, then run this again.',
    'Webflow still accepts this token. Revoke it in Webflow first, then press “Check now” again.',
  );
}

async function revokeOAuth(deps: ServiceDeps, token: StoredToken, apps: readonly StoredOAuthApp[]): Promise<RevokeResult> {
  const app = apps.find((a) => a.id === token.oauthAppId);
  if (!app) {
    const why = `Token ${token.id} (${token.label}) has no OAuth app profile in the vault, and revoking needs that app's client id and secret.`;
    throw new AppError('failed', `${why} Revoke the app's access in Webflow's Apps & integrations settings, then run \`wfvault revoke --confirm ${token.id}\` to verify and wipe it.`, {
      window: `${why} Revoke the app's access in Webflow's Apps & integrations settings, once Webflow rejects the token, Test shows it and Remove wipes it from this vault.`,
    });
  }
  await revokeOAuthToken(deps.webflow, { clientId: app.clientId, clientSecret: app.clientSecret, accessToken: token.secret });
  return verifyAndBury(deps, token, 'Webflow answered that the token was revoked, yet it still works. It is kept in the vault; revoke the app\'s access in Webflow and check again.');
}

async function verifyAndBury(deps: ServiceDeps, token: StoredToken, stillWorks: string, stillWorksInWindow = stillWorks): Promise<RevokeResult> {
  const outcome = await testToken(deps.webflow, token.secret, { kind: token.kind });
  const now = deps.now();
  if (outcome.status === 'rejected' && outcome.httpStatus === 401) {
    const tombstone = await deps.vault.update((data) => {
      const current = data.tokens.find((t) => t.id === token.id);
      const stone: Tombstone = { id: token.id, label: current?.label ?? token.label, kind: token.kind, revokedAt: now.toISOString() };
      data.tokens = data.tokens.filter((t) => t.id !== token.id);
      data.tombstones.push(stone);
      return stone;
    });
    return { state: 'revoked', tombstone };
  }
  await deps.vault.update((data) => {
    const index = data.tokens.findIndex((t) => t.id === token.id);
    if (index >= 0) data.tokens[index] = applyTestOutcome(data.tokens[index]!, outcome, now);
  });
  if (outcome.ok) throw new AppError('revoke_unconfirmed', `${token.label} (${token.id}): ${stillWorks}`, { window: `${token.label} (${token.id}): ${stillWorksInWindow}` });
  throw outcomeError(outcome, 'The revoke could not be verified; nothing was wiped.');
}
