// exec: run a command with tokens in its environment, so a token never lands in a file.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { parseVaultRef } from '../../core/vault-ref.js';
import { tokensForUse, type TokenForUse } from '../../services/token-use.js';
import { checkRefArgument, depsOf, subcommand } from '../program.js';
import { warn } from '../style.js';
import { checkSeparated, collect, handOver, withHandOverOptions } from './hand-over.js';

/** The names Webflow's SDK examples, CLI 2.x and MCP server read the token from. */
export const DEFAULT_TOKEN_NAMES = ['WEBFLOW_API_TOKEN', 'WEBFLOW_TOKEN'] as const;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

interface ExecOptions {
  team?: string;
  as?: string[];
  env?: string[];
  siteId: boolean;
  mask?: boolean;
  strict?: boolean;
}

export function registerExecCommand(program: Command): void {
  withHandOverOptions(
    subcommand(program, 'exec <ref> [command...]', 'run COMMAND with a token in WEBFLOW_API_TOKEN and WEBFLOW_TOKEN (and WEBFLOW_SITE_ID)')
      .option('--as <name>', 'set the token under NAME instead of the default names (repeatable)', collect)
      .option('--env <name=ref>', 'also set NAME to the token REF, e.g. a Workspace token beside a Site token (repeatable)', collect)
      .option('--no-site-id', 'leave WEBFLOW_SITE_ID exactly as it is'),
  )
    .addHelpText(
      'after',
      `
Options may come before or after REF; everything after \`--\` (required) belongs to COMMAND.
WEBFLOW_SITE_ID is set when the token covers exactly one site and it is not set already;
a value you set is kept (with a warning when the token does not cover that site).

Examples:
  wfvault exec "Acme site" -- node deploy.js --dry-run
  wfvault exec 7k2m9q4x1a --as WEBFLOW_TOKEN -- npx -y webflow-mcp-server@latest
  wfvault exec "Acme site" --env WEBFLOW_WORKSPACE_API_TOKEN="Acme workspace" -- webflow library share`,
    )
    .action(async (ref: string, command: string[], opts: ExecOptions, cmd: Command) => {
      checkSeparated(command, 'wfvault exec REF -- node deploy.js');
      const names = tokenNames(opts.as ?? []);
      const extra = extraTokens(opts.env ?? [], names);
      const deps = { ...depsOf(cmd), team: opts.team };
      const [token, ...others] = (await tokensForUse(deps, [ref, ...extra.map((e) => e.ref)])) as [TokenForUse, ...TokenForUse[]];
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const name of names) env[name] = token.secret;
      extra.forEach((e, i) => (env[e.name] = others[i]!.secret));
      if (opts.siteId) applySiteId(env, token);
      process.exitCode = await handOver(deps, command, env, [token, ...others], opts);
    });
}

function tokenNames(as: string[]): string[] {
  if (as.length === 0) return [...DEFAULT_TOKEN_NAMES];
  for (const name of as) checkName(name, '--as');
  return [...new Set(as)];
}

function extraTokens(specs: string[], taken: readonly string[]): Array<{ name: string; ref: string }> {
  const seen = new Set(taken);
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new AppError('usage', `--env takes NAME=REF, for example --env WEBFLOW_WORKSPACE_API_TOKEN="Acme workspace"; got "${spec.slice(0, 40)}".`);
    }
    const name = spec.slice(0, eq);
    checkName(name, '--env');
    if (seen.has(name)) throw new AppError('usage', `${name} is named twice; give each variable one token.`);
    seen.add(name);
    let ref = spec.slice(eq + 1);
    const parsed = parseVaultRef(ref);
    if (parsed) {
      if (!parsed.ok) throw new AppError('usage', `--env ${name}: ${parsed.reason}.`);
      ref = parsed.ref;
    }
    return { name, ref: checkRefArgument(ref, `--env ${name}`) };
  });
}

function checkName(name: string, flag: string): void {
  if (!ENV_NAME.test(name)) throw new AppError('usage', `${flag} needs an environment variable name (letters, digits and _, not starting with a digit); got "${name.slice(0, 40)}".`);
}

/** Sets WEBFLOW_SITE_ID for a one-site token; a value the user set is never dropped. */
function applySiteId(env: NodeJS.ProcessEnv, token: TokenForUse): void {
  const current = env.WEBFLOW_SITE_ID;
  if (current === undefined || current === '') {
    if (token.siteId) env.WEBFLOW_SITE_ID = token.siteId;
    return;
  }
  if (token.siteIds.length > 0 && !token.siteIds.includes(current)) {
    warn(`WEBFLOW_SITE_ID=${current.replace(/[^\x20-\x7e]/g, '?').slice(0, 64)} is not a site that "${token.label}" covers; keeping it as set (use --no-site-id to silence this).`);
  }
}
