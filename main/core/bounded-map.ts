// An async step over a list with a few items in flight, the results in the list's order.
//
// On the first failure, or an abort from outside, no new item starts and the steps already running
// are told through their signal; the call waits for them before it throws. So nothing a step
// writes lands after its caller has moved on, to undo what was done or to report the error. The
// error thrown is that of the first item in the list that failed on its own (not because it was
// told to stop): for steps that do not stop early, every item before it has run, so it is the one
// a loop over the items, one at a time, would have stopped at.

import { abortReason } from './abort.js';

export async function mapBounded<T, R>(items: readonly T[], limit: number, step: (item: T, signal: AbortSignal) => Promise<R>, outer?: AbortSignal): Promise<R[]> {
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  const out = new Array<R>(items.length);
  let next = 0;
  const failed: { index: number; error: unknown }[] = [];
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) {
      const index = next++;
      try {
        out[index] = await step(items[index]!, signal);
      } catch (error) {
        // A step stopped by that abort reports the abort, not a failure of its own.
        const stopped = stop.signal.aborted && (error === stop.signal.reason || (error as { name?: unknown } | null)?.name === 'AbortError');
        if (!stopped) failed.push({ index, error });
        if (!stop.signal.aborted) stop.abort(error);
      }
    }
  };
  const workers = Math.min(Math.max(1, Math.floor(limit)), items.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (outer?.aborted) throw abortReason(outer);
  const first = failed.reduce<{ index: number; error: unknown } | null>((a, b) => (a && a.index < b.index ? a : b), null);
  if (first) throw first.error;
  return out;
}
