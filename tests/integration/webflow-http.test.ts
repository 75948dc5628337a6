// The HTTP exchange itself, against small loopback servers that misbehave in ways the simulator
// does not: answers too large to read, redirects, bodies cut off in the middle, a TLS certificate
// nobody trusts, headers sent twice.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { WebflowConfig } from '../../main/webflow/config.js';
import { send } from '../../main/webflow/http.js';
import { testToken } from '../../main/webflow/test-token.js';

const TOKEN = 'f'.repeat(64);
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(server: Server, scheme = 'http'): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  return listen(createServer(handler));
}

function config(apiBaseUrl: string): WebflowConfig {
  return { apiBaseUrl, oauthBaseUrl: apiBaseUrl, timeoutMs: 3000, maxRetries: 1, maxRetryWaitMs: 20 };
}

const introspection = JSON.stringify({ authorization: { id: 'a1', scope: 'cms:read', authorizedTo: { siteIds: ['s1'] } } });

describe('the HTTP exchange with Webflow', () => {
  it('does not read an answer larger than 1 MB, and says it was too large', async () => {
    let served = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      // Stops writing once the client hangs up: it must not read all 8 MB.
      const more = (): void => {
        while (served < 8 * 1024 * 1024 && !res.destroyed) {
          served += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    const outcome = await testToken(config(url), TOKEN);
    expect(outcome).toMatchObject({ status: 'malformed_response', ok: false, httpStatus: 200 });
    expect(outcome.message).toContain('larger than any expected answer');
    expect(served).toBeLessThan(8 * 1024 * 1024);
  });

  it('treats a redirect as the answer: the token never goes where it points', async () => {
    const elsewhere: string[] = [];
    const target = await serve((req, res) => {
      elsewhere.push(req.headers.authorization ?? '(none)');
      res.end(introspection);
    });
    const url = await serve((_req, res) => {
      res.writeHead(302, { Location: `${target}/v2/token/introspect` });
      res.end();
    });
    const outcome = await testToken(config(url), TOKEN);
    expect(outcome.ok).toBe(false);
    expect(outcome.httpStatus).toBe(302);
    expect(elsewhere).toEqual([]);
  });

  it('reports an answer cut off in the middle of its body as a network failure', async () => {
    let calls = 0;
    const url = await serve((_req, res) => {
      calls++;
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '5000' });
      res.write(introspection.slice(0, 20));
      res.socket?.destroy();
    });
    const outcome = await testToken(config(url), TOKEN);
    expect(outcome).toMatchObject({ status: 'network', ok: false, httpStatus: null });
    expect(calls).toBe(2); // retried once, as any dropped connection
    expect(outcome.message).not.toContain(TOKEN);
  });

  it('reads headers case-insensitively, a repeated one joined as fetch joins them', async () => {
    const url = await serve((_req, res) => {
      res.setHeader('X-Multi', ['a', 'b']);
      res.setHeader('X-RateLimit-Remaining', '7');
      res.end('{}');
    });
    const reply = await send(config(url), { method: 'GET', url: `${url}/x` }, { secrets: [], retry: 'idempotent' });
    expect(reply.type).toBe('reply');
    if (reply.type !== 'reply') return;
    expect(reply.headers.get('x-multi')).toBe('a, b');
    expect(reply.headers.get('x-ratelimit-remaining')).toBe('7');
    expect(reply.headers.get('X-RATELIMIT-REMAINING')).toBe('7');
    expect(reply.headers.get('absent')).toBeNull();
  });

  it('sends a POST body with its length, and drops a byte-order mark from the answer', async () => {
    let received = '';
    let length = '';
    const url = await serve((req, res) => {
      length = req.headers['content-length'] ?? '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (received += d));
      req.on('end', () => res.end('\ufeff{"ok":true}'));
    });
    const body = JSON.stringify({ note: 'ünïcödé' });
    const reply = await send(config(url), { method: 'POST', url: `${url}/p`, body, headers: { 'Content-Type': 'application/json' } }, { secrets: [], retry: 'rate_limit_only' });
    expect(received).toBe(body);
    expect(length).toBe(String(Buffer.byteLength(body)));
    expect(reply.type === 'reply' && reply.text).toBe('{"ok":true}');
  });

  it('refuses an HTTPS server whose certificate nobody trusts, and says why', async (ctx) => {
    const dir = await mkdtemp(join(tmpdir(), 'wfvault-tls-'));
    try {
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
      if (made.status !== 0) {
        console.log('skipped: openssl could not make a test certificate');
        ctx.skip();
      }
      let reached = false;
      const server = createTlsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, (_req, res) => {
        reached = true;
        res.end(introspection);
      });
      const url = await listen(server, 'https');
      const outcome = await testToken(config(url), TOKEN);
      expect(outcome).toMatchObject({ status: 'network', ok: false });
      expect(outcome.message).toContain('self-signed');
      expect(reached).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
