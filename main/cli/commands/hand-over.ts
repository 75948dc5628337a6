// What `exec` and `run` share once the tokens are read: warnings about tokens that may not work,
// --strict, starting the program, and noting each token's use while it runs.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { ServiceDeps } from '../../services/deps.js';
import { recordLocalUse, type TokenForUse } from '../../services/token-use.js';
import { environIsClean } from '../passphrase-sources.js';
import { warn } from '../style.js';
import { runChild } from './child-process.js';
import { identityFdOption } from './team-commands.js';

export interface HandOverOptions {
  mask?: boolean;
  strict?: boolean;
}

// No default value: commander would print it as `(default: [])` in the help.
export const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The options exec and run share: where their tokens come from, and what happens around COMMAND. */
export function withHandOverOptions(cmd: Command): Command {
  return cmd
    .option('--team <name>', 'read the tokens from this team (every REF names one of its tokens)')
    .addOption(identityFdOption())
    .option('--mask', "pass COMMAND's output through wfvault with every injected token replaced by <concealed by wfvault>")
    .option('--strict', 'do not start COMMAND (exit 3) when a token is revoke-pending, rejected by Webflow at its last test, or expired');
}

/**
 * The command must follow `--`: without it, an argument meant for the command that happens to be
 * one of wfvault's options (`--mask`, `--as X`) would be taken by wfvault without a word.
 */
export function checkSeparated(command: readonly string[], usage: string): void {
  if (command.length === 0) throw new AppError('usage', `Name the command to run after \`--\`, for example: ${usage}`);
  if (!process.argv.slice(2).includes('--')) throw new AppError('usage', `Put \`--\` before the command, so that its own options stay its own, for example: ${usage}`);
}

export async function handOver(deps: ServiceDeps, command: string[], env: NodeJS.ProcessEnv, tokens: readonly TokenForUse[], opts: HandOverOptions): Promise<number> {
  const unique = [...new Map(tokens.map((t) => [t.id, t])).values()];
  const concerns = unique.flatMap((t) => (t.concern ? [t.concern] : []));
  for (const c of concerns) warn(c.message);
  // Exposure is a reason to rotate, not a reason the program would fail: warned of, never blocking.
  for (const t of unique) {
    if (t.exposedTo.length && deps.team) warn(`"${t.label}" (${t.id}) is exposed: ${t.exposedTo.join(', ')} could read it before leaving team ${deps.team}; rotate it with \`wfvault team rotate ${t.id} --team ${deps.team}\`.`);
  }
  // Where the start-up environment could not be wiped (not Linux), the program about to start can
  // still read WFVAULT_PASSPHRASE from wfvault's environment: say so rather than promise otherwise.
  if (!environIsClean()) warn(`WFVAULT_PASSPHRASE stays readable in wfvault's environment by programs of your user, ${command[0]} included, while it runs; --passphrase-fd or WFVAULT_PASSPHRASE_FILE leave nothing there.`);
  if (opts.strict && concerns.length > 0) {
    throw new AppError('token_rejected', `Not starting ${command[0]} (--strict): ${concerns.length === 1 ? 'a token needs' : `${concerns.length} tokens need`} attention, see above.`);
  }
  return runChild(
    command,
    env,
    async () => {
      for (const t of unique) await recordLocalUse(deps, t.id);
    },
    opts.mask ? { mask: unique.map((t) => t.secret) } : {},
  );
}
