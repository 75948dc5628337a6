// mapBounded: a few steps in flight, results in order; a failure or an abort stops new steps and
// waits for the running ones before it throws, so nothing lands after the caller moved on.
import { describe, expect, it } from 'vitest';
import { mapBounded } from '../../main/core/bounded-map.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A step whose finish the test controls, one promise per item. */
function gated<T>(items: readonly T[]) {
  const gates = items.map(() => deferred());
  const started: T[] = [];
  const finished: T[] = [];
  let running = 0;
  let most = 0;
  const step = async (item: T): Promise<T> => {
    started.push(item);
    most = Math.max(most, ++running);
    await gates[items.indexOf(item)]!.promise;
    running--;
    finished.push(item);
    return item;
  };
  return { gates, started, finished, step, most: () => most };
}

const turn = () => new Promise<void>((r) => setImmediate(r));

describe('mapBounded', () => {
  it('keeps at most `limit` steps in flight and returns the results in the order of the items', async () => {
    const items = [1, 2, 3, 4, 5, 6, 7];
    const g = gated(items);
    const run = mapBounded(items, 3, g.step);
    await turn();
    expect(g.started).toEqual([1, 2, 3]);
    // Finished in reverse: the results still follow the items.
    for (const i of [...items].reverse()) {
      g.gates[i - 1]!.resolve();
      await turn();
    }
    expect(await run).toEqual(items);
    expect(g.most()).toBe(3);
    expect(g.finished).not.toEqual(items);
  });

  it('after a failure starts nothing new, lets the running steps finish, then throws that failure', async () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const g = gated(items);
    const boom = new Error('b failed');
    const signals: AbortSignal[] = [];
    const run = mapBounded(items, 2, async (item, signal) => {
      signals.push(signal);
      if (item === 'b') {
        await turn();
        throw boom;
      }
      return g.step(item);
    });
    let settled = false;
    void run.catch(() => (settled = true));
    await turn();
    await turn();
    // 'b' failed while 'a' still runs: 'a' is told, and the call waits for it.
    expect(signals[0]!.aborted).toBe(true);
    expect(settled).toBe(false);
    g.gates[0]!.resolve();
    await expect(run).rejects.toBe(boom);
    expect(g.finished).toEqual(['a']);
    // Nothing started after the failure.
    expect(g.started).toEqual(['a']);
  });

  it('an abort from outside stops new steps, tells the running ones, and throws its reason', async () => {
    const outer = new AbortController();
    const seen: string[] = [];
    const run = mapBounded(
      ['x', 'y', 'z'],
      1,
      (item, signal) =>
        new Promise<string>((resolve, reject) => {
          seen.push(item);
          signal.addEventListener('abort', () => reject(new Error('step saw the abort')), { once: true });
          if (item !== 'x') resolve(item);
        }),
      outer.signal,
    );
    await turn();
    outer.abort(new Error('stopped by the user'));
    await expect(run).rejects.toThrow('stopped by the user');
    expect(seen).toEqual(['x']);
    await expect(mapBounded([1], 1, async (n) => n, outer.signal)).rejects.toThrow('stopped by the user');
  });

  it('handles an empty list and a limit below one', async () => {
    expect(await mapBounded([], 4, async () => 1)).toEqual([]);
    expect(await mapBounded([1, 2], 0, async (n) => n * 2)).toEqual([2, 4]);
  });
});

describe('mapBounded, which failure it reports', () => {
  it('the first in the list, as a loop one at a time would, whichever failed first in time', async () => {
    const late = deferred();
    const run = mapBounded(['slow', 'fast', 'never'], 2, async (item) => {
      if (item === 'fast') throw new Error('fast failed');
      if (item === 'slow') {
        await late.promise;
        throw new Error('slow failed');
      }
      return item;
    });
    await turn();
    late.resolve();
    await expect(run).rejects.toThrow('slow failed');
  });

  it('not the abort a running step saw because another one failed', async () => {
    const run = mapBounded([0, 1], 2, (n, signal) =>
      n === 0
        ? new Promise<number>((_, reject) => signal.addEventListener('abort', () => reject(new DOMException('stopped', 'AbortError')), { once: true }))
        : Promise.reject(new Error('item 1 failed')),
    );
    await expect(run).rejects.toThrow('item 1 failed');
  });
});
