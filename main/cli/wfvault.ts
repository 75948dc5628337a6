#!/usr/bin/env node
// Entry point of the `wfvault` command: runs the command tree and turns failures into the exit
// codes of the README. Expected failures print one clear line, never a stack trace.
import { CommanderError } from 'commander';
import { EXIT, exitCodeFor, isAppError } from '../core/errors.js';
import { registerExecCommand } from './commands/exec-command.js';
import { registerOAuthCommands } from './commands/oauth-commands.js';
import { registerRevokeCommand } from './commands/revoke-command.js';
import { registerRunCommand } from './commands/run-command.js';
import { registerScanCommands } from './commands/scan-commands.js';
import { registerStatusCommand } from './commands/status-command.js';
import { registerTeamCommands } from './commands/team-commands.js';
import { registerTestCommand } from './commands/test-command.js';
import { registerTokenCommands } from './commands/token-commands.js';
import { registerVaultCommands } from './commands/vault-commands.js';
import { handleOutputErrors } from './closed-output.js';
import { newProgram } from './program.js';
import { takePassphraseFromEnv } from './passphrase-sources.js';
import { err, guardOutput, jsonText } from './style.js';

async function main(argv: string[]): Promise<number> {
  takePassphraseFromEnv();
  handleOutputErrors();
  guardOutput(process.stdout);
  guardOutput(process.stderr);
  const json = jsonRequested(argv);
  const program = newProgram();
  // With --json a failure is one JSON object on stderr; commander's own text is folded into it.
  let commanderText = '';
  if (json) program.configureOutput({ writeErr: (text) => void (commanderText += text) });
  registerVaultCommands(program);
  registerTokenCommands(program);
  registerTestCommand(program);
  registerExecCommand(program);
  registerRunCommand(program);
  registerRevokeCommand(program);
  registerScanCommands(program);
  registerStatusCommand(program);
  registerOAuthCommands(program);
  registerTeamCommands(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    return json ? reportJson(e, commanderText) : report(e);
  }
}

/** --json among wfvault's own arguments (not those after `--`, which belong to a child). */
function jsonRequested(argv: readonly string[]): boolean {
  const own = argv.slice(2);
  const end = own.indexOf('--');
  return (end === -1 ? own : own.slice(0, end)).includes('--json');
}

function reportJson(e: unknown, commanderText: string): number {
  const emit = (code: string, message: string) => process.stderr.write(`${jsonText({ error: { code, message } }, 0)}\n`);
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
    // commander's message, without its "error:" prefix and the pointer to --help.
    const message = (e.code === 'commander.help' ? 'No command given; run `wfvault --help` for the list.' : e.message).replace(/^error:\s*/i, '').trim();
    emit('usage', message || commanderText.trim().split('\n')[0] || 'usage error');
    return EXIT.usage;
  }
  if (isAppError(e)) {
    if (e.details.cancelled) return EXIT.cancelled;
    if (!e.details.reported) emit(e.code, e.message);
    debugTrace(e);
    return exitCodeFor(e.code);
  }
  emit('failed', `unexpected failure${e instanceof Error ? `: ${e.name}` : ''}. Run with WFVAULT_DEBUG=1 for details.`);
  debugTrace(e);
  return EXIT.failed;
}

function report(e: unknown): number {
  if (e instanceof CommanderError) {
    // Commander has already printed its message (or the help / version text).
    // `commander.help` is help shown because no command was given: a usage error, unlike --help.
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok;
    return EXIT.usage;
  }
  if (isAppError(e)) {
    if (e.details.cancelled) return EXIT.cancelled;
    if (!e.details.reported) process.stderr.write(`${err.red('error:')} ${e.message}\n`);
    debugTrace(e);
    return exitCodeFor(e.code);
  }
  process.stderr.write(`${err.red('error:')} unexpected failure${e instanceof Error ? `: ${e.name}` : ''}. Run with WFVAULT_DEBUG=1 for details.\n`);
  debugTrace(e);
  return EXIT.failed;
}

function debugTrace(e: unknown): void {
  if (process.env.WFVAULT_DEBUG === '1' && e instanceof Error && e.stack) process.stderr.write(`${err.dim(e.stack)}\n`);
}

const code = await main(process.argv);
process.exitCode = code;
