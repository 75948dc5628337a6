// test: ask Webflow whether tokens still work.
import { InvalidArgumentError, type Command } from 'commander';
import { summarizeResults } from '../../core/test-summary.js';
import type { TokenTestResult } from '../../services/testing.js';
import { scopeSummary } from '../format.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson, warn } from '../style.js';
import { identityFdOption } from './team-commands.js';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('expected a whole number from 1 to 16.');
  return n;
}

export function registerTestCommand(program: Command): void {
  subcommand(program, 'test [refs...]', 'test tokens against Webflow (all when no REF is given)')
    .option('--all', 'test every stored token')
    .option('--concurrency <n>', 'tokens tested at once (1-16)', positiveInt, 4)
    .option('--team <name>', "test a team's tokens (every REF names one of its tokens); results stay on this machine")
    .addOption(identityFdOption())
    .action(async (refs: string[], opts: { all?: boolean; concurrency: number; team?: string }, cmd: Command) => {
      const { batchExitCode, testStoredTokens } = await import('../../services/testing.js');
      const json = globalsOf(cmd).json;
      const selection = {
        refs,
        all: opts.all,
        concurrency: opts.concurrency,
        onResult: json ? undefined : (r: TokenTestResult) => process.stdout.write(`${line(r)}\n`),
      };
      let results: TokenTestResult[];
      if (opts.team) {
        const { testTeamTokens } = await import('../../services/team-testing.js');
        results = await testTeamTokens(depsOf(cmd), opts.team, { ...selection, onNotKept: (e) => warn(`the results were not kept on this machine: ${e.message}`) });
      } else {
        results = await testStoredTokens(depsOf(cmd), selection);
      }
      if (json) printJson(results);
      else if (results.length === 0) info('No tokens to test.');
      else info(summarizeResults(results));
      process.exitCode = batchExitCode(results);
    });
}

function line(r: TokenTestResult): string {
  const mark = r.ok ? out.green('valid   ') : r.status === 'rejected' ? out.red('rejected') : out.yellow(r.status.padEnd(8));
  const detail = r.ok ? `scopes ${scopeSummary(r.scopes)}` : r.message;
  return `${mark}  ${r.id}  ${r.label}  ${detail}`;
}
