// An async step over a list with a few items in flight, the results in the list's order.
//
// On the first failure, or an abort from outside, no new item starts and the steps already running
// are told through their signal; the call waits for them before it throws. So nothing a step
// writes lands after its caller has moved on, to undo what was done or to report the error.

import { abortReason } from './abort.js';

export async function mapBounded<T, R>(items: readonly T[], limit: number, step: (item: T, signal: AbortSignal) => Promise<R>, outer?: AbortSignal): Promise<R[]> {
  const stop = new AbortController();
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) {
      const index = next++;
      try {
        out[index] = await step(items[index]!, signal);
      } catch (error) {
        if (!stop.signal.aborted) stop.abort(error);
      }
    }
  };
  const workers = Math.min(Math.max(1, Math.floor(limit)), items.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (outer?.aborted) throw abortReason(outer);
  if (stop.signal.aborted) throw stop.signal.reason;
  return out;
}
