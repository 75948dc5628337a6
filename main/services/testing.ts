// Testing stored tokens against Webflow and recording what came back.
import { applyTestOutcome } from '../core/records.js';
import { outcomeFacts, type TestOutcome } from '../core/test-outcome.js';
import type { PublicToken, StoredToken } from '../core/token.js';
import { toPublic } from '../core/token-values.js';
import { testTokens } from '../webflow/test-many.js';
import type { ServiceDeps } from './deps.js';
import { findLive } from './token-use.js';

/** One token's test as the CLI prints it and the window shows it: the outcome without `info`. */
export type TokenTestResult = Pick<PublicToken, 'id' | 'label' | 'kind' | 'scopes' | 'siteIds'> &
  Pick<TestOutcome, 'ok' | 'status' | 'httpStatus' | 'code' | 'message' | 'latencyMs' | 'rateLimit' | 'rateLimitRemaining'>;

export interface TestSelection {
  /** REFs to test; empty with `all` false means every live token as well. */
  refs?: readonly string[];
  all?: boolean;
  concurrency?: number;
  signal?: AbortSignal;
  onResult?: (result: TokenTestResult) => void;
}

export async function testStoredTokens(deps: ServiceDeps, selection: TestSelection = {}): Promise<TokenTestResult[]> {
  const data = await deps.vault.read();
  const refs = selection.refs ?? [];
  const chosen = selection.all || refs.length === 0 ? data.tokens : dedupe(refs.map((ref) => findLive(data, ref)));
  const outcomes = await testChosen(deps, chosen, selection, (result) => selection.onResult?.(result));

  const at = deps.now();
  // One write for the whole batch; tokens removed meanwhile by another process are skipped.
  const updated = await deps.vault.update((fresh) => {
    const results: TokenTestResult[] = [];
    for (const original of chosen) {
      const outcome = outcomes.get(original.id);
      if (!outcome) continue;
      const index = fresh.tokens.findIndex((t) => t.id === original.id);
      if (index < 0) continue;
      const next = applyTestOutcome(fresh.tokens[index]!, outcome, at);
      fresh.tokens[index] = next;
      results.push(toTestResult(toPublic(next), outcome));
    }
    return results;
  });
  return updated;
}

/**
 * Tests `chosen` at Webflow, handing each result to `report` as it arrives (the window shows them
 * one by one); recording the outcomes is the caller's, since personal and team tokens keep them
 * in different places.
 */
export async function testChosen(
  deps: ServiceDeps,
  chosen: readonly StoredToken[],
  selection: Pick<TestSelection, 'concurrency' | 'signal'>,
  report: (result: TokenTestResult) => void,
): Promise<Map<string, TestOutcome>> {
  const byId = new Map(chosen.map((t) => [t.id, t]));
  return testTokens(
    deps.webflow,
    chosen.map((t) => ({ id: t.id, token: t.secret, kind: t.kind })),
    {
      concurrency: selection.concurrency,
      signal: selection.signal,
      onResult: (id, outcome) => {
        const token = byId.get(id);
        if (token) report(toTestResult(toPublic(token), outcome));
      },
    },
  );
}

function dedupe<T extends { id: string }>(items: T[]): T[] {
  return [...new Map(items.map((t) => [t.id, t])).values()];
}

export function toTestResult(token: PublicToken, outcome: TestOutcome): TokenTestResult {
  return {
    id: token.id,
    label: token.label,
    kind: token.kind,
    status: outcome.status,
    ...outcomeFacts(outcome),
    scopes: outcome.info?.scopes ?? token.scopes,
    siteIds: outcome.info?.siteIds ?? token.siteIds,
  };
}

/** Exit status for a batch: the first that applies of rejected (3), network (6), rate-limited (4). */
export function batchExitCode(results: readonly TokenTestResult[]): number {
  if (results.some((r) => r.status === 'rejected')) return 3;
  if (results.some((r) => r.status === 'network' || r.status === 'timeout' || r.status === 'malformed_response' || r.status === 'server_error')) return 6;
  if (results.some((r) => r.status === 'rate_limited')) return 4;
  return 0;
}

