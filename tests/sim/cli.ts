// `npm run sim`: starts the Webflow simulator (a local FAKE of Webflow) on fixed loopback ports with
// a seeded fixture, prints how to point the app and the CLI at it, and runs until Ctrl-C.
import { parseArgs } from 'node:util';
import { startSimulator } from './simulator.js';

function port(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    process.stderr.write(`sim: ${name} must be a port number (0-65535), got "${value}"\n`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: {
    'api-port': { type: 'string' },
    'oauth-port': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  process.stdout.write(
    'Usage: npm run sim -- [--api-port N] [--oauth-port N]\n' +
      'Starts the local Webflow simulator (defaults 4010 and 4011, or SIM_API_PORT / SIM_OAUTH_PORT).\n',
  );
  process.exit(0);
}

const apiPort = port(values['api-port'] ?? process.env.SIM_API_PORT, 4010, 'the API port');
const oauthPort = port(values['oauth-port'] ?? process.env.SIM_OAUTH_PORT, 4011, 'the OAuth port');

let sim;
try {
  sim = await startSimulator({ apiPort, oauthPort, seed: true });
} catch (err) {
  const { code, port: busy } = err as NodeJS.ErrnoException & { port?: number };
  const which = busy === apiPort ? 'the API port' : busy === oauthPort ? 'the OAuth port' : 'a port';
  const why =
    code === 'EADDRINUSE'
      ? `${which} ${busy ?? ''} is already in use (another \`npm run sim\`?); pick others with --api-port/--oauth-port`.replace('  ', ' ')
      : String(err);
  process.stderr.write(`sim: could not start: ${why}\n`);
  process.exit(1);
}

const seeded = sim.seeded!;
const [marketing, docs] = seeded.sites;
const lines = [
  `export WEBFLOW_API_BASE_URL=${sim.apiUrl}`,
  `export WEBFLOW_OAUTH_BASE_URL=${sim.oauthUrl}`,
  '',
  '# Webflow SIMULATOR: a local fake of Webflow. The tokens and app secret below are simulator',
  '# tokens: they work only against this process and are forgotten when it stops.',
  `#   API host   ${sim.apiUrl}   (/v2/token/introspect, /v2/token/authorized_by, /v2/sites, /oauth/access_token)`,
  `#   OAuth host ${sim.oauthUrl}   (/oauth/authorize, /oauth/revoke_authorization)`,
  `#   Control page (revoke a Site token as in Webflow's dashboard; the address holds this run's key):`,
  `#     ${sim.controlUrl}`,
  `#   Sites: "${marketing!.displayName}" (${marketing!.shortName}, ${marketing!.id}), "${docs!.displayName}" (${docs!.shortName}, ${docs!.id})`,
  '',
  `Simulator Site token (${seeded.siteToken.scopes.join(', ')}; site ${marketing!.shortName}):`,
  `  ${seeded.siteToken.token}`,
  `Simulator Workspace token (${seeded.workspaceToken.scopes.join(', ')}; workspace ${seeded.workspaceToken.workspaceIds.join(', ')}):`,
  `  ${seeded.workspaceToken.token}`,
  `Simulator OAuth app "${seeded.app.name}":`,
  `  client id:     ${seeded.app.clientId}`,
  `  client secret: ${seeded.app.clientSecret}`,
  `  redirect URI:  ${seeded.app.redirectUris.join(', ')}`,
  `  scopes:        ${seeded.app.scopes.join(', ')}`,
  '',
  'Simulator running; press Ctrl-C to stop.',
];
process.stdout.write(lines.join('\n') + '\n');

let stopping = false;
const stop = (signal: NodeJS.Signals): void => {
  if (stopping) return;
  stopping = true;
  void sim.close().then(() => process.exit(signal === 'SIGINT' ? 130 : 0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
