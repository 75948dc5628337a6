// OAuth app profiles and the loopback sign-in, through the injected OAuth port. One sign-in runs at a
// time, so cancel always means the one the window is showing.
import { AppError } from '../core/errors.js';
import { isAllowedExternalUrl } from '../core/external-url.js';
import type { EventOf } from '../../preload/contract.js';
import type { HandlerContext, IpcHandlers } from './ipc-types.js';
import { emitVaultChanged } from './ipc-vault-handlers.js';

type OAuthChannels = 'oauthApps:list' | 'oauthApps:add' | 'oauthApps:remove' | 'oauth:connect' | 'oauth:cancel';

export function oauthHandlers(ctx: HandlerContext): Pick<IpcHandlers, OAuthChannels> {
  const { oauth } = ctx;
  let running: AbortController | null = null;
  const changed = () => emitVaultChanged(ctx, 'changed');

  return {
    'oauthApps:list': async () => ({ apps: await oauth.listApps() }),

    'oauthApps:add': async (input) => {
      const app = await oauth.addApp(input);
      await changed();
      return { app };
    },

    'oauthApps:remove': async ({ id }) => {
      const app = await oauth.removeApp(id);
      await changed();
      return { app };
    },

    'oauth:connect': async (input) => {
      if (running) throw new AppError('failed', 'A Webflow sign-in is already in progress. Finish or cancel it first.');
      const controller = new AbortController();
      running = controller;
      const progress = (p: EventOf<'event:oauthProgress'>) => ctx.events.emit('event:oauthProgress', p);
      try {
        const token = await oauth.connect(input, {
          signal: controller.signal,
          onProgress: progress,
          // The authorize page is Webflow's; anything else (a base URL pointed elsewhere) is shown, not opened.
          openBrowser: async (url) => isAllowedExternalUrl(url) && (await ctx.opener.open(url).catch(() => false)),
        });
        progress({ stage: 'done', message: `Connected: ${token.label} is in the vault.` });
        await changed();
        return { token };
      } catch (e) {
        const cancelled = controller.signal.aborted;
        progress({ stage: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'Sign-in cancelled.' : 'Sign-in failed.' });
        throw e;
      } finally {
        if (running === controller) running = null;
      }
    },

    'oauth:cancel': async () => {
      if (!running) return { cancelled: false };
      running.abort();
      running = null;
      return { cancelled: true };
    },
  };
}
