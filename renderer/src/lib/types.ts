import type { ReplyOf } from '../../../preload/contract.js';

export type TestResult = ReplyOf<'tokens:test'>['result'];

/** Where and how to revoke a Site or Workspace token, as main described it. */
export type Plan = { steps: string; url: string; opened: boolean };
