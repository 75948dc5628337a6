// exec: run a command with a token in its environment, so the token never lands in a file.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { recordLocalUse, tokenForUse } from '../../services/token-use.js';
import { depsOf, subcommand } from '../program.js';
import { warn } from '../style.js';

// Signals a terminal sends to the whole foreground process group reach the child by themselves:
// relaying them too would deliver Ctrl-C twice (many tools take a second one as "quit now").
// wfvault only has to outlive them, so it can report the child's exit code.
const FROM_TERMINAL: NodeJS.Signals[] = ['SIGINT', 'SIGQUIT', 'SIGWINCH'];
// Signals sent to wfvault alone (kill, a supervisor, a closed terminal) are passed on.
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

export function registerExecCommand(program: Command): void {
  subcommand(program, 'exec <ref> [command...]', 'run COMMAND with WEBFLOW_API_TOKEN (and WEBFLOW_SITE_ID) set')
    .passThroughOptions()
    .addHelpText('after', '\nExample:\n  wfvault exec "Acme site" -- node deploy.js --dry-run')
    .action(async (ref: string, rest: string[], _opts: unknown, cmd: Command) => {
      // With pass-through options commander keeps the `--` that separates our arguments from the child's.
      const command = rest[0] === '--' ? rest.slice(1) : rest;
      if (command.length === 0) throw new AppError('usage', 'Name the command to run after `--`, for example: wfvault exec REF -- node deploy.js');
      const deps = depsOf(cmd);
      const token = await tokenForUse(deps, ref);
      const env: NodeJS.ProcessEnv = { ...process.env, WEBFLOW_API_TOKEN: token.secret };
      if (token.siteId) env.WEBFLOW_SITE_ID = token.siteId;
      else delete env.WEBFLOW_SITE_ID;
      const code = await runChild(command, env, () => recordLocalUse(deps, token.id));
      process.exitCode = code;
    });
}

/** Resolves with the child's exit code, or 128 + the signal number that ended it. */
function runChild(command: string[], env: NodeJS.ProcessEnv, whileRunning: () => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const [file, ...args] = command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', env });
    const relay = (signal: NodeJS.Signals) => child.kill(signal);
    const ignore = () => {};
    for (const s of FORWARDED) process.on(s, relay);
    for (const s of FROM_TERMINAL) process.on(s, ignore);
    const release = () => {
      for (const s of FORWARDED) process.off(s, relay);
      for (const s of FROM_TERMINAL) process.off(s, ignore);
    };
    // Recording the use overlaps with the child so exec adds no vault write to its start-up.
    const recorded = whileRunning().catch((e: unknown) => {
      warn(`could not record the use of this token: ${e instanceof Error ? e.message : 'unknown error'}`);
    });
    child.once('error', (e: NodeJS.ErrnoException) => {
      release();
      const why = e.code === 'ENOENT' ? 'command not found' : e.code === 'EACCES' ? 'permission denied' : 'it could not be started';
      void recorded.then(() => reject(new AppError('failed', `Could not run "${file}": ${why}.`)));
    });
    child.once('exit', (code, signal) => {
      release();
      const status = code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0);
      void recorded.then(() => resolve(status));
    });
  });
}
