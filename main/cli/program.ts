// The `wfvault` command tree. Each command module adds its commands; this file holds what they share.
import { Command, Option } from 'commander';
import type { ServiceDeps } from '../services/deps.js';
import { buildDeps, type GlobalOptions } from './context.js';

declare const WFVAULT_VERSION: string | undefined;
export const VERSION = typeof WFVAULT_VERSION === 'string' ? WFVAULT_VERSION : '0.0.0-dev';

/** Options every command accepts, before or after its name. */
export function withGlobals(cmd: Command): Command {
  return cmd
    .addOption(new Option('--vault-dir <dir>', 'vault folder (default: the app data folder; env WFVAULT_DIR)'))
    .addOption(new Option('--json', 'machine-readable output on stdout'));
}

export function globalsOf(cmd: Command): GlobalOptions {
  const merged = cmd.optsWithGlobals<GlobalOptions>();
  return { vaultDir: merged.vaultDir, json: Boolean(merged.json) };
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
  return withGlobals(cmd);
}
