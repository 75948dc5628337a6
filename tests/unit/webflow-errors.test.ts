import { describe, expect, it } from 'vitest';
import { parseJson, readErrorBody, statusLabel } from '../../main/webflow/errors.js';

const TOKEN = 'fedcba9876543210'.repeat(4);

describe('readErrorBody', () => {
  it('reads the current Data API shape', () => {
    const body = JSON.stringify({ code: 'not_authorized', message: 'Request not authorized', externalReference: null, details: [] });
    expect(readErrorBody(body, [])).toEqual({ code: 'not_authorized', message: 'Request not authorized' });
  });

  it('reads the older shape with publicErrorCode', () => {
    const body = JSON.stringify({ status: 403, message: 'OAuthForbidden: You are missing the following scopes - sites:read', publicErrorCode: 'missing_scopes', externalReference: null, details: [] });
    expect(readErrorBody(body, [])).toEqual({ code: 'missing_scopes', message: 'OAuthForbidden: You are missing the following scopes - sites:read' });
  });

  it('reads the OAuth shape', () => {
    expect(readErrorBody(JSON.stringify({ error: 'invalid_grant', error_description: 'invalid_redirect_uri' }), [])).toEqual({
      code: 'invalid_grant',
      message: 'invalid_redirect_uri',
    });
  });

  it('copes with bodies that are not JSON objects', () => {
    expect(readErrorBody('<html>Bad gateway</html>', [])).toEqual({ code: null, message: '' });
    expect(readErrorBody('[1,2]', [])).toEqual({ code: null, message: '' });
    expect(readErrorBody('', [])).toEqual({ code: null, message: '' });
  });

  it('scrubs the secret from the message and refuses it as a code', () => {
    const body = JSON.stringify({ code: TOKEN, message: `Token ${TOKEN} is invalid` });
    const read = readErrorBody(body, [TOKEN]);
    expect(read.code).toBeNull();
    expect(read.message).toBe('Token [redacted] is invalid');
  });
});

describe('parseJson', () => {
  it('parses and scrubs, or says it could not', () => {
    expect(parseJson(`{"a":"${TOKEN}"}`, [TOKEN])).toEqual({ ok: true, value: { a: '[redacted]' } });
    expect(parseJson('{"a":', [])).toEqual({ ok: false });
  });
});

describe('statusLabel', () => {
  it('shows the code when there is one', () => {
    expect(statusLabel(401, 'not_authorized')).toBe('401 not_authorized');
    expect(statusLabel(502, null)).toBe('HTTP 502');
  });
});
