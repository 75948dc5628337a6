// One line that says how a batch of tests went, for the tray's notification and the window.
import type { TestStatus } from './test-outcome.js';

export interface TestCounts {
  total: number;
  valid: number;
  rejected: number;
  rateLimited: number;
  unreachable: number;
}

export function countResults(results: readonly { status: TestStatus }[]): TestCounts {
  const counts: TestCounts = { total: results.length, valid: 0, rejected: 0, rateLimited: 0, unreachable: 0 };
  for (const r of results) {
    if (r.status === 'valid') counts.valid++;
    else if (r.status === 'rejected') counts.rejected++;
    else if (r.status === 'rate_limited') counts.rateLimited++;
    else counts.unreachable++;
  }
  return counts;
}

/** "7 valid, 1 rejected, 1 rate-limited"; zero counts are left out so the line stays short. */
export function summarizeCounts(counts: TestCounts): string {
  if (counts.total === 0) return 'No tokens to test';
  const parts: string[] = [];
  if (counts.valid) parts.push(`${counts.valid} valid`);
  if (counts.rejected) parts.push(`${counts.rejected} rejected`);
  if (counts.rateLimited) parts.push(`${counts.rateLimited} rate-limited`);
  if (counts.unreachable) parts.push(`${counts.unreachable} unreachable`);
  return parts.join(', ');
}

export function summarizeResults(results: readonly { status: TestStatus }[]): string {
  return summarizeCounts(countResults(results));
}
