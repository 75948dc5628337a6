// `wfvault team ...`: team vaults shared through a git remote, encrypted to each member with age.
import { createInterface } from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { setTeamIdentityFd } from '../context.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson, table, warn } from '../style.js';

async function gitDefault(key: string): Promise<string> {
  const { Git } = await import('../../team/git.js');
  const r = await new Git(process.cwd()).raw(['config', '--get', key], { cwd: null });
  return r.code === 0 ? r.stdout.trim() : '';
}

async function person(opts: { name?: string; email?: string }): Promise<{ name: string; email: string }> {
  const name = opts.name ?? (await gitDefault('user.name'));
  const email = opts.email ?? (await gitDefault('user.email'));
  if (!name) throw new AppError('usage', 'Give your name with --name (or set git config user.name).');
  return { name, email };
}

export function identityFdOption(): Option {
  return new Option('--identity-fd <n>', 'read the team identity from this file descriptor (CI), instead of the keychain').argParser((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new AppError('usage', '--identity-fd takes a file descriptor number, such as 3.');
    setTeamIdentityFd(n);
    return n;
  });
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/iu.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[\s:-]/gu, '').toLowerCase();
  return norm(a) === norm(b);
}

export function registerTeamCommands(program: Command): void {
  const team = program
    .command('team')
    .description('share tokens with a team through a git remote, encrypted to each member')
    .addHelpText(
      'after',
      `
Examples:
  wfvault team create acme --remote git@github.com:acme/wfvault-team.git
  wfvault team join git@github.com:acme/wfvault-team.git     (prints a join request)
  wfvault team add-member 'wfvault-team-join:1:...'          (run by a member)
  pbpaste | wfvault add --team acme --label "Acme site"
  wfvault team sync`,
    );

  subcommand(team, 'create <name>', 'create a team in an empty git repository, with you as its first member')
    .requiredOption('--remote <url>', 'the git remote (any URL your git can push to)')
    .option('--name <name>', 'your name in the team (default: git user.name)')
    .option('--email <email>', 'your e-mail (default: git user.email)')
    .action(async (teamName: string, opts: { remote: string; name?: string; email?: string }, cmd: Command) => {
      const { createTeam } = await import('../../team/membership.js');
      const { teamContext } = await import('../../services/team.js');
      const deps = depsOf(cmd);
      const { state, fingerprint } = await createTeam(teamContext(deps), { name: teamName, remote: opts.remote, me: await person(opts) });
      if (globalsOf(cmd).json) return printJson({ team: state.name, remote: state.remote, fingerprint });
      info(`Created team ${state.name} at ${state.remote}.`);
      info(`Your fingerprint: ${fingerprint}`);
      info('People join with `wfvault team join URL`; compare this fingerprint with them by another channel.');
    });

  subcommand(team, 'join <url>', 'clone a team and print a join request for a member to admit')
    .option('--name <name>', 'your name in the team (default: git user.name)')
    .option('--email <email>', 'your e-mail (default: git user.email)')
    .addOption(identityFdOption())
    .action(async (url: string, opts: { name?: string; email?: string }, cmd: Command) => {
      const { joinTeam } = await import('../../team/membership.js');
      const { teamContext } = await import('../../services/team.js');
      const deps = depsOf(cmd);
      const ctx = teamContext(deps);
      const r = await joinTeam(ctx, { url, me: ctx.identityText ? null : await person(opts) });
      if (globalsOf(cmd).json) return printJson({ team: r.state.name, fingerprint: r.fingerprint, creator: r.creator, request: r.request });
      info(`Team ${r.state.name}, created by ${r.creator.name} (fingerprint ${r.creator.fingerprint}).`);
      info('Compare that fingerprint with the creator by another channel before you trust this team.');
      if (!r.request) {
        info(`Joined as ${r.state.me.name} with the identity given; its tokens are readable now.`);
        return;
      }
      info(`Your fingerprint: ${r.fingerprint}`);
      info('Send this join request to a member; they run `wfvault team add-member REQUEST`, then you run `wfvault team sync`:');
      process.stdout.write(`${r.request}\n`);
    });

  subcommand(team, 'add-member <request>', 'admit the person of a join request, after comparing fingerprints')
    .option('--team <name>', 'the team (default: the one the request is for)')
    .option('--fingerprint <fp>', 'the fingerprint the joiner told you (skips the question)')
    .action(async (requestText: string, opts: { team?: string; fingerprint?: string }, cmd: Command) => {
      const { parseJoinRequest, admitMember } = await import('../../team/membership.js');
      const { openTeam, teamNames, teamState } = await import('../../services/team.js');
      const deps = depsOf(cmd);
      const request = parseJoinRequest(requestText);
      let name = opts.team;
      if (!name) {
        for (const n of await teamNames(deps)) if ((await teamState(deps, n)).teamId === request.team) name = n;
        if (!name) throw new AppError('team_not_found', `That join request is for team ${request.teamName || request.team}, which this machine has not joined.`);
      }
      info(`${request.member.name} <${request.member.email}> asks to join team ${name}.`);
      info(`Their fingerprint: ${request.fingerprint}`);
      if (opts.fingerprint !== undefined) {
        if (!sameFingerprint(opts.fingerprint, request.fingerprint)) throw new AppError('usage', 'The fingerprint you gave does not match the join request: do not admit this request. Nothing was changed.');
      } else if (!(await confirm('Does it match what they told you by another channel? [y/N] '))) {
        throw new AppError('usage', process.stdin.isTTY ? 'Not admitted.' : 'Not admitted: confirm the fingerprint with --fingerprint FP when not at a terminal.');
      }
      const t = await openTeam(deps, name);
      // Every token shared with all members is re-encrypted: seconds for a large team.
      info(`Syncing, then re-encrypting the team's tokens to include ${request.member.name}…`);
      const r = await admitMember(t, request);
      if (globalsOf(cmd).json) return printJson({ team: name, member: request.member.name, fingerprint: request.fingerprint, reencrypted: r.reencrypted });
      info(`Admitted ${request.member.name}; ${r.reencrypted} token(s) re-encrypted to include them, and pushed.`);
    });

  subcommand(team, 'add-machine <name>', 'add a machine member (CI) and print its identity once')
    .requiredOption('--team <name>', 'the team')
    .action(async (machine: string, opts: { team: string }, cmd: Command) => {
      const { addMachine } = await import('../../team/membership.js');
      const { openTeam } = await import('../../services/team.js');
      const r = await addMachine(await openTeam(depsOf(cmd), opts.team), machine);
      warn(`This identity is shown once and not kept anywhere: store it as a CI secret now. Whoever holds it can read every token shared with ${machine}.`);
      if (globalsOf(cmd).json) return printJson({ team: opts.team, member: machine, fingerprint: r.fingerprint, identity: r.identityFile });
      process.stdout.write(r.identityFile);
      info(`In CI: WFVAULT_TEAM_IDENTITY_FILE=FILE wfvault team join URL, then wfvault exec --team ${opts.team} REF -- COMMAND.`);
    });

  subcommand(team, 'remove-member <name>', 'remove a member: re-encrypt to the rest and list what they could read')
    .requiredOption('--team <name>', 'the team')
    .action(async (member: string, opts: { team: string }, cmd: Command) => {
      const { removeMember } = await import('../../team/membership.js');
      const { openTeam } = await import('../../services/team.js');
      info(`Syncing, then re-encrypting the team's tokens without ${member}…`);
      const r = await removeMember(await openTeam(depsOf(cmd), opts.team), member);
      if (globalsOf(cmd).json) return printJson({ team: opts.team, member, ...r });
      info(`Removed ${member} from team ${opts.team}; ${r.reencrypted} token(s) re-encrypted to the remaining members, and pushed.`);
      if (r.exposed.length === 0) return info(`${member} could read no token.`);
      warn(`${member} could read ${r.exposed.length} token(s); they stay exposed until rotated (\`wfvault team rotate --team ${opts.team}\`):`);
      for (const e of r.exposed) process.stdout.write(`${e.id}  ${e.label ?? '(not shared with you)'}\n`);
    });

  subcommand(team, 'sync', 'pull and push team changes with your git, verifying every signature')
    .option('--team <name>', 'only this team (default: every team)')
    .action(async (opts: { team?: string }, cmd: Command) => {
      const { syncTeams } = await import('../../services/team.js');
      const reports = await syncTeams(depsOf(cmd), opts.team);
      if (globalsOf(cmd).json) return printJson(reports);
      let offline = false;
      for (const r of reports) {
        if (r.offline) {
          offline = true;
          warn(`team ${r.team}: the remote cannot be reached (${r.reason ?? 'no answer'}); working from the last synced state.`);
          continue;
        }
        info(`team ${r.team}: ${r.pulled ? 'pulled' : 'up to date'}${r.pushed ? ', pushed' : ''}; ${r.members} member(s), ${r.tokens} token(s).${r.admitted ? '' : ' You are not admitted yet.'}`);
        if (r.reencrypted.length) info(`  ${r.reencrypted.length} token(s) re-encrypted for the member list.`);
        for (const id of r.conflicts) warn(`token ${id} was changed here and by someone else: both versions are kept. Pick one with \`wfvault team resolve ${id} --team ${r.team} --keep mine|theirs\`.`);
      }
      if (offline) process.exitCode = 6;
    });

  subcommand(team, 'resolve <id>', 'pick which version of a token changed on both sides wins')
    .requiredOption('--team <name>', 'the team')
    .addOption(new Option('--keep <side>', 'mine: this machine\'s version; theirs: the version already synced').choices(['mine', 'theirs']).makeOptionMandatory())
    .action(async (id: string, opts: { team: string; keep: 'mine' | 'theirs' }, cmd: Command) => {
      const { resolveTeamConflict } = await import('../../services/team.js');
      await resolveTeamConflict(depsOf(cmd), opts.team, id, opts.keep);
      info(`Kept ${opts.keep === 'mine' ? 'your' : 'the synced'} version of ${id}. Run \`wfvault team sync\` to share it.`);
    });

  subcommand(team, 'status [name]', 'members, fingerprints, sync state and exposed tokens of a team')
    .action(async (name: string | undefined, _opts: unknown, cmd: Command) => {
      const { teamStatus, teamNames } = await import('../../services/team.js');
      const deps = depsOf(cmd);
      const names = name ? [name] : await teamNames(deps);
      if (names.length === 0) return info('This machine has joined no team. Create one with `wfvault team create NAME --remote URL` or join one with `wfvault team join URL`.');
      const all = [];
      for (const n of names) all.push(await teamStatus(deps, n));
      if (globalsOf(cmd).json) return printJson(name ? all[0] : all);
      for (const s of all) {
        process.stdout.write(`${out.bold(`team ${s.team}`)}  ${s.remote}\n`);
        process.stdout.write(`you: ${s.me.name} (${s.me.fingerprint})${s.me.admitted ? '' : out.yellow(' not admitted yet')}\n`);
        process.stdout.write(`last sync: ${s.lastSyncAt ?? 'never'}${s.unpushed ? out.yellow(' (local changes not pushed yet)') : ''}; tokens: ${s.tokens} (${s.readable} shared with you)\n`);
        const rows = [['MEMBER', 'E-MAIL', 'FINGERPRINT', 'ROLE'].map(out.bold)];
        for (const m of s.members) rows.push([m.name + (m.me ? ' (you)' : ''), m.email || '-', m.fingerprint, m.removed ? out.dim('removed') : m.machine ? 'machine' : 'member']);
        process.stdout.write(`${table(rows)}\n`);
        for (const e of s.exposed) process.stdout.write(`${out.red('exposed')} ${e.id} ${e.label ?? '(not shared with you)'}: readable by ${e.exposedTo.join(', ')} after removal; rotate it\n`);
        for (const c of s.conflicts) process.stdout.write(`${out.yellow('conflict')} ${c}: run wfvault team resolve ${c} --team ${s.team} --keep mine|theirs\n`);
      }
    });

  subcommand(team, 'rotate [ref]', 'walk through the tokens a removed member could read, or rotate one of them')
    .requiredOption('--team <name>', 'the team')
    .option('--no-browser', 'OAuth: only print the authorize URL; do not open a browser')
    .action(async (ref: string | undefined, opts: { team: string; browser: boolean }, cmd: Command) => {
      const deps = depsOf(cmd);
      const json = globalsOf(cmd).json;
      if (!ref) {
        const { rotationPlan } = await import('../../services/team-rotate.js');
        const plan = await rotationPlan(deps, opts.team);
        if (json) return printJson(plan);
        if (plan.steps.length === 0 && plan.unreadable.length === 0) return info(`Team ${opts.team} has no exposed token.`);
        for (const s of plan.steps) process.stdout.write(`${out.red('exposed')} ${s.id}  ${s.label}  (${s.kind}, readable by ${s.exposedTo.join(', ')})\n  ${s.how}\n`);
        if (plan.unreadable.length) info(`${plan.unreadable.length} exposed token(s) are not shared with you (${plan.unreadable.join(', ')}); a member who can read them rotates them.`);
        return;
      }
      const { rotateOAuth, rotatePasted } = await import('../../services/team-rotate.js');
      const { teamStoredToken } = await import('../../services/team.js');
      const { token } = await teamStoredToken(deps, opts.team, ref);
      if (token.record.token.kind === 'oauth') {
        const { browserOpener } = await import('../browser.js');
        const browser = browserOpener();
        let r;
        try {
          r = await rotateOAuth(deps, opts.team, ref, {
            openBrowser: opts.browser ? (url) => browser.open(url) : undefined,
            onProgress: (p) => {
              if (p.step === 'listening') {
                (json ? process.stderr : process.stdout).write(`${p.authorizeUrl}\n`);
                info('The exposed token is revoked. Authorize the app again to replace it. Waiting for Webflow…');
              }
            },
          });
        } finally {
          await browser.close();
        }
        if (json) return printJson(r);
        return info(`Rotated ${r.id} (${r.label}): the old token is revoked and the new one is stored. Run \`wfvault team sync\` to share it.`);
      }
      const { readSecret } = await import('../terminal-input.js');
      const r = await rotatePasted(deps, opts.team, ref, await readSecret('replacement token'));
      if (json) return printJson(r);
      info(`Rotated ${r.token.id} (${r.token.label}): the new token reaches the same ${token.record.token.kind === 'workspace' ? 'workspace' : 'sites'} with at least the same scopes.`);
      info(`The old one is kept as ${r.old.id} (${r.old.label}), revoke pending. ${r.old.plan.steps}`);
      info(`Open: ${r.old.plan.url}`);
      info(`Then confirm with: wfvault revoke --team ${opts.team} --confirm ${r.old.id}; and run \`wfvault team sync\` to share all this.`);
    });

  subcommand(team, 'export-identity', 'print your age identity for a team, for the stock `age -d -i` command')
    .requiredOption('--team <name>', 'the team')
    .action(async (opts: { team: string }, cmd: Command) => {
      const { openTeam } = await import('../../services/team.js');
      const { identityFileText } = await import('../../team/keys.js');
      const t = await openTeam(depsOf(cmd), opts.team);
      const keys = await t.keys();
      warn('this prints the private key that reads every token shared with you in this team. Keep it out of shared places, and delete the file when done.');
      process.stdout.write(identityFileText({ teamName: t.name, teamId: t.state.teamId, member: t.state.me.name, identity: keys.identity, machine: t.state.me.machine }));
    });
}
