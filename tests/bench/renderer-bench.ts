// How the window copes with many tokens: first render, one filter keystroke, and the number of
// row elements in the DOM, at 10,000 tokens and at 100, in headless Chromium on the real renderer
// build. Main is a stand-in serving generated public records (tests/helpers/many-tokens.ts).
//
//   node --import tsx tests/bench/renderer-bench.ts
//
// Targets: first render within 10x and a keystroke within 2x of the 100-token figures, and rows
// in the DOM bounded by the viewport. Timings vary by machine, so tests only use the row count.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import { listOnlyMain, manyTokens } from '../helpers/many-tokens.js';
import { openRenderer } from '../helpers/renderer-harness.js';

export interface RendererFigures {
  tokens: number;
  /** From navigation start to the first rows on screen (performance mark in the list), median. */
  firstRenderMs: number;
  /** From keydown in the search box to the frame after the list updated, median. */
  keystrokeMs: number;
  /** Row elements in the DOM after the first render. */
  rows: number;
}

export interface RendererBench {
  small: RendererFigures;
  large: RendererFigures;
  firstRenderRatio: number;
  keystrokeRatio: number;
  /** Most rows the viewport can need: visible rows plus the overscan on both sides. */
  rowBound: number;
  viewport: { width: number; height: number };
}

const VIEWPORT = { width: 1280, height: 800 };
const ROW_HEIGHT = 60;
const OVERSCAN = 4;

/** The page's frame callback (the root tsconfig has no DOM library). */
type Frames = { requestAnimationFrame(cb: () => void): number };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function firstRender(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('wfvault:list-rendered').length > 0, undefined, { timeout: 60_000 });
  return page.evaluate(() => performance.getEntriesByName('wfvault:list-rendered')[0]!.startTime);
}

/** One keystroke into the search box, timed inside the page until the next frame has run. */
async function keystroke(page: Page, key: string): Promise<number> {
  const search = page.getByLabel('Search', { exact: true });
  await search.fill('');
  await page.evaluate(() => new Promise((r) => (globalThis as unknown as Frames).requestAnimationFrame(() => setTimeout(r, 0))));
  await search.focus();
  await page.evaluate(() => {
    const g = globalThis as unknown as Frames & { __keyMs?: number; document: { addEventListener(t: string, f: () => void, o: object): void } };
    g.__keyMs = undefined;
    g.document.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now();
        // After the input event's update: the frame that shows it, then the task after that frame.
        g.requestAnimationFrame(() => setTimeout(() => (g.__keyMs = performance.now() - t0), 0));
      },
      { once: true, capture: true },
    );
  });
  await page.keyboard.press(key);
  await page.waitForFunction(() => (globalThis as unknown as { __keyMs?: number }).__keyMs !== undefined);
  return page.evaluate(() => (globalThis as unknown as { __keyMs: number }).__keyMs);
}

async function measure(browser: Browser, n: number, runs: number): Promise<RendererFigures> {
  const tokens = manyTokens(n);
  const renders: number[] = [];
  const keys: number[] = [];
  let rows = 0;
  for (let run = 0; run < runs; run++) {
    const r = await openRenderer(browser, { call: listOnlyMain(tokens), viewport: VIEWPORT });
    try {
      renders.push(await firstRender(r.page));
      rows = await r.page.locator('.tbody [role="row"]').count();
      // Keys that each narrow the list to a different share of it.
      for (const key of ['c', 's', '1', 'o', 'w']) keys.push(await keystroke(r.page, key));
    } finally {
      await r.close();
    }
  }
  return { tokens: n, firstRenderMs: median(renders), keystrokeMs: median(keys), rows };
}

export async function benchRenderer(opts: { small?: number; large?: number; runs?: number } = {}): Promise<RendererBench> {
  const browser = await launchChromium();
  try {
    // One throw-away run first, so neither size pays for Chromium's and the build's cold start.
    await measure(browser, 10, 1);
    const small = await measure(browser, opts.small ?? 100, opts.runs ?? 3);
    const large = await measure(browser, opts.large ?? 10_000, opts.runs ?? 3);
    return {
      small,
      large,
      firstRenderRatio: large.firstRenderMs / small.firstRenderMs,
      keystrokeRatio: large.keystrokeMs / small.keystrokeMs,
      rowBound: Math.ceil(VIEWPORT.height / ROW_HEIGHT) + 2 * OVERSCAN,
      viewport: VIEWPORT,
    };
  } finally {
    await browser.close();
  }
}

export function formatBench(b: RendererBench): string {
  const line = (f: RendererFigures) =>
    `${String(f.tokens).padStart(6)} tokens   first render ${f.firstRenderMs.toFixed(0).padStart(5)} ms   keystroke ${f.keystrokeMs.toFixed(1).padStart(6)} ms   rows in DOM ${f.rows}`;
  const verdict = (ok: boolean) => (ok ? 'ok' : 'OVER TARGET');
  return [
    `Renderer with many tokens (headless Chromium, ${b.viewport.width}x${b.viewport.height})`,
    line(b.small),
    line(b.large),
    `first render ratio ${b.firstRenderRatio.toFixed(2)}x (target <= 10x: ${verdict(b.firstRenderRatio <= 10)})`,
    `keystroke ratio    ${b.keystrokeRatio.toFixed(2)}x (target <= 2x: ${verdict(b.keystrokeRatio <= 2)})`,
    `rows in DOM        ${b.large.rows} at ${b.large.tokens} tokens, ${b.small.rows} at ${b.small.tokens} (bound ${b.rowBound}: ${verdict(b.large.rows <= b.rowBound)})`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const result = await benchRenderer();
  process.stdout.write(`${formatBench(result)}\n`);
}
