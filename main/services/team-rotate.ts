// Rotating what a removed member could read. Webflow decides how: OAuth tokens are revoked through
// the API and replaced through a new login; Site and Workspace tokens cannot be revoked by API, so
// a new one made in the dashboard is pasted in, checked to reach the same sites with at least the
// same scopes, and the old one stays in the team as "revoke pending" until Webflow rejects it.
import { AppError } from '../core/errors.js';
import { applyTestOutcome } from '../core/records.js';
import { revokePlan, type RevokePlan } from '../core/revoke-plan.js';
import { normalizeSecret } from '../core/secret.js';
import type { StoredToken } from '../core/token.js';
import type { Team, TeamToken } from '../team/team.js';
import type { ServiceDeps } from './deps.js';
import { assertUnchanged, openTeam, updateTeamRecord } from './team.js';

export interface RotationStep {
  id: string;
  label: string;
  kind: StoredToken['kind'];
  exposedTo: string[];
  /** What to do, in words. */
  how: string;
  /** A replaced secret kept until Webflow rejects it. */
  revokePending: boolean;
}

function exposedOf(team: Team, t: TeamToken): string[] {
  return [...new Set([...t.record.exposedTo, ...t.pendingExposure])];
}

/** The walk-through: every exposed token this member can read, with what rotating it means. */
export async function rotationPlan(deps: ServiceDeps, name: string): Promise<{ steps: RotationStep[]; unreadable: string[] }> {
  const team = await openTeam(deps, name);
  team.requireHuman();
  return planOf(team, await team.readAll());
}

/** The walk-through for a team already open, from the tokens already read from it. */
export function planOf(team: Team, tokens: TeamToken[]): { steps: RotationStep[]; unreadable: string[] } {
  const name = team.name;
  const readable = new Set(tokens.map((t) => t.record.token.id));
  const unreadable = [...team.files.values()].filter((f) => !readable.has(f.id) && f.sig.readers.some((fp) => team.roster.removed.has(fp))).map((f) => f.id);
  const steps: RotationStep[] = [];
  for (const t of tokens) {
    const exposedTo = exposedOf(team, t);
    if (exposedTo.length === 0) continue;
    const token = t.record.token;
    const pending = token.revokePendingSince !== null;
    const how = pending
      ? `replaced already: revoke it in Webflow, then \`wfvault revoke --team ${name} --confirm ${token.id}\``
      : token.kind === 'oauth'
        ? `\`wfvault team rotate ${token.id} --team ${name}\` revokes it through the API and logs in again through its app`
        : `make a new ${token.kind} token in Webflow with the same sites and scopes, then \`wfvault team rotate ${token.id} --team ${name}\` with it on stdin`;
    steps.push({ id: token.id, label: token.label, kind: token.kind, exposedTo, how, revokePending: pending });
  }
  return { steps, unreadable };
}

async function find(deps: ServiceDeps, name: string, ref: string): Promise<{ team: Team; t: TeamToken }> {
  const team = await openTeam(deps, name);
  team.requireHuman();
  const { resolveRef } = await import('../core/ref.js');
  const all = (await team.readAll()).map((t) => ({ id: t.record.token.id, label: t.record.token.label, t }));
  return { team, t: resolveRef(all, ref).t };
}

export interface SiteRotation {
  token: { id: string; label: string };
  old: { id: string; label: string; plan: RevokePlan };
}

/**
 * Replaces a Site or Workspace token's secret with a new one that reaches the same sites (or
 * workspaces) with at least the same scopes; the old secret becomes a revoke-pending token.
 */
