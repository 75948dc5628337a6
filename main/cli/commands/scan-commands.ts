// scan and import: find tokens lying around in files, and move them into the vault.
import { stat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { AppError, isAppError } from '../../core/errors.js';
import type { TokenKind } from '../../core/token.js';
import { TOKEN_KINDS } from '../../core/token-model.js';
import type { FileImport } from '../../services/import.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson, warn } from '../style.js';

const collect = (v: string, acc: string[]) => [...acc, v];

export function registerScanCommands(program: Command): void {
  subcommand(program, 'scan [paths...]', 'find plaintext Webflow tokens in .env, rc, history, JSON (MCP, Webflow CLI), YAML and TOML files')
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
          const what = f.kind === 'app_credential' ? out.yellow('OAuth app credential') : f.inVault ? out.green(`in vault as ${f.tokenId}`) : out.red('not in vault');
          const name = f.name ? ` ${f.name}` : '';
          process.stdout.write(`${f.path}:${f.line}${name}  ${what}\n    ${out.dim(`→ ${f.advice}`)}\n`);
        }
        const tokens = findings.filter((f) => f.kind === 'token').length;
        const apps = findings.length - tokens;
        if (findings.length === 0) info('No plaintext Webflow tokens found.');
        else info(`${tokens} plaintext token(s)${apps > 0 ? ` and ${apps} OAuth app credential(s)` : ''} found. Each line above says what to do.`);
      }
      if (findings.length > 0) process.exitCode = 1;
    });

  subcommand(program, 'import <files...>', 'move Webflow tokens from .env/rc files, MCP client configs and Webflow CLI files into the vault')
    .alias('import-env')
    .option('--var <name>', 'import exactly this variable (repeatable)', collect, [] as string[])
    .option('--rewrite', 'leave the file reading the tokens from the vault (.env: NAME=wfvault://ID; MCP configs: the server starts through `wfvault exec`)')
    .option('--backup', 'with --rewrite: keep the original as FILE.wfvault-backup')
    .addOption(new Option('--kind <kind>', 'kind of the imported tokens (default: what Webflow reports)').choices(TOKEN_KINDS))
    .option('--offline', 'store without testing against Webflow')
    .addHelpText(
      'after',
      `
Formats, told apart by name and content:
  .env files and shell rc files   --rewrite keeps each NAME (and export, quotes) with the value wfvault://ID;
                                  run the program as: wfvault run --env-file FILE -- COMMAND
  MCP configs (Cursor, VS Code, Claude Desktop, Claude Code)
                                  --rewrite starts each server holding a token as
                                  wfvault exec ID --as NAME -- <its command>, with the token gone from env
  Webflow CLI auth.json           imported only; then run \`webflow auth logout\`
  .webflowrc.json / .webflowrc.js imported; --rewrite makes .webflowrc.js read WEBFLOW_API_TOKEN
Variables named like OAuth app credentials (*CLIENT_ID*, *CLIENT_SECRET*, *SECRET*) are never
imported as tokens: keep them with \`wfvault app add\`.`,
    )
    .action(async (files: string[], opts: { var: string[]; rewrite?: boolean; backup?: boolean; kind?: TokenKind; offline?: boolean }, cmd: Command) => {
      if (opts.backup && !opts.rewrite) throw new AppError('usage', '--backup only applies with --rewrite.');
      const { importFile } = await import('../../services/import.js');
      const { vaultLauncher } = await import('../launcher.js');
      const deps = depsOf(cmd);
      const json = globalsOf(cmd).json;
      const results: FileImport[] = [];
      for (const file of files) {
        const result = await importFile(deps, file, { ...opts, vars: opts.var, launcher: () => vaultLauncher(deps.vault.dir) });
        results.push(result);
        if (!json) report(result, opts.rewrite === true);
      }
      if (json) printJson(files.length === 1 ? results[0]!.items : results);
      if (results.some((r) => r.items.some((i) => i.state === 'failed'))) process.exitCode = 1;
    });
}

function report(r: FileImport, rewrite: boolean): void {
  if (r.items.length === 0) {
    info(`No Webflow tokens found in ${r.file} (variables whose name contains WEBFLOW; use --var NAME for others).`);
    return;
  }
  for (const item of r.items) {
    const mark = item.state === 'failed' ? out.red('failed  ') : out.green(item.state === 'imported' ? 'imported' : 'known   ');
    const where = item.line > 0 ? ` (line ${item.line})` : '';
    process.stdout.write(`${mark}  ${item.name}${where}: ${item.message}${item.rewritten ? '; rewritten' : ''}\n`);
  }
  for (const note of r.notes) info(note);
  if (r.rewritten) info(`${r.file} now reads its tokens from the vault.`);
  else if (!rewrite && r.items.some((i) => i.tokenId) && r.format !== 'webflow-cli-auth') warn(`the tokens are still in ${r.file} in plaintext; run again with --rewrite to replace them.`);
  for (const line of r.advice) info(line);
}
