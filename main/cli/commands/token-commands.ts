// list, show, add, remove, reveal: the stored tokens themselves. Use cases that need the Webflow
// client are imported when their command runs, so the other commands start without it.
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import type { TokenKind } from '../../core/token.js';
import { TOKEN_KINDS } from '../../core/token-model.js';
import { recordLocalUse, tokenForUse } from '../../services/token-use.js';
import { teamTokenDetails, teamTokenTable, tokenDetails, tokenTable, scopeSummary } from '../format.js';
import { identityFdOption } from './team-commands.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, printJson, warn } from '../style.js';
import { readSecret } from '../terminal-input.js';

const collect = (v: string, acc: string[]) => [...acc, v];

export function registerTokenCommands(program: Command): void {
  subcommand(program, 'list', 'list stored tokens with scopes, sites, health and expiry')
    .option('--all', 'include tombstones of revoked tokens')
    .option('--team <name>', "list a team's tokens instead of your own")
    .addOption(identityFdOption())
    .action(async (opts: { all?: boolean; team?: string }, cmd: Command) => {
      const { listTokens } = await import('../../services/tokens.js');
      const deps = depsOf(cmd);
      if (opts.team) {
        const { listTeamTokens } = await import('../../services/team.js');
        const tokens = await listTeamTokens(deps, opts.team);
        if (globalsOf(cmd).json) return printJson(tokens);
        if (tokens.length === 0) return info(`Team ${opts.team} shares no token with you yet. Add one with: wfvault add --team ${opts.team} --label NAME`);
        process.stdout.write(`${teamTokenTable(tokens, deps.now())}\n`);
        return;
      }
      // Team tokens are listed per team (each team is its own keys and its own clone to open), so
      // a member is shown where theirs are. Only a hint: a teams folder that cannot be read is for
      // `team status` to explain, not for the list of one's own tokens to fail on.
      const { listTeams } = await import('../../team/local-state.js');
      const teams = await listTeams(deps.vault.dir).catch(() => []);
      const teamHint = teams.length === 0 ? null : teams.length === 1 ? `wfvault list --team ${teams[0]}` : `wfvault list --team NAME (your teams: ${teams.join(', ')})`;
      const { tokens, tombstones } = await listTokens(deps).catch((e: unknown) => {
        if (!teamHint || !(e instanceof AppError) || e.code !== 'vault_not_initialized') throw e;
        throw new AppError(e.code, `${e.message} Your team tokens are listed with: ${teamHint}`, e.details);
      });
      const shownStones = opts.all ? tombstones : [];
      if (globalsOf(cmd).json) return printJson([...tokens, ...shownStones]);
      if (tokens.length === 0 && shownStones.length === 0) {
        info(teamHint ? `The vault holds no tokens of your own yet; team tokens are listed with: ${teamHint}` : 'The vault holds no tokens yet. Add one with: wfvault add');
        return;
      }
      process.stdout.write(`${tokenTable(tokens, shownStones, deps.now())}\n`);
      if (teamHint) info(`Team tokens are listed with: ${teamHint}`);
    });

  subcommand(program, 'show <ref>', 'show one token (or a tombstone) in full, without its secret')
    .option('--team <name>', "a team's token")
    .addOption(identityFdOption())
    .action(async (ref: string, opts: { team?: string }, cmd: Command) => {
      const { showToken } = await import('../../services/tokens.js');
      const deps = depsOf(cmd);
      if (opts.team) {
        const { showTeamToken } = await import('../../services/team.js');
        const token = await showTeamToken(deps, opts.team, ref);
        if (globalsOf(cmd).json) return printJson(token);
        process.stdout.write(`${teamTokenDetails(token, deps.now())}\n`);
        return;
      }
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
    .option('--team <name>', 'store it in a team, encrypted to its members')
    .option('--only <names>', 'with --team: share with these members only (comma-separated; you are always included)')
    .action(async (opts: { label?: string; kind?: TokenKind; offline?: boolean; note?: string; tag: string[]; team?: string; only?: string }, cmd: Command) => {
      const { addToken } = await import('../../services/tokens.js');
      const deps = depsOf(cmd);
      if (opts.only && !opts.team) throw new AppError('usage', '--only needs --team.');
      if (opts.team && !opts.label) throw new AppError('usage', 'Name a team token with --label: its label is what the other members see.');
      const secret = await readSecret('token');
      if (opts.team) {
        const { addTeamToken } = await import('../../services/team.js');
        const { token, outcome } = await addTeamToken(deps, opts.team, { label: opts.label!, kind: opts.kind, secret, offline: opts.offline, notes: opts.note, only: opts.only?.split(',') });
        if (globalsOf(cmd).json) return printJson(token);
        const checked = outcome ? `Webflow accepted it; scopes: ${scopeSummary(token.scopes)}` : 'not tested (--offline)';
        info(`Stored ${token.id} (${token.label}, ${token.kind}) in team ${token.team}: ${checked}. Run \`wfvault team sync\` to share it.`);
        return;
      }
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
    .option('--team <name>', "a team's token")
    .addOption(identityFdOption())
    .action(async (ref: string, opts: { team?: string }, cmd: Command) => {
      const deps = { ...depsOf(cmd), team: opts.team };
      const token = await tokenForUse(deps, ref);
      if (process.stdout.isTTY) warn(`printing the secret of ${token.label} to the terminal; prefer \`wfvault exec\` so it stays out of scrollback.`);
      process.stdout.write(`${token.secret}\n`);
      // The secret is out: a vault that cannot note the use (full or read-only disk) is worth a
      // warning, not a failure the script would take for "no secret".
      await recordLocalUse(deps, token.id).catch((e: unknown) => {
        warn(`could not record the use of this token: ${e instanceof Error ? e.message : 'unknown error'}`);
      });
    });

  subcommand(program, 'move <ref>', 'move a token from your vault into a team')
    .requiredOption('--team <name>', 'the team')
    .option('--only <names>', 'share with these members only (comma-separated; you are always included)')
    .action(async (ref: string, opts: { team: string; only?: string }, cmd: Command) => {
      const { moveToTeam } = await import('../../services/team.js');
      const token = await moveToTeam(depsOf(cmd), ref, opts.team, opts.only?.split(','));
      if (globalsOf(cmd).json) return printJson(token);
      info(`Moved ${token.id} (${token.label}) into team ${token.team}. Run \`wfvault team sync\` to share it.`);
    });
}
