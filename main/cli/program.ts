// The `wfvault` command tree. Each command module adds its commands; this file holds what they share.
import { Command, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../core/errors.js';
import { blankProblem, blankRefProblem } from '../core/ref.js';
import type { ServiceDeps } from '../services/deps.js';
import { buildDeps, type GlobalOptions } from './context.js';
import { takePassphraseFromFd } from './passphrase-sources.js';

declare const WFVAULT_VERSION: string | undefined;
export const VERSION = typeof WFVAULT_VERSION === 'string' ? WFVAULT_VERSION : '0.0.0-dev';

/** Options every command accepts, before or after its name. */
export function withGlobals(cmd: Command): Command {
  return cmd
    .addOption(new Option('--vault-dir <dir>', 'vault folder (default: the app data folder; env WFVAULT_DIR)'))
    .addOption(new Option('--json', 'machine-readable output on stdout'))
    .addOption(new Option('--passphrase-fd <n>', 'read the vault passphrase from file descriptor N (passphrase vaults)').argParser(parseFd))
    .addOption(new Option('--allow-shared-dir', 'use a vault folder that others may write to or that belongs to someone else (env WFVAULT_ALLOW_SHARED_DIR=1)'));
}

function parseFd(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError('expected a file descriptor number, e.g. 3');
  return Number(value);
}

export function globalsOf(cmd: Command): GlobalOptions {
  const merged = cmd.optsWithGlobals<GlobalOptions>();
  return { vaultDir: merged.vaultDir, json: Boolean(merged.json), allowSharedDir: Boolean(merged.allowSharedDir) };
}

export function depsOf(cmd: Command): ServiceDeps {
  return buildDeps(globalsOf(cmd), cmd.name());
}

export function newProgram(): Command {
  const program = new Command('wfvault')
    .description('Keep Webflow API tokens in an encrypted vault backed by the OS keychain.')
    .version(VERSION, '-V, --version')
    .enablePositionalOptions()
    .showHelpAfterError('(run `wfvault --help` for usage)')
    .exitOverride();
  withGlobals(program);
  // Read before the command runs, so that the descriptor is closed before any child can inherit it.
  program.hook('preAction', (_program, action) => {
    const fd = action.optsWithGlobals<{ passphraseFd?: number }>().passphraseFd;
    if (fd !== undefined) takePassphraseFromFd(fd);
  });
  program.addHelpText(
    'after',
    `
Secrets are read from stdin or a hidden prompt, never from arguments.

Examples:
  wfvault init
  pbpaste | wfvault add --label "Acme site"
  wfvault list
  wfvault test --all
  wfvault exec "Acme site" -- node deploy.js

Exit codes: 0 ok, 1 failed, 2 usage, 3 token rejected, 4 rate-limited,
5 vault unavailable, 6 network, 130 cancelled.`,
  );
  return program;
}

/** A subcommand with the shared options and commander's error handling. */
export function subcommand(parent: Command, nameAndArgs: string, description: string): Command {
  const cmd = parent.command(nameAndArgs).description(description).exitOverride().showHelpAfterError(`(run \`wfvault ${nameAndArgs.split(' ')[0]} --help\` for usage)`);
  checkBlankArguments(cmd);
  return withGlobals(cmd);
}

/**
 * What makes each argument that names a token unusable whatever the vault holds: a blank REF or
 * id, most often an unset shell variable.
 */
const BLANK_ARGUMENTS: Record<string, (value: string) => string | null> = {
  ref: blankRefProblem,
  refs: blankRefProblem,
  id: (id) => blankProblem('ID', id, 'give the exact token id that `wfvault team sync` named.'),
};

/**
 * Arguments are parsed before any hook or action runs, so a blank REF (`wfvault show "$UNSET"`)
 * fails there, before the keychain or a passphrase prompt is touched.
 */
function checkBlankArguments(cmd: Command): void {
  for (const arg of cmd.registeredArguments) {
    const problemOf = BLANK_ARGUMENTS[arg.name()];
    if (!problemOf) continue;
    const check = (value: string) => usableArgument(value, problemOf);
    if (arg.variadic) arg.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), check(value)]);
    else arg.argParser(check);
  }
}

/** The value as given, or a usage error (prefixed with `where`, when given) saying why it is unusable. */
function usableArgument(value: string, problemOf: (value: string) => string | null, where = ''): string {
  const problem = problemOf(value);
  // Not commander's InvalidArgumentError: its message would echo the value, which here is whitespace at best.
  if (problem) throw new AppError('usage', where ? `${where}: ${problem}` : problem);
  return value;
}

/** REF as given, or a usage error when it is blank. */
export function checkRefArgument(ref: string, where = ''): string {
  return usableArgument(ref, blankRefProblem, where);
}
