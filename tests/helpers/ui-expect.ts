// Waiting assertions on Playwright locators for vitest (playwright-core has no `expect`). Each
// one polls until the page gets there or the time is up, like Playwright's web-first assertions.
import type { Locator } from 'playwright-core';
import { expect } from 'vitest';

const TIMEOUT = 5_000;

function pattern(text: string | RegExp): RegExp {
  return text instanceof RegExp ? text : new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
}

export const ui = {
  visible: (l: Locator, timeout = TIMEOUT) => l.first().waitFor({ state: 'visible', timeout }),
  gone: (l: Locator, timeout = TIMEOUT) => l.first().waitFor({ state: 'detached', timeout }),
  text: (l: Locator, text: string | RegExp, timeout = TIMEOUT) =>
    expect.poll(async () => ((await l.count()) > 0 ? ((await l.first().textContent()) ?? '').replace(/\s+/g, ' ') : ''), { timeout }).toMatch(pattern(text)),
  noText: (l: Locator, text: string | RegExp, timeout = TIMEOUT) =>
    expect.poll(async () => ((await l.first().textContent()) ?? '').replace(/\s+/g, ' '), { timeout }).not.toMatch(pattern(text)),
  value: (l: Locator, value: string, timeout = TIMEOUT) => expect.poll(() => l.inputValue(), { timeout }).toBe(value),
  count: (l: Locator, n: number, timeout = TIMEOUT) => expect.poll(() => l.count(), { timeout }).toBe(n),
  focused: (l: Locator, timeout = TIMEOUT) => expect.poll(() => l.evaluate((e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), { timeout }).toBe(true),
  checked: (l: Locator, on = true, timeout = TIMEOUT) => expect.poll(() => l.isChecked(), { timeout }).toBe(on),
  attribute: (l: Locator, name: string, value: RegExp, timeout = TIMEOUT) =>
    expect.poll(async () => (await l.first().getAttribute(name)) ?? '', { timeout }).toMatch(value),
  /** The mouse reaches it now: what lies at its centre is the element itself, not something over it. */
  reachable: async (l: Locator) => {
    const onTop = await l.first().evaluate((e) => {
      type El = { getBoundingClientRect(): { x: number; y: number; width: number; height: number }; contains(o: unknown): boolean };
      const el = e as unknown as El;
      const doc = (globalThis as unknown as { document: { elementFromPoint(x: number, y: number): { outerHTML: string } | null } }).document;
      const box = el.getBoundingClientRect();
      const hit = doc.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
      return el.contains(hit) ? '' : (hit?.outerHTML.slice(0, 120) ?? 'nothing');
    });
    expect(onTop, 'element over it').toBe('');
  },
};