export async function rotatePasted(deps: ServiceDeps, name: string, ref: string, pasted: string): Promise<SiteRotation> {
  const { team, t } = await find(deps, name, ref);
  const old = t.record.token;
  if (old.kind === 'oauth') throw new AppError('usage', `${old.label} is an OAuth token: rotate it without pasting a token; it is revoked through the API and replaced through a new login.`);
  const secret = normalizeSecret(pasted);
  if (secret === old.secret) throw new AppError('usage', 'That is the exposed token itself; make a new one in Webflow and paste that.');
  const { testToken } = await import('../webflow/test-token.js');
  const { outcomeError } = await import('./tokens.js');
  // What the old token reaches now, when Webflow still answers for it; otherwise what was recorded.
  const before = await testToken(deps.webflow, old.secret, { kind: old.kind });
  const reference = before.ok ? applyTestOutcome(old, before, deps.now()) : old;
  const outcome = await testToken(deps.webflow, secret, { kind: old.kind });
  if (!outcome.ok) throw outcomeError(outcome, 'The replacement was not stored.');
  const next = applyTestOutcome({ ...old, secret, lastTest: null, testHistory: [], revokePendingSince: null }, outcome, deps.now());
  const missingSites = (old.kind === 'workspace' ? reference.workspaceIds.filter((w) => !next.workspaceIds.includes(w)) : reference.siteIds.filter((s) => !next.siteIds.includes(s)));
  const extraSites = old.kind === 'workspace' ? [] : next.siteIds.filter((s) => !reference.siteIds.includes(s));
  const missingScopes = reference.scopes.filter((s) => !next.scopes.includes(s));
  if (missingSites.length || extraSites.length || missingScopes.length) {
    const parts = [
      missingSites.length ? `it does not reach ${missingSites.join(', ')}` : '',
      extraSites.length ? `it also reaches ${extraSites.join(', ')}` : '',
      missingScopes.length ? `it lacks the scopes ${missingScopes.join(', ')}` : '',
    ].filter(Boolean);
    throw new AppError('usage', `The replacement does not match ${old.label}: ${parts.join('; ')}. Nothing was changed; make a token with the same ${old.kind === 'workspace' ? 'workspace' : 'sites'} and at least the same scopes.`);
  }
  const now = deps.now();
  const oldId = team.newTokenId();
  const oldLabel = `${old.label} (replaced ${now.toISOString().slice(0, 10)})`;
  const retired: StoredToken = { ...reference, id: oldId, label: oldLabel, revokePendingSince: now.toISOString() };
  await team.change(async () => {
    // Checked before the first write: the retired copy is of the token as read above.
    assertUnchanged(team, t);
    await team.writeRecord({ ...t.record, token: retired, writtenBy: team.requireHuman().name, writtenAt: now.toISOString() });
    await updateTeamRecord(team, t, next, now, { exposedTo: [] });
  });
  return { token: { id: next.id, label: next.label }, old: { id: oldId, label: oldLabel, plan: revokePlan(retired, deps.webflow.oauthBaseUrl) } };
}

/**
 * OAuth: revoke through the API, check Webflow rejects it, then log in again through the same app
 * and keep the new token under the same id and label.
 */
export async function rotateOAuth(
  deps: ServiceDeps,
  name: string,
  ref: string,
  login: { timeoutMs?: number; openBrowser?: (url: string) => Promise<void> | void; onProgress?: (p: import('../webflow/loopback-login.js').LoginProgress) => void },
): Promise<{ id: string; label: string }> {
  const { team, t } = await find(deps, name, ref);
  const old = t.record.token;
  if (old.kind !== 'oauth') throw new AppError('usage', `${old.label} is a ${old.kind} token: paste its replacement on stdin (\`wfvault team rotate ${old.id} --team ${name}\`).`);
  const data = await deps.vault.read();
  const app = data.apps.find((a) => a.id === old.oauthAppId);
  if (!app) throw new AppError('failed', `${old.label} was connected through an OAuth app whose profile is not in your vault; the member who connected it rotates it, or add the same app with \`wfvault app add\`.`);
  const { revokeOAuthToken } = await import('../webflow/oauth.js');
  const { testToken } = await import('../webflow/test-token.js');
  await revokeOAuthToken(deps.webflow, { clientId: app.clientId, clientSecret: app.clientSecret, accessToken: old.secret });
  const check = await testToken(deps.webflow, old.secret, { kind: 'oauth' });
  if (!(check.status === 'rejected' && check.httpStatus === 401)) {
    throw new AppError('revoke_unconfirmed', `${old.label}: Webflow answered that the token was revoked, yet it still works. Nothing was replaced; revoke the app's access in Webflow and run this again.`);
  }
  const { runLoopbackLogin } = await import('../webflow/loopback-login.js');
  let replaced: StoredToken | null = null;
  await runLoopbackLogin({
    config: deps.webflow,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.redirectUri,
    scopes: old.scopes.length ? old.scopes : app.scopes,
    timeoutMs: login.timeoutMs,
    openBrowser: login.openBrowser,
    onProgress: login.onProgress,
    onAccessToken: async (accessToken) => {
      const outcome = await testToken(deps.webflow, accessToken, { kind: 'oauth' });
      const base: StoredToken = { ...old, secret: accessToken, lastTest: null, testHistory: [], revokePendingSince: null };
      replaced = outcome.ok ? applyTestOutcome(base, outcome, deps.now()) : base;
      // The old secret is revoked by now: the new one is kept even if the token changed during the login.
      await updateTeamRecord(team, t, replaced, deps.now(), { exposedTo: [] }, { overwrite: true });
    },
  });
  if (!replaced) throw new AppError('failed', 'The login ended without a token; the old one is revoked. Run this again to connect a new one.');
  return { id: old.id, label: old.label };
}
