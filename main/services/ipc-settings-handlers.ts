// Settings live inside the vault, so reading them needs it unlocked like everything else in it.
import type { HandlerContext, IpcHandlers } from './ipc-types.js';
import { emitVaultChanged } from './ipc-vault-handlers.js';

export function settingsHandlers(ctx: HandlerContext): Pick<IpcHandlers, 'settings:get' | 'settings:set'> {
  return {
    'settings:get': async () => ({ settings: (await ctx.deps.vault.read()).settings }),

    'settings:set': async (patch) => {
      const settings = await ctx.deps.vault.update((data) => {
        data.settings = { ...data.settings, ...patch };
        return data.settings;
      });
      if (patch.autoLockMinutes !== undefined) ctx.autoLock?.setMinutes(settings.autoLockMinutes);
      ctx.loginItem.apply(settings.launchAtLogin);
      await emitVaultChanged(ctx, 'changed');
      return { settings };
    },
  };
}
