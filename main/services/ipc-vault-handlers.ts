// Vault status, creation, unlock and lock for the window.
import { AppError } from '../core/errors.js';
import { customWebflowHosts } from '../core/launch-policy.js';
import { DEFAULT_SETTINGS } from '../core/token-model.js';
import type { ReplyOf } from '../../preload/contract.js';
import type { HandlerContext, IpcHandlers } from './ipc-types.js';

type VaultStatusReply = ReplyOf<'vault:status'>;

/** The vault's own status, reduced to what the window shows. */
export async function vaultStatus(ctx: HandlerContext): Promise<VaultStatusReply> {
  const s = await ctx.deps.vault.status();
  const state = !s.initialized ? 'uninitialized' : s.unlocked && !ctx.lock.held ? 'unlocked' : 'locked';
  const endpoints = customWebflowHosts(ctx.deps.webflow.apiBaseUrl, ctx.deps.webflow.oauthBaseUrl);
  return { state, mode: s.mode ?? null, path: s.path, ...(endpoints ? { endpoints } : {}), ...(s.warnings.length > 0 ? { warnings: s.warnings } : {}) };
}

export type ChangeReason = 'initialized' | 'unlocked' | 'locked' | 'changed';

/** Tells the window (and the tray) to refresh. A status that cannot be read must not fail the call that changed things. */
export async function emitVaultChanged(ctx: HandlerContext, reason: ChangeReason): Promise<void> {
  try {
    ctx.events.emit('event:vaultChanged', { ...(await vaultStatus(ctx)), reason });
  } catch {
    /* the next successful call refreshes the window anyway */
  }
}

export function vaultHandlers(ctx: HandlerContext): Pick<IpcHandlers, 'vault:status' | 'vault:init' | 'vault:unlock' | 'vault:lock'> {
  return {
    'vault:status': () => vaultStatus(ctx),

    'vault:init': async (input) => {
      const passphrase = input.mode === 'passphrase' ? input.passphrase : undefined;
      await ctx.passphrase.withPassphrase(passphrase, () => ctx.deps.vault.init(input.mode));
      ctx.lock.held = false;
      // A new vault starts from the default settings; a login item left by an earlier vault follows them.
      ctx.loginItem.apply(DEFAULT_SETTINGS.launchAtLogin);
      await emitVaultChanged(ctx, 'initialized');
      return vaultStatus(ctx);
    },

    'vault:unlock': async (input) => {
      // A keychain vault needs nothing from the person to reopen, so after a lock the OS's own
      // presence check (Touch ID) stands in for a passphrase. The start-up unlock holds no lock and
      // asks nothing: the keychain decided that one.
      if (ctx.lock.held && ctx.presence && (await ctx.deps.vault.status()).mode === 'keychain' && !(await ctx.presence.confirmPresence())) {
        throw new AppError('vault_locked', 'Touch ID was not confirmed, so the vault stays locked. Press Unlock to try again.');
      }
      const data = await ctx.passphrase.withPassphrase(input.passphrase, () => ctx.deps.vault.read());
      // Only this call, a deliberate act in the window, lifts a lock.
      ctx.lock.held = false;
      ctx.autoLock?.setMinutes(data.settings.autoLockMinutes);
      ctx.loginItem.apply(data.settings.launchAtLogin);
      await emitVaultChanged(ctx, 'unlocked');
      return vaultStatus(ctx);
    },

    'vault:lock': async () => {
      await lockVault(ctx);
      return vaultStatus(ctx);
    },
  };
}

/** Shared by the lock call, the tray and auto-lock: drop the key, and our clipboard copy with it. */
export async function lockVault(ctx: HandlerContext): Promise<void> {
  ctx.lock.held = true;
  await ctx.deps.vault.lock();
  // A passphrase vault is locked by dropping its passphrase: its calls ask for it again
  // (passphrase_required). Only a keychain vault, which could reopen itself, needs the hold.
  const s = await ctx.deps.vault.status().catch(() => null);
  if (s?.mode === 'passphrase') ctx.lock.held = false;
  ctx.autoLock?.stop();
  // A clipboard that cannot be read must not stop the lock itself.
  await ctx.guard.clearIfOurs().catch(() => false);
  await emitVaultChanged(ctx, 'locked');
}
