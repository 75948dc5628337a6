// The window with 10,000 tokens: the list is virtualized, so the rows in the DOM stay bounded by
// the viewport wherever it is scrolled, and search, scrolling and the keyboard still reach every
// token. Also checks the dark theme with axe (colour contrast). No timings here: those are in
// tests/bench/renderer-bench.ts, which prints them.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { browserSuite, launchChromium } from '../helpers/browser.js';
import { listOnlyMain, manyTokens } from '../helpers/many-tokens.js';
import { openRenderer, runAxe, type RendererPage } from '../helpers/renderer-harness.js';
import { ui } from '../helpers/ui-expect.js';

const describeBrowser = browserSuite();

const VIEWPORT = { width: 1280, height: 800 };
const ROW_HEIGHT = 60;
/** Rows that fit in the window, plus the overscan kept on each side of the visible range. */
const ROW_BOUND = Math.ceil(VIEWPORT.height / ROW_HEIGHT) + 2 * 4;

describeBrowser('the window with 10,000 tokens', () => {
  let browser: Browser;
  let r: RendererPage;
  let page: Page;
  const tokens = manyTokens(10_000);
  const rows = () => page.locator('.tbody [role="row"]');

  beforeAll(async () => {
    browser = await launchChromium();
    r = await openRenderer(browser, { call: listOnlyMain(tokens), viewport: VIEWPORT });
    page = r.page;
    await page.locator('.count', { hasText: '10000 tokens' }).waitFor({ timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await r?.close();
    await browser?.close();
  });

  it('keeps the rows in the DOM bounded by the viewport, at the top and after scrolling', async () => {
    const top = await rows().count();
    expect(top).toBeGreaterThan(3);
    expect(top).toBeLessThanOrEqual(ROW_BOUND);
    expect(await page.locator('[role="table"]').getAttribute('aria-rowcount')).toBe('10001');

    await page.locator('.table-viewport').evaluate((e) => {
      const el = e as unknown as { scrollTop: number; scrollHeight: number };
      el.scrollTop = el.scrollHeight;
    });
    await ui.visible(page.getByRole('button', { name: /^Client 09999 / }));
    expect(await rows().count()).toBeLessThanOrEqual(ROW_BOUND);
    expect(await page.locator('[role="row"][aria-rowindex="10001"]').count()).toBe(1);

    await page.locator('.table-viewport').evaluate((e, h) => void ((e as unknown as { scrollTop: number }).scrollTop = 5000 * h), ROW_HEIGHT);
    await ui.visible(page.getByRole('button', { name: /^Client 05000 / }));
    expect(await rows().count()).toBeLessThanOrEqual(ROW_BOUND);
  });

  it('filters 10,000 tokens as you type and reaches the last one from the keyboard', async () => {
    const search = page.getByLabel('Search', { exact: true });
    await search.fill('client 04242');
    await ui.text(page.locator('.count'), '1 of 10000 tokens');
    await ui.count(rows(), 1);
    await search.fill('Site number 42 prod');
    await ui.text(page.locator('.count'), /^\d+ of 10000 tokens$/);
    expect(await rows().count()).toBeLessThanOrEqual(ROW_BOUND);
    await search.fill('');
    await page.getByLabel('Kind', { exact: true }).selectOption('oauth');
    await ui.text(page.locator('.count'), '2000 of 10000 tokens');
    await page.getByLabel('Kind', { exact: true }).selectOption('');

    await page.locator('.row-main').first().focus();
    await page.keyboard.press('End');
    await ui.focused(page.getByRole('button', { name: /^Client 09999 / }));
    await page.keyboard.press('Enter');
    await ui.visible(page.getByRole('heading', { name: /^Client 09999 / }));
    expect(await rows().count()).toBeLessThanOrEqual(ROW_BOUND);
  });

  it('has no axe violations with 10,000 tokens, in the light and the dark theme', async () => {
    expect(await runAxe(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await runAxe(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(r.problems).toEqual([]);
  });
});
