// run: start a program with the variables of env files whose values may be `wfvault://REF`
// references, each replaced by its token from the vault (the habit of `op run` and `dotenvx run`).
import type { Command } from 'commander';
import { AppError, isAppError } from '../../core/errors.js';
import { tokensForUse } from '../../services/token-use.js';
import { depsOf, subcommand } from '../program.js';
import { info } from '../style.js';
import { checkSeparated, collect, handOver, withHandOverOptions } from './hand-over.js';

interface RunOptions {
  team?: string;
  envFile?: string[];
  mask?: boolean;
  strict?: boolean;
}

export function registerRunCommand(program: Command): void {
  withHandOverOptions(
    subcommand(program, 'run [command...]', 'run COMMAND with the variables of env files, wfvault:// references replaced by their tokens')
      .option('-f, --env-file <file>', 'a .env file to read (repeatable; a later file wins over an earlier one). On Node 20 prefer -f: Node 20 itself also reads every --env-file on its command line', collect),
  )
    .addHelpText(
      'after',
      `
A value written as wfvault://REF is replaced by that token: REF is an id, a unique id prefix
or a label, with spaces and other special characters percent-encoded (wfvault://Acme%20site).
Other values are passed as they are. Values from the files win over the environment.

Example:
  # .env:  WEBFLOW_API_TOKEN=wfvault://Acme%20site
  wfvault run --env-file .env -- node deploy.js`,
    )
    .action(async (command: string[], opts: RunOptions, cmd: Command) => {
      const files = opts.envFile ?? [];
      if (files.length === 0) throw new AppError('usage', 'Name at least one env file, for example: wfvault run --env-file .env -- node deploy.js');
      checkSeparated(command, 'wfvault run --env-file .env -- node deploy.js');
      const { readEnvFile } = await import('../../services/env-file.js');
      const byName = new Map<string, Awaited<ReturnType<typeof readEnvFile>>[number]>();
      for (const file of files) {
        const entries = await readEnvFile(file);
        if (!entries.some((e) => e.ref !== undefined || e.refProblem !== undefined)) {
          info(`note: ${file} holds no wfvault:// reference; its values are passed as they are.`);
        }
        for (const e of entries) byName.set(e.name, e);
      }
      const entries = [...byName.values()];
      const broken = entries.find((e) => e.refProblem);
      if (broken) throw new AppError('usage', `${broken.file}:${broken.line}: ${broken.name}: ${broken.refProblem}.`);
      const refs = entries.filter((e) => e.ref !== undefined);
      const deps = { ...depsOf(cmd), team: opts.team };
      let tokens;
      try {
        tokens = await tokensForUse(deps, refs.map((e) => e.ref!));
      } catch (e) {
        const at = isAppError(e) && typeof e.details.refIndex === 'number' ? refs[e.details.refIndex] : undefined;
        if (!at || !isAppError(e)) throw e;
        throw new AppError(e.code, `${at.file}:${at.line}: ${at.name} does not resolve: ${e.message}`, e.details);
      }
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const e of entries) env[e.name] = e.value;
      refs.forEach((e, i) => (env[e.name] = tokens[i]!.secret));
      process.exitCode = await handOver(deps, command, env, tokens, opts);
    });
}
