// test: ask Webflow whether tokens still work.
import type { Command } from 'commander';
import type { TokenTestResult } from '../../services/testing.js';
import { scopeSummary } from '../format.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson } from '../style.js';

export function registerTestCommand(program: Command): void {
  subcommand(program, 'test [refs...]', 'test tokens against Webflow (all when no REF is given)')
    .option('--all', 'test every stored token')
    .option('--concurrency <n>', 'tokens tested at once', (v) => Number.parseInt(v, 10), 4)
    .action(async (refs: string[], opts: { all?: boolean; concurrency: number }, cmd: Command) => {
      const { batchExitCode, testStoredTokens } = await import('../../services/testing.js');
      const json = globalsOf(cmd).json;
      const results = await testStoredTokens(depsOf(cmd), {
        refs,
        all: opts.all,
        concurrency: opts.concurrency,
        onResult: json ? undefined : (r) => process.stdout.write(`${line(r)}\n`),
      });
      if (json) printJson(results);
      else if (results.length === 0) info('No tokens to test.');
      else info(summary(results));
      process.exitCode = batchExitCode(results);
    });
}

function line(r: TokenTestResult): string {
  const mark = r.ok ? out.green('valid   ') : r.status === 'rejected' ? out.red('rejected') : out.yellow(r.status.padEnd(8));
  const detail = r.ok ? `scopes ${scopeSummary(r.scopes)}` : r.message;
  return `${mark}  ${r.id}  ${r.label}  ${detail}`;
}

function summary(results: readonly TokenTestResult[]): string {
  const valid = results.filter((r) => r.ok).length;
  const rejected = results.filter((r) => r.status === 'rejected').length;
  const limited = results.filter((r) => r.status === 'rate_limited').length;
  const unchecked = results.length - valid - rejected - limited;
  const parts = [`${valid} valid`];
  if (rejected) parts.push(`${rejected} rejected`);
  if (limited) parts.push(`${limited} rate-limited`);
  if (unchecked) parts.push(`${unchecked} could not be checked`);
  return parts.join(', ');
}
