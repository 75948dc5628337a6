import { describe, expect, it } from 'vitest';
import type { WebflowConfig } from '../../main/webflow/config.js';
import { buildAuthorizeUrl } from '../../main/webflow/oauth.js';

const config: WebflowConfig = {
  apiBaseUrl: 'https://api.webflow.com',
  oauthBaseUrl: 'https://webflow.com',
  timeoutMs: 10_000,
  maxRetries: 2,
  maxRetryWaitMs: 60_000,
};

describe('buildAuthorizeUrl', () => {
  it('builds the documented link on the OAuth host, scopes space-separated as %20', () => {
    const url = buildAuthorizeUrl(config, {
      clientId: 'abc123',
      redirectUri: 'http://localhost:8976/callback',
      scopes: ['sites:read', 'cms:read', 'authorized_user:read'],
      state: 'xyz',
    });
    expect(url).toBe(
      'https://webflow.com/oauth/authorize?response_type=code&client_id=abc123' +
        '&redirect_uri=http%3A%2F%2Flocalhost%3A8976%2Fcallback' +
        '&scope=sites%3Aread%20cms%3Aread%20authorized_user%3Aread&state=xyz',
    );
    expect(url).not.toContain('+');
  });

  it('keeps a literal plus distinct from a space, and round-trips through URL parsing', () => {
    const url = buildAuthorizeUrl(config, { clientId: 'id', redirectUri: 'http://localhost:1/cb?x=a b', scopes: ['a:read', 'b:write'], state: 'p+q r/=' });
    expect(url).toContain('state=p%2Bq%20r%2F%3D');
    const parsed = new URL(url);
    expect(parsed.searchParams.get('state')).toBe('p+q r/=');
    expect(parsed.searchParams.get('scope')).toBe('a:read b:write');
    expect(parsed.searchParams.get('redirect_uri')).toBe('http://localhost:1/cb?x=a b');
    expect(parsed.searchParams.get('response_type')).toBe('code');
  });

  it('uses the configured OAuth host, never the API host', () => {
    const url = buildAuthorizeUrl({ ...config, oauthBaseUrl: 'http://127.0.0.1:4011' }, { clientId: 'i', redirectUri: 'http://localhost:2/cb', scopes: ['sites:read'], state: 's' });
    expect(url.startsWith('http://127.0.0.1:4011/oauth/authorize?')).toBe(true);
  });
});
