// The app:// protocol: what it serves, what it refuses, and the CSP on every answer.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { protocol } = await import('./electron-mock.js');
const { createAppProtocolHandler, registerAppScheme, SECURITY_HEADERS } = await import('../../main/electron/protocol.js');
const { CSP } = await import('../../main/electron/origin.js');

const EXPECTED_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
const PLACEHOLDER = new URL('../../assets/placeholder.html', import.meta.url).pathname;

const root = mkdtempSync(join(tmpdir(), 'wfv-renderer-'));
const dist = join(root, 'dist');
mkdirSync(join(dist, 'assets'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => createAppProtocolHandler(dist, PLACEHOLDER)(new Request(url, init));

describe('app:// protocol', () => {
  it('is registered as a privileged standard, secure scheme before ready', () => {
    registerAppScheme();
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) }),
    ]);
  });

  it('serves the renderer with the strict CSP and the right types', async () => {
    expect(CSP).toBe(EXPECTED_CSP);
    const index = await get('app://vault/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>app</title>');
    const js = await get('app://vault/assets/app.js');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://vault/index.html', { method: 'HEAD' })).status).toBe(200);
  });

  it('refuses paths outside the renderer, other hosts and other methods, still with the CSP', async () => {
    const refused = [
      await get('app://vault/../secret.txt'),
      await get('app://vault/%2e%2e/secret.txt'),
      await get('app://vault/assets/%2e%2e%2f%2e%2e%2fsecret.txt'),
      await get('app://vault/..%5csecret.txt'),
      await get('app://vault/missing.js'),
      await get('app://vault/assets'),
      await get('app://other/index.html'),
      await get('app://vault/%00'),
      await get('app://vault/%E0%A4%A'),
      await get('app://vault/index.html', { method: 'POST', body: 'x' }),
    ];
    for (const response of refused) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
      expect(await response.text()).not.toContain('outside the renderer');
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(refused[0]!.headers.get(name)).toBe(value);
  });

  it('serves a placeholder page when the renderer is not built', async () => {
    const handler = createAppProtocolHandler(join(root, 'not-built'), PLACEHOLDER);
    const response = await handler(new Request('app://vault/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    const html = await response.text();
    expect(html).toContain('Webflow Token Vault');
    expect(html).toContain('Content-Security-Policy');
    expect((await handler(new Request('app://vault/app.js'))).status).toBe(404);
  });
});
