// Debian's Chromium driven by Playwright. The browser download of Playwright is not used: these
// tests run against the system browser, started without any background networking.
import { chromium, type Browser } from 'playwright-core';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

type Suite = (name: string, body: () => void) => void;

/**
 * A describe for tests that need Chromium (`describe` itself, or one that also needs a keychain):
 * CI must run them; elsewhere a missing Chromium skips them with the reason printed.
 */
export function browserSuite(suite: Suite = describe): Suite {
  if (chromiumAvailable() || process.env.CI) return suite;
  return (name, body) => {
    console.warn(`skipping "${name}": ${CHROMIUM_PATH} is not installed (apt-get install chromium)`);
    describe.skip(name, body);
  };
}
