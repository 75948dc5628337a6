// Team vaults for the window: the teams' tokens for the list, one team's state for the team view,
// sync (on demand here, on a timer through TeamSyncTimer), the pick between the two versions of a
// token changed on both sides, and the rotation of exposed tokens. The replies are built from
// public records; a pasted replacement goes in and never comes back.
import { isAllowedExternalUrl } from '../core/external-url.js';
import type { ReplyOf } from '../../preload/contract.js';
import type { HandlerContext, IpcHandlers } from './ipc-types.js';
import { emitVaultChanged } from './ipc-vault-handlers.js';
import { rotateOAuth, rotatePasted } from './team-rotate.js';
import { listTeamsForWindow, resolveForWindow, syncForWindow, teamOverview, type SyncOutcome } from './team-window.js';

type TeamChannels = 'teams:list' | 'teams:status' | 'teams:sync' | 'teams:resolve' | 'teams:rotate' | 'teams:rotateOAuth';

export interface TeamSyncRunner {
  /** One sync at a time: a click during a timer's sync joins it. */
  sync(team?: string): Promise<SyncOutcome[]>;
}

export function teamHandlers(ctx: HandlerContext): Pick<IpcHandlers, TeamChannels> & TeamSyncRunner {
  const { deps } = ctx;
  const last = new Map<string, SyncOutcome>();
  // The last job queued: each sync or resolve starts once the one before it is over, since both
  // move a clone's HEAD and index.
  let running: { team: string | undefined; run: Promise<unknown>; joinable: boolean } | null = null;

  const enqueue = <T>(team: string | undefined, joinable: boolean, job: () => Promise<T>): Promise<T> => {
    const run = (running ? running.run.catch(() => undefined) : Promise.resolve()).then(job);
    const entry = { team, run, joinable };
    running = entry;
    void run
      .finally(() => {
        if (running === entry) running = null;
      })
      .catch(() => undefined);
    return run;
  };

  const runSync = async (team?: string): Promise<SyncOutcome[]> => {
    const results = await syncForWindow(deps, team);
    for (const r of results) {
      last.set(r.team, r);
      ctx.events.emit('event:teamSync', r);
    }
    // What a sync pulled in shows in the list; the list reloads on this.
    if (results.some((r) => r.pulled || r.pushed)) await emitVaultChanged(ctx, 'changed');
    return results;
  };

  const sync = (team?: string): Promise<SyncOutcome[]> => {
    // A sync asked for while a resolve runs comes after it instead of joining it: the resolve may
    // fail before it syncs.
    if (running?.joinable && (running.team === undefined || running.team === team)) {
      const joined = running.run as Promise<SyncOutcome[]>;
      return joined.then((all) => all.filter((r) => team === undefined || r.team === team));
    }
    return enqueue(team, true, () => runSync(team));
  };

  return {
    sync,

    'teams:list': async () => ({ teams: await listTeamsForWindow(deps) }),

    'teams:status': ({ team }) => teamOverview(deps, team, last.get(team) ?? null),

    'teams:sync': async ({ team }) => ({ results: await sync(team) }),

    'teams:resolve': ({ team, id, keep }) =>
      enqueue(team, false, async () => {
        const r = await resolveForWindow(deps, team, id, keep, runSync);
        // Kept here but not pushed: the list still shows the change (runSync reloads it when it pushed).
        if (!r.sync?.pulled && !r.sync?.pushed) await emitVaultChanged(ctx, 'changed');
        return r;
      }),

    'teams:rotate': async ({ team, id, secret }): Promise<ReplyOf<'teams:rotate'>> => {
      const r = await rotatePasted(deps, team, id, secret);
      await emitVaultChanged(ctx, 'changed');
      return r;
    },

    'teams:rotateOAuth': async ({ team, id }) => {
      const progress = (stage: 'listening' | 'done' | 'failed', message: string, authorizeUrl?: string) =>
        ctx.events.emit('event:oauthProgress', { stage, message, ...(authorizeUrl ? { authorizeUrl } : {}) });
      try {
        const r = await rotateOAuth(deps, team, id, {
          // Only Webflow's own authorize page goes to the browser; any other is shown as a link.
          openBrowser: async (url) => {
            if (isAllowedExternalUrl(url)) await ctx.opener.open(url).catch(() => false);
          },
          onProgress: (p) => {
            if (p.step === 'listening') progress('listening', 'The exposed token is revoked. Authorize the app again in your browser to replace it.', p.authorizeUrl);
          },
        });
        progress('done', `Rotated ${r.label}: the old token is revoked and the new one is stored in the team.`);
        await emitVaultChanged(ctx, 'changed');
        return r;
      } catch (e) {
        progress('failed', 'The rotation did not finish.');
        await emitVaultChanged(ctx, 'changed');
        throw e;
      }
    },
  };
}
