// Tests many tokens with a bounded number in flight, reporting each as it finishes. One RateGate
// spans the batch, so a token whose window ran out waits before its next call instead of
// collecting a 429.
import { mapBounded } from '../core/bounded-map.js';
import type { TestOutcome } from '../core/test-outcome.js';
import type { TokenKind } from '../core/token.js';
import type { WebflowConfig } from './config.js';
import { RateGate } from './rate-limit.js';
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
  const gate = new RateGate(config.maxRetryWaitMs);
  // A throwing onResult or an unexpected error stops the rest of the batch, like an abort from outside.
  const byIndex = await mapBounded(
    items,
    opts.concurrency ?? DEFAULT_CONCURRENCY,
    async (item, signal) => {
      const outcome = await testTokenWith(config, item.token, { kind: item.kind, signal, gate });
      opts.onResult?.(item.id, outcome);
      return outcome;
    },
    opts.signal,
  );

  // In the order given, whatever order they finished in.
  const results = new Map<string, TestOutcome>();
  items.forEach((item, i) => results.set(item.id, byIndex[i]!));
  return results;
}
