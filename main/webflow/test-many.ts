// Tests many tokens with a bounded number in flight, reporting each as it finishes. One RateGate
// spans the batch, so a token whose window ran out waits before its next call instead of
// collecting a 429.
import type { TestOutcome } from '../core/test-outcome.js';
import type { TokenKind } from '../core/token.js';
import type { WebflowConfig } from './config.js';
import { RateGate } from './rate-limit.js';
import { abortReason } from './sleep.js';
import { testTokenWith } from './test-token.js';

export const DEFAULT_CONCURRENCY = 4;

export interface TestTokensOptions {
  concurrency?: number;
  onResult?: (id: string, outcome: TestOutcome) => void;
  signal?: AbortSignal;
}

export async function testTokens(
  config: WebflowConfig,
  items: ReadonlyArray<{ id: string; token: string; kind: TokenKind }>,
  opts: TestTokensOptions = {},
): Promise<Map<string, TestOutcome>> {
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? DEFAULT_CONCURRENCY));
  const gate = new RateGate(config.maxRetryWaitMs);
  // A throwing onResult or an unexpected error stops the rest of the batch, like an abort from outside.
  const stop = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
  const byIndex: Array<TestOutcome | undefined> = new Array<TestOutcome | undefined>(items.length);
  let next = 0;

  const worker = async (): Promise<void> => {
    try {
      while (next < items.length) {
        if (signal.aborted) throw abortReason(signal);
        const index = next++;
        const item = items[index]!;
        const outcome = await testTokenWith(config, item.token, { kind: item.kind, signal, gate });
        byIndex[index] = outcome;
        opts.onResult?.(item.id, outcome);
      }
    } catch (err) {
      if (!stop.signal.aborted) stop.abort(err);
      throw err;
    }
  };

  const workers = Array.from({ length: Math.min(concurrency, items.length) }, () => worker());
  const settled = await Promise.allSettled(workers);
  if (opts.signal?.aborted) throw abortReason(opts.signal);
  if (stop.signal.aborted) throw stop.signal.reason;
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;

  // In the order given, whatever order they finished in.
  const results = new Map<string, TestOutcome>();
  items.forEach((item, i) => results.set(item.id, byIndex[i]!));
  return results;
}
