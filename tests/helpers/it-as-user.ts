// Tests that run the CLI as another user (see run-as-user.ts).
import { it } from 'vitest';
import { NOT_ROOT } from './cli.js';
import { runnableAs } from './run-as-user.js';

/**
 * `it` for tests that run the CLI as NOT_ROOT. They skip, printing why, only when no folder could be
 * made from which that user can run a copy of the CLI.
 */
export function itAsOtherUser(name: string, fn: () => Promise<void>, timeout?: number): void {
  const copy = NOT_ROOT ? runnableAs(NOT_ROOT) : undefined;
  if (copy && 'reason' in copy) {
    console.warn(`skipping "${name}": ${copy.reason}`);
    it.skip(name, fn);
    return;
  }
  it(name, fn, timeout);
}
