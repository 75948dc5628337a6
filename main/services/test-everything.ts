// "Test all" in the window and the tray: every token the list shows, the vault's own and each
// team's that this member reads. One run after the other, since each keeps its results in its own
// place: the vault for personal tokens, the team's health file on this machine for team tokens.
import { isAppError, windowMessage, type AppError } from '../core/errors.js';
import { countResults, summarizeCounts, type TestCounts } from '../core/test-summary.js';
import type { Team } from '../team/team.js';
import type { ServiceDeps } from './deps.js';
import { testOpenTeam } from './team-testing.js';
import { openTeam, teamNames } from './team.js';
import { testStoredTokens, type TokenTestResult } from './testing.js';

/** A result of "Test all": `team` names the team of a team token. */
export interface EveryTestResult extends TokenTestResult {
  team?: string;
}

export interface EveryTestRun {
  results: EveryTestResult[];
  counts: TestCounts;
  /** The counts in words, and what could not be tested or kept, team by team. */
  summary: string;
}

/** An error as the window words it, without its full stop: the summary goes on after it. */
const sentence = (e: AppError) => windowMessage(e).replace(/\.+$/u, '');

export async function testEveryToken(deps: ServiceDeps, report: (result: EveryTestResult, total: number) => void): Promise<EveryTestRun> {
  const personal = (await deps.vault.read()).tokens.length;
  const teams: Team[] = [];
  for (const name of await teamNames(deps)) {
    // A team that cannot be read shows its error in the list already; it has nothing to test here.
    const team = await openTeam(deps, name).catch((e: unknown) => {
      if (isAppError(e)) return null;
      throw e;
    });
    if (team?.isMember && team.readableFiles().length > 0) teams.push(team);
  }
  const total = personal + teams.reduce((n, t) => n + t.readableFiles().length, 0);
  const onResult = (result: EveryTestResult) => report(result, total);
  const results: EveryTestResult[] = personal > 0 ? await testStoredTokens(deps, { all: true, onResult }) : [];
  const notes: string[] = [];
  for (const team of teams) {
    try {
      results.push(...(await testOpenTeam(deps, team, { all: true, onResult, onNotKept: (e) => notes.push(`the results of team ${team.name} were not kept on this machine: ${sentence(e)}`) })));
    } catch (e) {
      // A token that does not decrypt, say: the other teams still run.
      if (!isAppError(e)) throw e;
      notes.push(`team ${team.name} was not tested: ${sentence(e)}`);
    }
  }
  const counts = countResults(results);
  return { results, counts, summary: [summarizeCounts(counts), ...notes].join('; ') };
}
