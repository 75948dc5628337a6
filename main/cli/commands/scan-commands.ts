// scan and import-env: find tokens lying around in files, and move them into the vault.
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { AppError, isAppError } from '../../core/errors.js';
import type { TokenKind } from '../../core/token.js';
import { TOKEN_KINDS } from '../../core/token-model.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson, warn } from '../style.js';

export function registerScanCommands(program: Command): void {
  subcommand(program, 'scan [paths...]', 'find plaintext Webflow tokens in .env files, JSON configs and shell rc files')
    .action(async (paths: string[], _opts: unknown, cmd: Command) => {
      const targets = paths.length > 0 ? paths : ['.'];
      for (const p of targets) {
        try {
          await stat(p);
        } catch {
          throw new AppError('usage', `Cannot scan ${p}: no such file or folder.`);
        }
      }
      const { scanPaths } = await import('../../services/scan.js');
      const deps = depsOf(cmd);
      // Scanning still helps without a vault: it just cannot say which tokens are already stored.
      const onSkip = (path: string, reason: string) => warn(`skipped ${path}: ${reason}`);
      const findings = await scanPaths(deps, targets, onSkip).catch(async (e: unknown) => {
        if (isAppError(e) && e.code === 'vault_not_initialized') return scanPaths(null, targets, onSkip);
        throw e;
      });
      if (globalsOf(cmd).json) printJson(findings);
      else {
        for (const f of findings) {
          const where = f.inVault ? out.green(`in vault as ${f.tokenId}`) : out.red('not in vault');
          process.stdout.write(`${f.path}:${f.line}  ${where}\n`);
        }
        info(findings.length === 0 ? 'No plaintext Webflow tokens found.' : `${findings.length} plaintext token(s) found. Move them with \`wfvault import-env FILE --rewrite\`.`);
      }
      if (findings.length > 0) process.exitCode = 1;
    });

  subcommand(program, 'import-env <file>', 'move Webflow tokens from a .env file into the vault (each tested first)')
    .option('--var <name>', 'import exactly this variable (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--rewrite', 'replace each imported line with a comment pointing at `wfvault exec`')
    .addOption(new Option('--kind <kind>', 'kind of the imported tokens').choices(TOKEN_KINDS))
    .option('--offline', 'store without testing against Webflow')
    .action(async (file: string, opts: { var: string[]; rewrite?: boolean; kind?: TokenKind; offline?: boolean }, cmd: Command) => {
      const { importEnv } = await import('../../services/import-env.js');
      const results = await importEnv(depsOf(cmd), file, { vars: opts.var, rewrite: opts.rewrite, kind: opts.kind, offline: opts.offline });
      if (globalsOf(cmd).json) printJson(results);
      else {
        if (results.length === 0) info(`No Webflow tokens found in ${file} (variables whose name contains WEBFLOW; use --var NAME for others).`);
        for (const r of results) {
          const mark = r.state === 'failed' ? out.red('failed  ') : out.green(r.state === 'imported' ? 'imported' : 'known   ');
          process.stdout.write(`${mark}  ${r.name} (line ${r.line}): ${r.message}${r.rewritten ? '; line rewritten' : ''}\n`);
        }
        if (!opts.rewrite && results.some((r) => r.tokenId)) warn(`the tokens are still in ${file} in plaintext; run again with --rewrite to replace them.`);
      }
      if (results.some((r) => r.state === 'failed')) process.exitCode = 1;
    });
}
