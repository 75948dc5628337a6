// "Install the wfvault command" from the settings screen. The work is in cli-install.ts; the
// window gets the outcome as one sentence, and a path where a launcher was written or found.
import type { HandlerContext, IpcHandlers } from './ipc-types.js';

export function cliHandlers(ctx: HandlerContext): Pick<IpcHandlers, 'settings:installCli'> {
  return {
    'settings:installCli': async ({ replace }) => {
      if (!ctx.cliCommand) {
        return { status: 'unavailable', message: 'The wfvault command is installed from the desktop app; here, run `npm link` in the project folder instead.' };
      }
      const result = await ctx.cliCommand.install({ replace: replace === true });
      if (result.status === 'installed') return { status: result.status, message: result.message, path: result.path, onPath: result.onPath };
      if (result.status === 'foreign') return { status: result.status, message: result.message, path: result.path };
      return { status: result.status, message: result.message };
    },
  };
}
