// list, show, add, remove, reveal: the stored tokens themselves. Use cases that need the Webflow
// client are imported when their command runs, so the other commands start without it.
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { TokenKind } from '../../core/token.js';
import { TOKEN_KINDS } from '../../core/token-model.js';
import { recordLocalUse, tokenForUse } from '../../services/token-use.js';
import { tokenDetails, tokenTable, scopeSummary } from '../format.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, printJson, warn } from '../style.js';
import { readSecret } from '../terminal-input.js';

const collect = (v: string, acc: string[]) => [...acc, v];

export function registerTokenCommands(program: Command): void {
  subcommand(program, 'list', 'list stored tokens with scopes, sites, health and expiry')
    .option('--all', 'include tombstones of revoked tokens')
    .action(async (opts: { all?: boolean }, cmd: Command) => {
      const { listTokens } = await import('../../services/tokens.js');
      const deps = depsOf(cmd);
      const { tokens, tombstones } = await listTokens(deps);
      const shownStones = opts.all ? tombstones : [];
      if (globalsOf(cmd).json) return printJson([...tokens, ...shownStones]);
      if (tokens.length === 0 && shownStones.length === 0) {
        info('The vault holds no tokens yet. Add one with: wfvault add');
        return;
      }
      process.stdout.write(`${tokenTable(tokens, shownStones, deps.now())}\n`);
    });

  subcommand(program, 'show <ref>', 'show one token (or a tombstone) in full, without its secret')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const { showToken } = await import('../../services/tokens.js');
      const deps = depsOf(cmd);
      const token = await showToken(deps, ref);
      if (globalsOf(cmd).json) return printJson(token);
      process.stdout.write(`${tokenDetails(token, deps.now())}\n`);
    });

  subcommand(program, 'add', 'store a token read from stdin or a hidden prompt, after testing it')
    .option('--label <label>', 'a name for the token, unique in the vault (default: named after its sites or workspace)')
    .addOption(new Option('--kind <kind>', 'kind of token (default: what Webflow reports, else site)').choices(TOKEN_KINDS))
    .option('--offline', 'store without testing it against Webflow')
    .option('--note <text>', 'a note kept with the token')
    .option('--tag <tag>', 'a tag kept with the token (repeatable)', collect, [] as string[])
    .action(async (opts: { label?: string; kind?: TokenKind; offline?: boolean; note?: string; tag: string[] }, cmd: Command) => {
      const { addToken } = await import('../../services/tokens.js');
      const deps = depsOf(cmd);
      const secret = await readSecret('token');
      const { token, outcome } = await addToken(deps, { label: opts.label, kind: opts.kind, secret, offline: opts.offline, notes: opts.note, tags: opts.tag });
      if (globalsOf(cmd).json) return printJson(token);
      const checked = outcome ? `Webflow accepted it; scopes: ${scopeSummary(token.scopes)}` : 'not tested (--offline)';
      info(`Stored ${token.id} (${token.label}, ${token.kind}): ${checked}.`);
    });

  subcommand(program, 'edit <ref>', 'change a token\'s label, note or tags')
    .option('--label <label>', 'a new label, unique in the vault')
    .option('--note <text>', 'replace the note ("" clears it)')
    .option('--tag <tag>', 'add a tag (repeatable)', collect, [] as string[])
    .option('--untag <tag>', 'remove a tag (repeatable)', collect, [] as string[])
    .action(async (ref: string, opts: { label?: string; note?: string; tag: string[]; untag: string[] }, cmd: Command) => {
      if (opts.label === undefined && opts.note === undefined && opts.tag.length === 0 && opts.untag.length === 0) {
        throw new AppError('usage', 'Nothing to change: give --label, --note, --tag or --untag.');
      }
      const { editToken } = await import('../../services/tokens.js');
      const token = await editToken(depsOf(cmd), ref, { label: opts.label, notes: opts.note, addTags: opts.tag, removeTags: opts.untag });
      if (globalsOf(cmd).json) return printJson(token);
      const tags = token.tags.length > 0 ? `; tags: ${token.tags.join(', ')}` : '';
      info(`Updated ${token.id} (${token.label})${tags}.`);
    });

  subcommand(program, 'remove <ref>', 'forget a token locally (it keeps working at Webflow)')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const { removeToken } = await import('../../services/tokens.js');
      const token = await removeToken(depsOf(cmd), ref);
      if (globalsOf(cmd).json) return printJson(token);
      info(`Removed ${token.id} (${token.label}) from the vault.`);
      warn('The token still works at Webflow. Run `wfvault revoke` instead when it should stop working.');
    });

  subcommand(program, 'reveal <ref>', 'print a token\'s secret on stdout, for scripts')
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const deps = depsOf(cmd);
      const token = await tokenForUse(deps, ref);
      if (process.stdout.isTTY) warn(`printing the secret of ${token.label} to the terminal; prefer \`wfvault exec\` so it stays out of scrollback.`);
      process.stdout.write(`${token.secret}\n`);
      // The secret is out: a vault that cannot note the use (full or read-only disk) is worth a
      // warning, not a failure the script would take for "no secret".
      await recordLocalUse(deps, token.id).catch((e: unknown) => {
        warn(`could not record the use of this token: ${e instanceof Error ? e.message : 'unknown error'}`);
      });
    });
}
