// What a packaged app accepts from its launcher. Development switches (another Webflow, DevTools,
// a debugger port) are handy in a checkout but, in an installed app, turn any program that can
// start it into one that can read tokens out of it. So a packaged build ignores them, or refuses to
// start when the switch is a debugger the app cannot switch off after the fact.

export const WEBFLOW_API_HOST = 'api.webflow.com';
export const WEBFLOW_OAUTH_HOST = 'webflow.com';
/** Set to 1 to let a packaged app talk to a Webflow other than Webflow's own hosts; the window says so. */
export const CUSTOM_WEBFLOW_SWITCH = 'WFVAULT_CUSTOM_WEBFLOW';

const DEBUG_SWITCHES = ['--remote-debugging-port', '--remote-debugging-pipe', '--inspect', '--js-flags'];

export interface LaunchInput {
  packaged: boolean;
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
}

export interface LaunchPolicy {
  /** Why the app must quit at once, or null. */
  refuse: string | null;
  devTools: boolean;
  /** The environment the Webflow configuration is read from, with ignored switches taken out. */
  webflowEnv: Record<string, string | undefined>;
  /** Switches that were ignored, for the log. */
  ignored: string[];
}

function debugSwitch(arg: string): string | null {
  for (const s of DEBUG_SWITCHES) {
    // --inspect covers --inspect-brk, --inspect-port, --inspect-publish-uid, ...
    if (arg === s || arg.startsWith(`${s}=`) || (s === '--inspect' && arg.startsWith('--inspect'))) return s;
  }
  return null;
}

function isWebflowHost(raw: string | undefined, host: string): boolean {
  if (raw === undefined || raw.trim() === '') return true;
  try {
    const url = new URL(raw.trim());
    return url.protocol === 'https:' && url.hostname === host && url.port === '';
  } catch {
    return false;
  }
}

export function launchPolicy(input: LaunchInput): LaunchPolicy {
  const webflowEnv = { ...input.env };
  if (!input.packaged) return { refuse: null, devTools: true, webflowEnv, ignored: [] };

  const found = input.argv.map(debugSwitch).find((s) => s !== null);
  const ignored: string[] = [];
  if (input.env.WFVAULT_DEVTOOLS !== undefined) ignored.push('WFVAULT_DEVTOOLS');
  if (input.env[CUSTOM_WEBFLOW_SWITCH] !== '1') {
    for (const [name, host] of [
      ['WEBFLOW_API_BASE_URL', WEBFLOW_API_HOST],
      ['WEBFLOW_OAUTH_BASE_URL', WEBFLOW_OAUTH_HOST],
    ] as const) {
      if (!isWebflowHost(input.env[name], host)) {
        delete webflowEnv[name];
        ignored.push(name);
      }
    }
  }
  return {
    refuse: found ? `The app does not start with ${found}: a debugger attached to it could read your tokens.` : null,
    devTools: false,
    webflowEnv,
    ignored,
  };
}

/** The hosts to name in the window when they are not Webflow's own, else null. */
export function customWebflowHosts(apiBaseUrl: string, oauthBaseUrl: string): { api: string; oauth: string } | null {
  return isWebflowHost(apiBaseUrl, WEBFLOW_API_HOST) && isWebflowHost(oauthBaseUrl, WEBFLOW_OAUTH_HOST) ? null : { api: apiBaseUrl, oauth: oauthBaseUrl };
}
