// In the app, a passphrase arrives with an IPC call (unlock, or init in passphrase mode) rather than
// from a prompt. The vault asks for it through `getPassphrase`; this hands over the one that came
// with the call being served, and otherwise answers "passphrase required" so the window can ask.
import { AppError } from '../core/errors.js';

export type PassphrasePurpose = 'unlock' | 'create';

export class PassphraseBroker {
  private pending: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  /** Pass as VaultOptions.getPassphrase. */
  readonly getPassphrase = async (purpose: PassphrasePurpose): Promise<string> => {
    if (this.pending !== null) return this.pending;
    throw new AppError(
      'passphrase_required',
      purpose === 'create' ? 'Choose a passphrase for the new vault.' : 'The vault is locked: enter its passphrase to unlock it.',
    );
  };

  /**
   * Runs `fn` with `passphrase` available to the vault. Calls are serialised so two windows' calls
   * can never see each other's passphrase; it is dropped as soon as `fn` settles.
   */
  withPassphrase<T>(passphrase: string | undefined, fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      this.pending = passphrase ?? null;
      try {
        return await fn();
      } finally {
        this.pending = null;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
