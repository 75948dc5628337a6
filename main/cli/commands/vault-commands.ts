// init and doctor: creating the vault and explaining what is wrong with one.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { inspectVault, restoreBackup } from '../../vault/doctor.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson, table } from '../style.js';
import { vaultOptions } from '../context.js';
import { checkApiReachable } from '../../services/reachability.js';
import { webflowConfigFromEnv } from '../../webflow/config.js';

export function registerVaultCommands(program: Command): void {
  subcommand(program, 'init', 'create a new vault (key in the OS keychain, or --passphrase)')
    .option('--passphrase', 'derive the key from a passphrase instead of the OS keychain (for machines without one)')
    .option('--force', 'start a new vault even where the backup of an old one is left (the backup is kept aside)')
    .action(async (opts: { passphrase?: boolean; force?: boolean }, cmd: Command) => {
      const deps = depsOf(cmd);
      const status = await deps.vault.init(opts.passphrase ? 'passphrase' : 'keychain', { force: opts.force });
      if (globalsOf(cmd).json) return printJson(status);
      info(`Created the vault at ${status.path} (${status.mode === 'passphrase' ? 'key from your passphrase' : 'key in the OS keychain'}).`);
      info('Add a token with: wfvault add   (paste the token when asked, or pipe it in)');
    });

  subcommand(program, 'doctor', 'check the keychain, the vault file, its backup and Webflow reachability')
    .option('--restore-backup', 'replace a vault that cannot be opened by its last good backup (the broken file is kept aside)')
    .action(async (opts: { restoreBackup?: boolean }, cmd: Command) => {
      const g = globalsOf(cmd);
      const vaultOpts = vaultOptions(g, 'doctor');
      if (opts.restoreBackup) {
        await restoreBackup(vaultOpts);
        info('Restored the vault from its backup. The file that could not be opened was kept beside it.');
        return;
      }
      const report = await inspectVault(vaultOpts);
      const api = await checkApiReachable(webflowConfigFromEnv());
      const checks = [...report.checks, api];
      if (g.json) {
        printJson({ checks, problem: report.problem && { code: report.problem.code, message: report.problem.message }, backupUsable: report.backupUsable });
      } else {
        process.stdout.write(`${table(checks.map((c) => [c.ok ? out.green('ok') : out.red('FAIL'), c.name, c.detail]))}\n`);
        if (report.problem) {
          info(`\n${report.problem.message}`);
          if (report.backupUsable) info('The backup opens: run `wfvault doctor --restore-backup` to go back to it.');
        }
      }
      if (report.problem) throw new AppError(report.problem.code, 'The vault has a problem (see above).', { reported: true });
      // Every FAIL printed means a non-zero exit: a vault check (its backup, loose permissions)
      // exits as a vault problem, Webflow out of reach as a network one.
      if (report.checks.some((c) => !c.ok)) throw new AppError('vault_io', 'A vault check failed (see above).', { reported: true });
      if (!api.ok) process.exitCode = 6;
    });
}
