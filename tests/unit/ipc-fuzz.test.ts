// Every channel's request schema against random and mutated payloads: the dispatcher never throws,
// always answers with a typed `{ code, message }`, and never runs a handler on a bad payload.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, CALL_CHANNELS, REQUESTS, type CallChannel } from '../../preload/contract.js';
import { dispatchCall } from '../../main/services/ipc-dispatch.js';
import type { IpcHandlers } from '../../main/services/ipc-types.js';
import { VALID_REQUESTS } from '../helpers/ipc-samples.js';

const RUNS = 1000;

function spyHandlers(calls: string[]): IpcHandlers {
  return Object.fromEntries(
    CALL_CHANNELS.map((c) => [
      c,
      async () => {
        calls.push(c);
        throw new Error('a handler ran on an invalid payload');
      },
    ]),
  ) as unknown as IpcHandlers;
}

const anything = fc.anything({
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  maxDepth: 3,
});

/** Near misses: the valid request with one field replaced, dropped or added, or wrapped. */
function nearMisses(channel: CallChannel): fc.Arbitrary<unknown> {
  const base = VALID_REQUESTS[channel] as Record<string, unknown>;
  const keys = Object.keys(base);
  const field = keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('id');
  return fc.oneof(
    fc.tuple(field, anything).map(([k, v]) => ({ ...base, [k]: v })),
    field.map((k) => {
      const copy = { ...base };
      delete copy[k];
      return copy;
    }),
    fc.tuple(fc.string({ maxLength: 12 }), anything).map(([k, v]) => ({ ...base, [k === '' ? 'extra' : k]: v })),
    fc.constantFrom(null, undefined, [], [base], JSON.parse('{"__proto__":{"polluted":true}}'), 'tokens:list', 42),
    fc.tuple(field, fc.string({ minLength: 5000, maxLength: 20_000 })).map(([k, v]) => ({ ...base, [k]: v })),
  );
}

describe('IPC request schemas under fuzz', () => {
  it('accept the requests the window sends', () => {
    for (const channel of CALL_CHANNELS) expect(REQUESTS[channel].safeParse(VALID_REQUESTS[channel]).success, channel).toBe(true);
  });

  for (const channel of CALL_CHANNELS) {
    it(`${channel}: ${RUNS} malformed payloads, a typed error each time`, async () => {
      const calls: string[] = [];
      const handlers = spyHandlers(calls);
      const schema = REQUESTS[channel];
      let checked = 0;
      const payloads = fc.oneof(anything, nearMisses(channel)).filter((p) => !schema.safeParse(p).success);
      await fc.assert(
        fc.asyncProperty(payloads, async (payload) => {
          const reply = await dispatchCall(handlers, channel, payload);
          checked++;
          if (reply.ok) return false;
          const { code, message } = reply.error;
          return (
            code === 'usage' &&
            (API_ERROR_CODES as readonly string[]).includes(code) &&
            Object.keys(reply.error).sort().join() === 'code,message' &&
            typeof message === 'string' &&
            message.startsWith(`Invalid request for ${channel}`) &&
            message.length <= 500 &&
            !/\n\s+at /.test(message)
          );
        }),
        { numRuns: RUNS },
      );
      expect(checked).toBeGreaterThanOrEqual(RUNS);
      expect(calls).toEqual([]);
    });
  }

  it('answers unknown channels and non-string channels with a typed error', async () => {
    const calls: string[] = [];
    await fc.assert(
      fc.asyncProperty(anything.filter((c) => !(CALL_CHANNELS as readonly unknown[]).includes(c)), async (channel) => {
        const reply = await dispatchCall(spyHandlers(calls), channel, {});
        return !reply.ok && reply.error.code === 'usage';
      }),
      { numRuns: RUNS },
    );
    expect(calls).toEqual([]);
  });

  it('never echoes a secret from a rejected request', async () => {
    const secret = '5e171e15e171e15e171e15e171e15e171e15e171e15e171e15e171e15e171e1';
    const replies = await Promise.all([
      dispatchCall(spyHandlers([]), 'tokens:add', { label: 'x', secret, [secret]: 1 }),
      dispatchCall(spyHandlers([]), 'tokens:add', { label: 5, secret }),
      dispatchCall(spyHandlers([]), 'tokens:list', { [secret]: secret }),
      dispatchCall(spyHandlers([]), 'tokens:update', { id: 'abcd1234', nested: { [secret]: 1 } }),
      dispatchCall(spyHandlers([]), 'vault:unlock', { passphrase: secret, extra: secret }),
      dispatchCall(spyHandlers([]), 'oauthApps:add', { ...VALID_REQUESTS['oauthApps:add'], clientSecret: secret, scopes: [secret] }),
    ]);
    for (const reply of replies) {
      expect(reply.ok).toBe(false);
      expect(JSON.stringify(reply)).not.toContain(secret);
    }
  });
});
