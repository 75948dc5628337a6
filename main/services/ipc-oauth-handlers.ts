// OAuth app profiles and the loopback sign-in, through the injected OAuth port. One sign-in runs at a
// time, so cancel always means the one the window is showing.
import { accountSummary } from '../core/account.js';
import { AppError } from '../core/errors.js';
import { isAllowedExternalUrl } from '../core/external-url.js';
import type { EventOf } from '../../preload/contract.js';
import type { HandlerContext, IpcHandlers } from './ipc-types.js';
import { emitVaultChanged } from './ipc-vault-handlers.js';
import { writeRedirectPage, type RedirectPage } from './redirect-page.js';

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
      let page: RedirectPage | null = null;
      // The authorize page is Webflow's; anything else (a base URL pointed elsewhere) is shown, not opened.
      // It goes to the browser through a private redirecting file, so its state is on no command line.
      const openBrowser = async (url: string): Promise<boolean> => {
        if (!isAllowedExternalUrl(url)) return false;
        const { openFile } = ctx.opener;
        if (!openFile) return ctx.opener.open(url).catch(() => false);
        page = await writeRedirectPage(url);
        return openFile(page.path).catch(() => false);
      };
      try {
        const token = await oauth.connect(input, { signal: controller.signal, onProgress: progress, openBrowser });
        progress({ stage: 'done', message: `Connected as ${accountSummary(token)}: ${token.label} is in the vault.` });
        await changed();
        return { token };
      } catch (e) {
        const cancelled = controller.signal.aborted;
        progress({ stage: cancelled ? 'cancelled' : 'failed', message: cancelled ? 'Sign-in cancelled.' : 'Sign-in failed.' });
        throw e;
      } finally {
        await (page as RedirectPage | null)?.remove();
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
