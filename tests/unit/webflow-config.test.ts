import { describe, expect, it } from 'vitest';
import { AppError } from '../../main/core/errors.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';

function usageError(env: NodeJS.ProcessEnv): AppError {
  try {
    webflowConfigFromEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('usage');
    return err as AppError;
  }
  throw new Error('expected a usage error');
}

describe('webflowConfigFromEnv', () => {
  it('defaults to Webflow with a 10 s timeout, 2 retries and at most 60 s of waiting', () => {
    expect(webflowConfigFromEnv({})).toEqual({
      apiBaseUrl: 'https://api.webflow.com',
      oauthBaseUrl: 'https://webflow.com',
      timeoutMs: 10_000,
      maxRetries: 2,
      maxRetryWaitMs: 60_000,
    });
  });

  it('reads the variables, trims trailing slashes, and accepts the SDK-style /v2 suffix', () => {
    const config = webflowConfigFromEnv({
      WEBFLOW_API_BASE_URL: 'http://127.0.0.1:4010/v2/',
      WEBFLOW_OAUTH_BASE_URL: 'http://localhost:4011//',
      WFVAULT_HTTP_TIMEOUT_MS: '300',
      WFVAULT_MAX_RETRY_WAIT_MS: '0',
    });
    expect(config).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4010', oauthBaseUrl: 'http://localhost:4011', timeoutMs: 300, maxRetryWaitMs: 0 });
    expect(webflowConfigFromEnv({ WEBFLOW_API_BASE_URL: 'https://api.eu.webflow.com/' }).apiBaseUrl).toBe('https://api.eu.webflow.com');
  });

  it('treats empty variables as unset', () => {
    expect(webflowConfigFromEnv({ WEBFLOW_API_BASE_URL: '', WFVAULT_HTTP_TIMEOUT_MS: ' ' })).toMatchObject({
      apiBaseUrl: 'https://api.webflow.com',
      timeoutMs: 10_000,
    });
  });

  it('names the variable when a URL is invalid', () => {
    expect(usageError({ WEBFLOW_API_BASE_URL: 'api.webflow.com' }).message).toContain('WEBFLOW_API_BASE_URL');
    expect(usageError({ WEBFLOW_OAUTH_BASE_URL: 'ftp://webflow.com' }).message).toContain('WEBFLOW_OAUTH_BASE_URL');
    expect(usageError({ WEBFLOW_API_BASE_URL: 'https://u:p@api.webflow.com' }).message).toContain('WEBFLOW_API_BASE_URL');
    expect(usageError({ WEBFLOW_API_BASE_URL: 'https://api.webflow.com/?x=1' }).message).toContain('WEBFLOW_API_BASE_URL');
  });

  it('refuses plain http except on loopback, so tokens never cross a network in clear text', () => {
    expect(usageError({ WEBFLOW_API_BASE_URL: 'http://api.webflow.com' }).message).toContain('plain http');
    expect(webflowConfigFromEnv({ WEBFLOW_API_BASE_URL: 'http://[::1]:4010' }).apiBaseUrl).toBe('http://[::1]:4010');
  });

  it('names the variable when a number is invalid', () => {
    expect(usageError({ WFVAULT_HTTP_TIMEOUT_MS: 'soon' }).message).toContain('WFVAULT_HTTP_TIMEOUT_MS');
    expect(usageError({ WFVAULT_HTTP_TIMEOUT_MS: '0' }).message).toContain('WFVAULT_HTTP_TIMEOUT_MS');
    expect(usageError({ WFVAULT_MAX_RETRY_WAIT_MS: '-1' }).message).toContain('WFVAULT_MAX_RETRY_WAIT_MS');
    expect(usageError({ WFVAULT_MAX_RETRY_WAIT_MS: '1.5' }).message).toContain('WFVAULT_MAX_RETRY_WAIT_MS');
  });
});
