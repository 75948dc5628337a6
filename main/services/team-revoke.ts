// Revoking a team token, the same way as a personal one: nothing is forgotten until Webflow
// answers 401. OAuth revokes need the app's client secret, which stays in each member's own
// vault: the member who connected the token (or anyone with the same app profile) revokes it.
import { AppError } from '../core/errors.js';
import { applyTestOutcome } from '../core/records.js';
import { revokePlan, type RevokePlan } from '../core/revoke-plan.js';
import type { StoredToken, Tombstone } from '../core/token.js';
import { toPublic } from '../core/token-values.js';
import type { Team, TeamToken } from '../team/team.js';
import type { ServiceDeps } from './deps.js';
import { deleteTeamToken, teamStoredToken, updateTeamRecord, type TeamTokenView } from './team.js';

export type TeamRevokeResult =
  | { state: 'pending'; token: TeamTokenView; plan: RevokePlan }
  | { state: 'revoked'; tombstone: Tombstone & { team: string } };

export async function revokeTeamToken(deps: ServiceDeps, name: string, ref: string, opts: { confirm?: boolean } = {}): Promise<TeamRevokeResult> {
  const { team, token: t } = await teamStoredToken(deps, name, ref);
  team.requireHuman();
  const token = t.record.token;
  if (token.kind === 'oauth' && !opts.confirm) {
    const data = await deps.vault.read();
    const app = data.apps.find((a) => a.id === token.oauthAppId);
    if (!app) {
      throw new AppError(
        'failed',
        `Team token ${token.id} (${token.label}) was connected through an OAuth app whose profile is not in your vault; revoking needs that app's client id and secret. Ask the member who connected it, or revoke the app's access in Webflow and run \`wfvault revoke --team ${name} --confirm ${token.id}\`.`,
      );
    }
    const { revokeOAuthToken } = await import('../webflow/oauth.js');
    await revokeOAuthToken(deps.webflow, { clientId: app.clientId, clientSecret: app.clientSecret, accessToken: token.secret });
    return verifyAndDelete(deps, team, t, "Webflow answered that the token was revoked, yet it still works. It is kept; revoke the app's access in Webflow and check again.");
  }
  if (!opts.confirm) {
    const marked: StoredToken = { ...token, revokePendingSince: token.revokePendingSince ?? deps.now().toISOString() };
    await updateTeamRecord(team, t, marked, deps.now());
    const view: TeamTokenView = { ...toPublic(marked), team: name, exposedTo: t.record.exposedTo, only: t.record.only, changedBy: team.state.me.name, changedAt: deps.now().toISOString() };
    return { state: 'pending', token: view, plan: revokePlan(view, deps.webflow.oauthBaseUrl) };
  }
  return verifyAndDelete(deps, team, t, 'Webflow still accepts this token. Revoke it in the dashboard first, then run this again.');
}

/** Deletes the team's file once Webflow rejects the token; the git history remembers it existed. */
export async function verifyAndDelete(deps: ServiceDeps, team: Team, t: TeamToken, stillWorks: string): Promise<TeamRevokeResult> {
  const { testToken } = await import('../webflow/test-token.js');
  const { outcomeError } = await import('./tokens.js');
  const token = t.record.token;
  const outcome = await testToken(deps.webflow, token.secret, { kind: token.kind });
  if (outcome.status === 'rejected' && outcome.httpStatus === 401) {
    await deleteTeamToken(team, t);
    return { state: 'revoked', tombstone: { id: token.id, label: token.label, kind: token.kind, revokedAt: deps.now().toISOString(), team: team.name } };
  }
  await updateTeamRecord(team, t, applyTestOutcome(token, outcome, deps.now()), deps.now());
  if (outcome.ok) throw new AppError('revoke_unconfirmed', `${token.label} (${token.id}): ${stillWorks}`);
  throw outcomeError(outcome, 'The revoke could not be verified; nothing was wiped.');
}
