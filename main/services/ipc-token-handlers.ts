// Token calls for the window and the tray. Secrets are read inside main for copy, test and revoke
// and never returned: every reply is built from public records.
import { AppError } from '../core/errors.js';
import type { ReplyOf } from '../../preload/contract.js';
import type { HandlerContext, IpcHandlers } from './ipc-types.js';
import { revokeToken, type RevokeResult } from './revoke.js';
import { revokeTeamToken } from './team-revoke.js';
import { teamSecretForCopy, testTeamToken } from './team-window.js';
import { testEveryToken } from './test-everything.js';
import { testStoredTokens } from './testing.js';
import { findLive, recordLocalUse } from './token-use.js';
import { addToken, editToken, listTokens, removeToken } from './tokens.js';
import { emitVaultChanged } from './ipc-vault-handlers.js';

type TokenChannels =
  | 'tokens:list'
  | 'tokens:add'
  | 'tokens:update'
  | 'tokens:test'
  | 'tokens:testAll'
  | 'tokens:copy'
  | 'tokens:revoke'
  | 'tokens:confirmRevoke'
  | 'tokens:remove';

export function tokenHandlers(ctx: HandlerContext): Pick<IpcHandlers, TokenChannels> {
  const { deps } = ctx;
  const changed = () => emitVaultChanged(ctx, 'changed');
  let testAllRun: Promise<ReplyOf<'tokens:testAll'>> | null = null;

  const revoke = async (id: string, confirm: boolean, team?: string): Promise<ReplyOf<'tokens:revoke'>> => {
    let result: RevokeResult;
    try {
      // A team token leaves the team (and its file) only once Webflow rejects it, like a personal one.
      result = team ? await revokeTeamToken(deps, team, id, { confirm }) : await revokeToken(deps, id, { confirm });
    } finally {
      // A failed verification still recorded the test: the window must show it.
      await changed();
    }
    if (result.state === 'revoked') {
      const t = result.tombstone;
      ctx.notifier.notify({ title: `Revoked ${t.label}`, body: team ? `Webflow now rejects this token. It left team ${team}; the next sync shares that.` : 'Webflow now rejects this token. Its secret is wiped from the vault.' });
      return result;
    }
    const opened = await ctx.opener.open(result.plan.url).catch(() => false);
    ctx.notifier.notify({ title: `Revoke ${result.token.label} in Webflow`, body: `${result.plan.steps} Then confirm the revoke in Webflow Token Vault.` });
    return { ...result, opened };
  };

  const testAll = async (): Promise<ReplyOf<'tokens:testAll'>> => {
    let done = 0;
    const run = await testEveryToken(deps, (result, total) => ctx.events.emit('event:testProgress', { done: ++done, total, result }));
    await changed();
    return run;
  };

  return {
    'tokens:list': () => listTokens(deps),

    'tokens:add': async (input) => {
      const { token, outcome } = await addToken(deps, input);
      await changed();
      return { token, tested: outcome !== null };
    },

    'tokens:update': async ({ id, ...edit }) => {
      const token = await editToken(deps, id, edit);
      await changed();
      return { token };
    },

    'tokens:test': async ({ id, team }) => {
      if (team) {
        const tested = await testTeamToken(deps, team, id);
        await changed();
        return tested;
      }
      const [result] = await testStoredTokens(deps, { refs: [id] });
      if (!result) throw new AppError('not_found', 'The token was removed while it was being tested.');
      await changed();
      return { result };
    },

    // One run at a time: a second click (window or tray) joins the run in progress.
    'tokens:testAll': () => {
      testAllRun ??= testAll().finally(() => {
        testAllRun = null;
      });
      return testAllRun;
    },

    'tokens:copy': async ({ id, team }) => {
      if (team) {
        const { label, secret } = await teamSecretForCopy(deps, team, id);
        const reply = await ctx.guard.copy(secret, (await deps.vault.read()).settings.clipboardClearSeconds);
        ctx.notifier.notify({ title: `Copied ${label}`, body: `The clipboard clears in ${reply.clearsInSeconds} s.` });
        return reply;
      }
      // One read serves both the secret and the clear delay.
      const data = await deps.vault.read();
      const token = findLive(data, id);
      const reply = await ctx.guard.copy(token.secret, data.settings.clipboardClearSeconds);
      await recordLocalUse(deps, token.id);
      ctx.notifier.notify({ title: `Copied ${token.label}`, body: `The clipboard clears in ${reply.clearsInSeconds} s.` });
      return reply;
    },

    'tokens:revoke': ({ id, team }) => revoke(id, false, team),
    'tokens:confirmRevoke': ({ id, team }) => revoke(id, true, team),

    'tokens:remove': async ({ id }) => {
      const token = await removeToken(deps, id);
      await changed();
      return { token };
    },
  };
}
