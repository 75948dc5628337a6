// What a packaged app takes from its launcher: no debugger switches, no DevTools, and only Webflow's
// own hosts unless WFVAULT_CUSTOM_WEBFLOW=1 says otherwise (the window then names the hosts).
import { describe, expect, it } from 'vitest';
import { customWebflowHosts, launchPolicy } from '../../main/core/launch-policy.js';

const SIM = { WEBFLOW_API_BASE_URL: 'http://127.0.0.1:4010', WEBFLOW_OAUTH_BASE_URL: 'http://127.0.0.1:4011' };

describe('launch policy', () => {
  it('leaves a development run alone', () => {
    const p = launchPolicy({ packaged: false, argv: ['electron', '.', '--inspect=9229'], env: { ...SIM, WFVAULT_DEVTOOLS: '1' } });
    expect(p).toMatchObject({ refuse: null, devTools: true, ignored: [] });
    expect(p.webflowEnv).toMatchObject(SIM);
  });

  it.each([
    '--remote-debugging-port=9222',
    '--remote-debugging-port',
    '--remote-debugging-pipe',
    '--inspect',
    '--inspect=0.0.0.0:9229',
    '--inspect-brk',
    '--inspect-port=9229',
    '--js-flags=--allow-natives-syntax',
  ])('a packaged app refuses to start with %s', (flag) => {
    const p = launchPolicy({ packaged: true, argv: ['/opt/app/webflow-token-vault', flag], env: {} });
    expect(p.refuse).toMatch(/does not start with --/);
  });

  it('a packaged app starts with ordinary arguments', () => {
    expect(launchPolicy({ packaged: true, argv: ['/opt/app/webflow-token-vault', '--no-sandbox-not-a-debugger', 'file.txt'], env: {} }).refuse).toBeNull();
  });

  it('a packaged app has no DevTools, whatever WFVAULT_DEVTOOLS says', () => {
    const p = launchPolicy({ packaged: true, argv: [], env: { WFVAULT_DEVTOOLS: '1' } });
    expect(p.devTools).toBe(false);
    expect(p.ignored).toContain('WFVAULT_DEVTOOLS');
  });

  it('a packaged app ignores base URLs other than Webflow hosts', () => {
    const p = launchPolicy({ packaged: true, argv: [], env: { ...SIM, HOME: '/home/me' } });
    expect(p.webflowEnv.WEBFLOW_API_BASE_URL).toBeUndefined();
    expect(p.webflowEnv.WEBFLOW_OAUTH_BASE_URL).toBeUndefined();
    expect(p.webflowEnv.HOME).toBe('/home/me');
    expect(p.ignored).toEqual(['WEBFLOW_API_BASE_URL', 'WEBFLOW_OAUTH_BASE_URL']);
    for (const evil of ['https://api.webflow.com.evil.example', 'https://api.webflow.com:8443', 'http://api.webflow.com']) {
      expect(launchPolicy({ packaged: true, argv: [], env: { WEBFLOW_API_BASE_URL: evil } }).webflowEnv.WEBFLOW_API_BASE_URL, evil).toBeUndefined();
    }
  });

  it("a packaged app keeps Webflow's own hosts, and other hosts with WFVAULT_CUSTOM_WEBFLOW=1", () => {
    const own = { WEBFLOW_API_BASE_URL: 'https://api.webflow.com/v2', WEBFLOW_OAUTH_BASE_URL: 'https://webflow.com' };
    expect(launchPolicy({ packaged: true, argv: [], env: own }).webflowEnv).toMatchObject(own);
    const p = launchPolicy({ packaged: true, argv: [], env: { ...SIM, WFVAULT_CUSTOM_WEBFLOW: '1' } });
    expect(p.webflowEnv).toMatchObject(SIM);
    expect(p.ignored).toEqual([]);
  });

  it('names the hosts for the window only when they are not Webflow', () => {
    expect(customWebflowHosts('https://api.webflow.com', 'https://webflow.com')).toBeNull();
    expect(customWebflowHosts('http://127.0.0.1:4010', 'https://webflow.com')).toEqual({ api: 'http://127.0.0.1:4010', oauth: 'https://webflow.com' });
  });
});
