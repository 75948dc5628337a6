// The OAuth port backed by the services the CLI uses (oauth-apps.ts, oauth-login.ts), with the
// loopback flow's progress turned into the window's progress events.
import type { LoginProgress } from '../webflow/loopback-login.js';
import type { OAuthConnectOptions, OAuthPort } from './app-ports.js';
import type { ServiceDeps } from './deps.js';
import { addApp, listApps, removeApp } from './oauth-apps.js';
import { loginWithApp } from './oauth-login.js';

export function createOAuthPort(deps: ServiceDeps): OAuthPort {
  return {
    listApps: () => listApps(deps),
    addApp: (input) => addApp(deps, input),
    removeApp: async (id) => (await removeApp(deps, id)).app,
    connect: (input, opts) => {
      let opened = false;
      let authorizeUrl = '';
      return loginWithApp(deps, {
        app: input.appId,
        scopes: input.scopes,
        label: input.label,
        signal: opts.signal,
        openBrowser: async (url) => {
          opened = await opts.openBrowser(url);
        },
        onProgress: (p) => {
          if (p.step === 'listening') authorizeUrl = p.authorizeUrl;
          if (p.step === 'browser_opened' && !opened) {
            opts.onProgress({ stage: 'listening', message: 'Open the link shown here to approve the app in your browser.', authorizeUrl });
            return;
          }
          opts.onProgress(toProgress(p));
        },
      });
    },
  };
}

function toProgress(p: LoginProgress): Parameters<OAuthConnectOptions['onProgress']>[0] {
  switch (p.step) {
    case 'listening':
      return { stage: 'listening', message: 'Waiting for Webflow: approve the app in your browser.', authorizeUrl: p.authorizeUrl };
    case 'browser_opened':
      return { stage: 'browser_opened', message: 'Your browser shows the Webflow consent page.' };
    case 'callback_refused':
      return { stage: 'callback_refused', message: 'An answer that did not belong to this sign-in was ignored.' };
    case 'exchanging_code':
      return { stage: 'exchanging_code', message: 'Webflow approved: fetching the token.' };
  }
}
