// The real `webflow-mcp-server` (the npm package Webflow publishes, pinned in devDependencies),
// started by exactly the command line that `wfvault import --rewrite` wrote into a Cursor config,
// gets the token in WEBFLOW_TOKEN: asked over MCP to list sites, it calls the simulator with it.
// Every Node process of the chain loads tests/helpers/loopback-only.mjs, which sends Webflow's
// hosts to the simulator and refuses any other connection off loopback (npm's registry included).
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const REPO = resolve(import.meta.dirname, '../..');
const PRELOAD = join(REPO, 'tests/helpers/loopback-only.mjs');

interface RpcReply {
  id?: number;
  result?: { content?: Array<{ type: string; text: string }>; serverInfo?: { name: string } };
}

describeWithKeyring('the real webflow-mcp-server through a rewritten Cursor config', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addSite({ id: 'site-mcp', displayName: 'MCP Test Site', shortName: 'mcp-test' });
    tmp = await tempDir('wfvault-mcp-');
  });
  afterAll(async () => {
    await sim.close();
    await tmp.cleanup();
  });

  it('receives the token in WEBFLOW_TOKEN and uses it against the simulator', async () => {
    const token = sim.addToken({ kind: 'site', siteIds: ['site-mcp'], scopes: ['sites:read'] });
    const vaultDir = join(tmp.path, 'vault');
    const env = { ...sim.env, WFVAULT_DIR: vaultDir };
    expect((await runCli(['init'], { env })).code).toBe(0);

    // As Cursor keeps it (the server's README block, with the version pinned).
    const config = join(tmp.path, 'project', '.cursor', 'mcp.json');
    await mkdir(join(config, '..'), { recursive: true });
    await writeFile(config, `{\n  "mcpServers": {\n    "webflow": {\n      "command": "npx",\n      "args": ["-y", "webflow-mcp-server@1.0.0"],\n      "env": {\n        "WEBFLOW_TOKEN": "${token.token}"\n      }\n    }\n  }\n}\n`);
    const imported = await runCli(['import', config, '--rewrite'], { env });
    assertNoSecret(imported.stdout + imported.stderr, [token.token]);
    expect(imported.code, imported.stderr).toBe(0);
    const written = await readFile(config, 'utf8');
    assertNoSecret(written, [token.token]);
    const entry = (JSON.parse(written) as { mcpServers: { webflow: { command: string; args: string[]; env?: Record<string, string> } } }).mcpServers.webflow;
    expect(entry.args).toEqual(expect.arrayContaining(['exec', '--as', 'WEBFLOW_TOKEN', '--', 'npx', '-y', 'webflow-mcp-server@1.0.0']));

    // Started as Cursor starts it: the command and args from the file, its env over the user's.
    const child = spawn(entry.command, entry.args, {
      cwd: REPO,
      env: {
        ...process.env,
        ...entry.env,
        WFVAULT_DIR: vaultDir,
        NODE_OPTIONS: `--import ${pathToFileURL(PRELOAD).href}`,
        WFVAULT_TEST_WEBFLOW_API: sim.apiUrl,
        // npx finds the pinned package in node_modules and must not ask the registry.
        npm_config_offline: 'true',
        npm_config_update_notifier: 'false',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so the end of the test can stop wfvault, npx and the server at once.
      detached: true,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const replies = new Map<number, (r: RpcReply) => void>();
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const reply = JSON.parse(line) as RpcReply;
        if (reply.id !== undefined) replies.get(reply.id)?.(reply);
      }
    });
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    const call = (id: number, method: string, params: unknown) =>
      new Promise<RpcReply>((done, fail) => {
        replies.set(id, done);
        exited.then((code) => fail(new Error(`the server exited (${code}) before answering ${method}: ${stderr}`)), () => undefined);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      });

    try {
      const hello = await call(1, 'initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'wfvault-test', version: '1' } });
      expect(hello.result?.serverInfo?.name).toBe('webflow-mcp-server');
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
      const before = sim.requests.length;
      const listed = await call(2, 'tools/call', { name: 'sites_list', arguments: {} });
      const text = listed.result?.content?.map((c) => c.text).join('\n') ?? '';
      expect(text).toContain('MCP Test Site');
      const calls = sim.requests.slice(before);
      expect(calls.map((r) => [r.method, r.path, r.authId, r.status])).toEqual([['GET', '/v2/sites', token.id, 200]]);
    } finally {
      child.stdin.end();
      // An MCP client stops its server this way; the server holds the pipes until it is gone.
      process.kill(-child.pid!, 'SIGTERM');
      const escalate = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(escalate);
    }
    expect(stderr).not.toMatch(/loopback-only: refused/);
    assertNoSecret(stderr, [token.token]);
  }, 120_000);
});
