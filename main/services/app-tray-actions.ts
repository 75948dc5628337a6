// What a click in the tray does. Plain code over the IPC handlers, so the tray behaves like the
// window and is tested without Electron; results reach the user as notifications.
import { isAppError } from '../core/errors.js';
import { trayRef, type TrayAction, type TrayTokenRef } from '../core/tray-menu.js';
import type { NotifierPort } from './app-ports.js';
import type { IpcHandlers } from './ipc-types.js';

export interface TrayUi {
  showWindow(): void;
  /** Shows the window with this token (a team's when `team` is set) in view. */
  showToken(ref: TrayTokenRef): void;
  /** Asks before an action Webflow cannot undo; resolves true to go ahead. */
  confirm(message: string, detail: string): Promise<boolean>;
  quit(): void;
}

export async function runTrayAction(action: TrayAction, handlers: IpcHandlers, notifier: NotifierPort, ui: TrayUi): Promise<void> {
  try {
    switch (action.type) {
      case 'testAll': {
        const { summary, counts } = await handlers['tokens:testAll']({});
        notifier.notify({ title: `Tested ${counts.total} token${counts.total === 1 ? '' : 's'}`, body: summary });
        return;
      }
      case 'test': {
        const reply = await handlers['tokens:test'](trayRef(action));
        const { result } = reply;
        // A team token's result that could not be written down still counts; the note says so.
        const notKept = reply.notKept ? ` ${reply.notKept}` : '';
        notifier.notify({ title: `${result.label}: ${result.ok ? 'valid' : result.status.replace('_', '-')}`, body: `${result.message}${notKept}` });
        return;
      }
      case 'copy':
        // The handler notifies ("clears in 30 s") for the window and the tray alike.
        await handlers['tokens:copy'](trayRef(action));
        return;
      case 'revoke':
        await revokeFromTray(trayRef(action), handlers, ui);
        return;
      case 'open':
        ui.showToken(trayRef(action));
        return;
      case 'openVault':
        ui.showWindow();
        return;
      case 'lock':
        await handlers['vault:lock']({});
        return;
      case 'quit':
        ui.quit();
        return;
    }
  } catch (e) {
    // AppError messages are written for people and carry no secrets; anything else stays generic.
    const body = isAppError(e) ? e.message : 'Something went wrong. Open the vault window for details.';
    notifier.notify({ title: `${verb(action)} failed`, body });
  }
}

async function findToken(ref: TrayTokenRef, handlers: IpcHandlers) {
  if (!ref.team) return (await handlers['tokens:list']({})).tokens.find((t) => t.id === ref.id);
  const team = (await handlers['teams:list']({})).teams.find((t) => t.name === ref.team);
  return team?.tokens.find((t) => t.id === ref.id);
}

async function revokeFromTray(ref: TrayTokenRef, handlers: IpcHandlers, ui: TrayUi): Promise<void> {
  const token = await findToken(ref, handlers);
  if (!token) {
    ui.showWindow();
    return;
  }
  if (token.revokePendingSince) {
    await handlers['tokens:confirmRevoke'](ref);
    return;
  }
  if (token.kind === 'oauth') {
    const go = await ui.confirm(`Revoke ${token.label}?`, 'Webflow will stop accepting this token at once. This cannot be undone.');
    if (go) await handlers['tokens:revoke'](ref);
    return;
  }
  // Site and Workspace tokens are revoked in the dashboard: open it, and the window to confirm.
  await handlers['tokens:revoke'](ref);
  ui.showToken(ref);
}

function verb(action: TrayAction): string {
  const words: Record<TrayAction['type'], string> = {
    testAll: 'Test all',
    test: 'Test',
    copy: 'Copy',
    revoke: 'Revoke',
    open: 'Open',
    openVault: 'Open',
    lock: 'Lock',
    quit: 'Quit',
  };
  return words[action.type];
}
