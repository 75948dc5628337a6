// revoke: make a token stop working, and only then forget it.
import type { Command } from 'commander';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, printJson } from '../style.js';

export function registerRevokeCommand(program: Command): void {
  subcommand(program, 'revoke <ref>', 'revoke a token: OAuth tokens through the API, Site and Workspace tokens in the dashboard, then verify')
    .option('--confirm', 'verify a dashboard revoke: wipe the secret once Webflow rejects the token')
    .option('--team <name>', "a team's token (it leaves the team once Webflow rejects it)")
    .action(async (ref: string, opts: { confirm?: boolean; team?: string }, cmd: Command) => {
      const { revokeToken } = await import('../../services/revoke.js');
      const { revokeTeamToken } = await import('../../services/team-revoke.js');
      const result = opts.team ? await revokeTeamToken(depsOf(cmd), opts.team, ref, { confirm: opts.confirm }) : await revokeToken(depsOf(cmd), ref, { confirm: opts.confirm });
      const teamFlag = opts.team ? ` --team ${opts.team}` : '';
      if (globalsOf(cmd).json) return printJson(result.state === 'pending' ? { state: 'pending', token: result.token, plan: result.plan } : result);
      if (result.state === 'revoked') {
        const t = result.tombstone;
        if (opts.team) info(`Revoked ${t.id} (${t.label}): Webflow now rejects it, and it left team ${opts.team}. Run \`wfvault team sync\` to share that.`);
        else info(`Revoked ${t.id} (${t.label}): Webflow now rejects it. The secret is wiped; \`wfvault list --all\` still shows the tombstone.`);
        return;
      }
      const { token, plan } = result;
      info(`Webflow has no API to revoke ${token.kind} tokens, so ${token.label} (${token.id}) is now marked "revoke pending".`);
      info(plan.steps);
      info(`Open: ${plan.url}`);
      info(`Then confirm with: wfvault revoke${teamFlag} --confirm ${token.id}`);
    });
}
