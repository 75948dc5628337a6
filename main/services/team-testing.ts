// `wfvault test --team NAME`: team tokens tested like personal ones. The results are kept on this
// machine (team/health.ts), never committed: health is per machine, and a commit per test would
// be a change for every member on every run.
import { AppError } from '../core/errors.js';
import { applyTestOutcome } from '../core/records.js';
import type { StoredToken } from '../core/token.js';
import { toPublic } from '../core/token-values.js';
import { loadHealth, saveHealth, withHealth } from '../team/health.js';
import type { Team } from '../team/team.js';
import type { ServiceDeps } from './deps.js';
import { findTeamToken, openTeam } from './team.js';
import { testChosen, toTestResult, type TestSelection, type TokenTestResult } from './testing.js';

export interface TeamTokenTestResult extends TokenTestResult {
  team: string;
}

export interface TeamTestSelection extends Omit<TestSelection, 'onResult'> {
  onResult?: (r: TeamTokenTestResult) => void;
  /** The results could not be kept on this machine (a read-only or full disk), and the error that says why. */
  onNotKept?: (error: AppError) => void;
}

export async function testTeamTokens(deps: ServiceDeps, name: string, selection: TeamTestSelection = {}): Promise<TeamTokenTestResult[]> {
  return testOpenTeam(deps, await openTeam(deps, name), selection);
}

/** The same, on a team already open (a run over every team opens each once). */
export async function testOpenTeam(deps: ServiceDeps, team: Team, selection: TeamTestSelection = {}): Promise<TeamTokenTestResult[]> {
  team.requireMember();
  const all = await team.readAll();
  const health = await loadHealth(team);
  const refs = selection.refs ?? [];
  const picked = selection.all || refs.length === 0 ? all : [...new Map(refs.map((ref) => findTeamToken(team, all, ref)).map((t) => [t.record.token.id, t])).values()];
  const chosen = picked.map((t) => withHealth(team, health, t.record.token));
  const outcomes = await testChosen(deps, chosen, selection, (result) => selection.onResult?.({ ...result, team: team.name }));
  const at = deps.now();
  const tested: StoredToken[] = [];
  const results: TeamTokenTestResult[] = [];
  for (const token of chosen) {
    const outcome = outcomes.get(token.id);
    if (!outcome) continue;
    const next = applyTestOutcome(token, outcome, at);
    tested.push(next);
    results.push({ ...toTestResult(toPublic(next), outcome), team: team.name });
  }
  try {
    await saveHealth(team, tested, deps.vault.lockOptions);
  } catch (e) {
    // What Webflow answered is what was asked for; this machine's note of it is a cache that the
    // next test fills again, not worth losing the answers over.
    if (!(e instanceof AppError) || e.code !== 'vault_io') throw e;
    selection.onNotKept?.(e);
  }
  return results;
}
