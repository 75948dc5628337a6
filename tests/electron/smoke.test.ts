// End-to-end smoke test of the packaged shape: the real Electron binary, the built bundles, the
// simulator behind it. Runs where the binary is installed; elsewhere it prints why it is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../scripts/electron-binary.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const { path: binary, reason } = findElectronBinary(ROOT);
const noDisplay = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
const skipReason = !binary ? reason : noDisplay ? 'no display: run it under xvfb-run' : null;

if (skipReason) console.log(`skipping the Electron smoke test: ${skipReason}`);

describe.skipIf(skipReason !== null)('desktop app smoke test', () => {
  let app: ElectronApplication;
  let sim: Simulator;
  let dir: string;

  beforeAll(async () => {
    const built = spawnSync(process.execPath, ['scripts/build-electron.js'], { cwd: ROOT, stdio: 'inherit' });
    expect(built.status).toBe(0);
    sim = await startSimulator({ seed: true });
    dir = await mkdtemp(join(tmpdir(), 'wfv-smoke-'));
    app = await electron.launch({
      executablePath: binary!,
      args: [join(ROOT, 'dist/electron/main.cjs'), ...(process.env.CI ? ['--no-sandbox'] : [])],
      cwd: ROOT,
      env: { ...process.env, ...sim.env, WFVAULT_DIR: dir, WFVAULT_E2E: '1' } as Record<string, string>,
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await sim?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('launches, shows the window, has a tray, and a token added through the UI appears', async () => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    expect(page.url()).toBe('app://vault/index.html');
    await expect.poll(() => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible())).toBe(true);
    expect(await app.evaluate(() => (globalThis as { __wfvaultE2E?: { hasTray(): boolean } }).__wfvaultE2E?.hasTray())).toBe(true);

    // A fresh data folder: a passphrase vault, since CI has no desktop keychain session.
    await page.evaluate(() => (globalThis as unknown as { wfvault: { vault: { init(r: unknown): Promise<unknown> } } }).wfvault.vault.init({ mode: 'passphrase', passphrase: 'smoke test passphrase' }));
    const token = sim.seeded!.siteToken.token;

    if (existsSync(join(ROOT, 'renderer/dist/index.html'))) {
      await page.reload();
      await page.getByRole('button', { name: /^add (a )?token$/i }).first().click();
      await page.getByLabel('Token', { exact: true }).fill(token);
      await page.getByLabel(/^Label/).fill('Smoke site');
      await page.getByRole('button', { name: 'Test and add' }).click();
      await page.getByRole('button', { name: 'Done' }).click();
      await expect.poll(() => page.getByText('Smoke site').count()).toBeGreaterThan(0);
    } else {
      console.log('renderer/dist is not built: adding the token through window.wfvault, the API the UI uses');
      await page.evaluate((secret) => (globalThis as unknown as { wfvault: { tokens: { add(r: unknown): Promise<unknown> } } }).wfvault.tokens.add({ label: 'Smoke site', secret }), token);
    }
    const labels = await page.evaluate(async () => {
      const api = (globalThis as unknown as { wfvault: { tokens: { list(): Promise<{ tokens: { label: string }[] }> } } }).wfvault;
      return (await api.tokens.list()).tokens.map((t) => t.label);
    });
    expect(labels).toContain('Smoke site');
    expect(await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require)).toBe('undefined');
  }, 120_000);
});
