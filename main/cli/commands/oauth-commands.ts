// app and login: OAuth app profiles and the loopback login through them.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { accountSummary } from '../../core/account.js';
import { browserOpener } from '../browser.js';
import { scopeSummary } from '../format.js';
import { depsOf, globalsOf, subcommand } from '../program.js';
import { info, out, printJson, table, warn } from '../style.js';
import { readSecret } from '../terminal-input.js';

function parseTimeout(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new AppError('usage', `--timeout takes a number of seconds, got "${value}".`);
  return seconds;
}

export function registerOAuthCommands(program: Command): void {
  const app = program.command('app').description('manage OAuth app profiles (your own Webflow Data Client apps)').exitOverride();

  subcommand(app, 'add', 'add an app profile; the client secret is read from stdin or a hidden prompt')
    .requiredOption('--name <name>', 'a name for the profile')
    .requiredOption('--client-id <id>', "the app's client id (Workspace → Apps & integrations → App development)")
    .requiredOption('--redirect-uri <uri>', 'the loopback redirect URI registered in the app, e.g. http://localhost:8976/callback')
    .option('--scopes <list>', 'default scopes, comma-separated, e.g. sites:read,cms:read')
    .action(async (opts: { name: string; clientId: string; redirectUri: string; scopes?: string }, cmd: Command) => {
      const { addApp } = await import('../../services/oauth-apps.js');
      const deps = depsOf(cmd);
      const clientSecret = await readSecret('client secret');
      const profile = await addApp(deps, { name: opts.name, clientId: opts.clientId, clientSecret, redirectUri: opts.redirectUri, scopes: opts.scopes });
      if (globalsOf(cmd).json) return printJson(profile);
      info(`Added the app profile "${profile.name}" (${profile.id}). Connect with: wfvault login --app "${profile.name}"`);
    });

  subcommand(app, 'list', 'list app profiles (never their secrets)').action(async (_opts: unknown, cmd: Command) => {
    const { listApps } = await import('../../services/oauth-apps.js');
    const apps = await listApps(depsOf(cmd));
    if (globalsOf(cmd).json) return printJson(apps);
    if (apps.length === 0) return info('No app profiles yet. Add one with: wfvault app add --name NAME --client-id ID --redirect-uri URI');
    process.stdout.write(`${table([['ID', 'NAME', 'CLIENT ID', 'REDIRECT URI', 'SCOPES'].map(out.bold), ...apps.map((a) => [a.id, a.name, a.clientId, a.redirectUri, scopeSummary(a.scopes)])])}\n`);
  });

  subcommand(app, 'show <name>', 'show one app profile').action(async (name: string, _opts: unknown, cmd: Command) => {
    const { showApp } = await import('../../services/oauth-apps.js');
    const profile = await showApp(depsOf(cmd), name);
    if (globalsOf(cmd).json) return printJson(profile);
    process.stdout.write(`${table(Object.entries(profile).map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : String(v)]))}\n`);
  });

  subcommand(app, 'remove <name>', 'remove an app profile and its client secret').action(async (name: string, _opts: unknown, cmd: Command) => {
    const { removeApp } = await import('../../services/oauth-apps.js');
    const { app: removed, tokensLeft } = await removeApp(depsOf(cmd), name);
    if (globalsOf(cmd).json) return printJson(removed);
    info(`Removed the app profile "${removed.name}".`);
    if (tokensLeft > 0) warn(`${tokensLeft} token(s) issued through it stay in the vault; without the profile they can only be revoked in Webflow.`);
  });

  subcommand(program, 'login', 'connect a Webflow account through an OAuth app profile (loopback redirect) and store the token')
    .requiredOption('--app <name>', 'the app profile to use')
    .option('--scopes <list>', "scopes to ask for, comma-separated (default: the profile's)")
    .option('--label <label>', 'label of the stored token')
    .option('--no-browser', 'only print the authorize URL; do not open a browser')
    .option('--timeout <seconds>', 'give up after this many seconds', parseTimeout, 300)
    .action(async (opts: { app: string; scopes?: string; label?: string; browser: boolean; timeout: number }, cmd: Command) => {
      const { loginWithApp } = await import('../../services/oauth-login.js');
      const deps = depsOf(cmd);
      const controller = new AbortController();
      const onSigint = () => controller.abort();
      process.on('SIGINT', onSigint);
      const browser = browserOpener();
      try {
        const token = await loginWithApp(deps, {
          app: opts.app,
          scopes: opts.scopes,
          label: opts.label,
          timeoutMs: opts.timeout * 1000,
          signal: controller.signal,
          openBrowser: opts.browser ? (url) => browser.open(url) : undefined,
          onProgress: (p) => {
            // The URL alone on one line, and only once the listener is up, so scripts can read it;
            // with --json it goes to stderr, leaving stdout to the JSON record.
            if (p.step === 'listening') {
              (globalsOf(cmd).json ? process.stderr : process.stdout).write(`${p.authorizeUrl}\n`);
              info(opts.browser ? 'Opening your browser to authorize the app. Waiting for Webflow…' : 'Open the URL above in your browser to authorize the app. Waiting for Webflow…');
            }
            if (p.step === 'callback_refused') warn('ignored a callback that did not carry this login\'s state.');
          },
        });
        // Named on stderr in JSON mode too: a login finished with someone else's account must be noticed.
        info(`Connected as ${accountSummary(token)}.`);
        if (globalsOf(cmd).json) return printJson(token);
        info(`Stored ${token.id} (${token.label}, oauth): scopes ${scopeSummary(token.scopes)}.`);
        info(`Not your account? Remove it with: wfvault revoke ${token.id}`);
      } finally {
        await browser.close();
        process.off('SIGINT', onSigint);
      }
    });
}
