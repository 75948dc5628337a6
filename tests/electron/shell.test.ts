// shell.openExternal only for https pages on Webflow's hosts.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { shell } = await import('./electron-mock.js');
const { isAllowedExternalUrl, openExternalSafe } = await import('../../main/electron/external.js');

describe('openExternal allowlist', () => {
  it.each([
    'https://webflow.com/dashboard',
    'https://webflow.com/dashboard/sites/acme/general',
    'https://webflow.com/dashboard/sites/acme-site',
    'https://webflow.com/oauth/authorize?response_type=code&client_id=abc&state=xyz',
    'https://WEBFLOW.com/dashboard',
  ])('allows %s', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    'http://webflow.com/',
    'https://webflow.com.evil.example/',
    'https://evilwebflow.com/',
    'https://webflow.com@evil.example/',
    'https://user:pw@webflow.com/',
    'https://webflow.com:8443/',
    'https://xn--webflw-2ya.com/',
    'https://webflоw.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'webflow://open',
    'smb://webflow.com/share',
    'not a url',
    '',
    `https://webflow.com/${'a'.repeat(3000)}`,
    // Webflow's own host, but not a page the app opens.
    'https://webflow.com/x',
    'https://webflow.com/',
    'https://university.webflow.com/',
    'https://webflow.com/dashboard/../logout',
    'https://webflow.com/dashboard/sites/a/b/c',
    'https://webflow.com/dashboard?next=https://evil.example/',
    'https://webflow.com/dashboard#x',
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));

  it('refuses non-strings', () => {
    for (const v of [null, undefined, 42, {}, ['https://webflow.com/']]) expect(isAllowedExternalUrl(v)).toBe(false);
  });

  it('calls shell.openExternal only for allowed URLs', async () => {
    shell.openExternal.mockClear();
    expect(await openExternalSafe('https://evil.example/')).toBe(false);
    expect(await openExternalSafe('file:///bin/sh')).toBe(false);
    expect(shell.openExternal).not.toHaveBeenCalled();
    expect(await openExternalSafe('https://webflow.com/dashboard')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://webflow.com/dashboard');
    // What is opened is the URL that was checked, re-serialised, not the raw string.
    shell.openExternal.mockClear();
    expect(await openExternalSafe('https://WebFlow.COM/dashboard/sites/acme/general')).toBe(true);
    expect(shell.openExternal).toHaveBeenCalledWith('https://webflow.com/dashboard/sites/acme/general');
    shell.openExternal.mockRejectedValueOnce(new Error('no browser'));
    expect(await openExternalSafe('https://webflow.com/dashboard')).toBe(false);
  });
});
