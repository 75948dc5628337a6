// The README's "Use it with your tools" recipes, run as written: each `<!-- recipe: NAME -->` block
// is read from README.md. The tools are stand-ins on PATH (`npx`, `git`) that print the arguments
// and the hashes of the Webflow variables they received, except the JS SDK recipe, which runs the
// real `webflow-api` package against the simulator (its fetches rerouted by loopback-only.mjs).
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { CLI, runCli, tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { startSimulator, type Simulator, type SimToken } from '../sim/simulator.js';
import { createHash } from 'node:crypto';

const REPO = resolve(import.meta.dirname, '../..');
const sha = (s: string) => `sha:${createHash('sha256').update(s).digest('hex')}`;

const STAND_IN = `#!/usr/bin/env node
const { createHash } = require('node:crypto');
const env = {};
for (const [k, v] of Object.entries(process.env)) if (/WEBFLOW|SITE_ID|WFVAULT_PASSPHRASE/.test(k) && !/_BASE_URL$/.test(k)) env[k] = 'sha:' + createHash('sha256').update(v).digest('hex');
console.log(JSON.stringify({ args: process.argv.slice(2), env }));
`;

async function recipes(): Promise<Map<string, string>> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const found = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- recipe: ([^>]+?) -->\n```\w*\n([\s\S]*?)```/g)) found.set(m[1]!, m[2]!);
  return found;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd?: string; input?: string }): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

const lines = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { args: string[]; env: Record<string, string> });

describeWithKeyring('README recipes: Use it with your tools', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };
  let book: Map<string, string>;
  let site: SimToken;
  let workspace: SimToken;
  let env: NodeJS.ProcessEnv;
  let secrets: string[];

  beforeAll(async () => {
    book = await recipes();
    sim = await startSimulator();
    sim.addSite({ id: '580e63e98c9a982ac9b8b741', displayName: 'Acme Marketing', shortName: 'acme-marketing', workspaceId: 'ws-acme' });
    site = sim.addToken({ kind: 'site', siteIds: ['580e63e98c9a982ac9b8b741'], scopes: ['sites:read'] });
    workspace = sim.addToken({ kind: 'workspace', siteIds: [], workspaceIds: ['ws-acme'] });
    secrets = [site.token, workspace.token];
    tmp = await tempDir('wfvault-recipes-');
    const bin = join(tmp.path, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'wfvault'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await writeFile(join(bin, 'npx'), STAND_IN);
    await writeFile(join(bin, 'git'), '#!/bin/sh\nexit 0\n');
    for (const f of ['wfvault', 'npx', 'git']) await chmod(join(bin, f), 0o755);
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(WEBFLOW|WFVAULT)_/.test(k)));
    env = { ...clean, ...sim.env, PATH: `${bin}:${process.env.PATH}`, WFVAULT_DIR: join(tmp.path, 'vault'), NO_COLOR: '1' };
    expect((await runCli(['init'], { env })).code).toBe(0);
    expect((await runCli(['add', '--label', 'Acme site'], { env, input: `${site.token}\n` })).code).toBe(0);
    expect((await runCli(['add', '--label', 'Acme workspace'], { env, input: `${workspace.token}\n` })).code).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await sim.close();
    await tmp.cleanup();
  });

  it('has every recipe the tests below run', () => {
    expect([...book.keys()].sort()).toEqual(['ci setup', 'ci workflow', 'claude-code', 'claude-desktop', 'cursor', 'sdk .env', 'sdk list-sites.mjs', 'sdk sh', 'vscode', 'webflow-cli-1', 'webflow-cli-2'].sort());
  });

  it('starts the MCP server with the token in WEBFLOW_TOKEN from each client config', async () => {
    for (const name of ['cursor', 'vscode', 'claude-desktop', 'claude-code']) {
      const config = JSON.parse(book.get(name)!) as Record<string, Record<string, { command: string; args: string[]; env?: Record<string, string> }>>;
      const entry = (config.mcpServers ?? config.servers)!.webflow!;
      const r = await run(entry.command, entry.args, { env: { ...env, ...entry.env } });
      assertNoSecret(r.stdout + r.stderr, secrets);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(lines(r.stdout), name).toEqual([{ args: ['-y', 'webflow-mcp-server@latest'], env: { WEBFLOW_TOKEN: sha(site.token) } }]);
    }
  }, 240_000);

  it('gives the Webflow CLI 2.x and 1.x the variables they read', async () => {
    const v2 = await run('sh', ['-c', book.get('webflow-cli-2')!], { env });
    expect(v2.code, v2.stderr).toBe(0);
    expect(lines(v2.stdout)).toEqual([
      { args: ['webflow', 'devlink', 'sync'], env: { WEBFLOW_API_TOKEN: sha(site.token), WEBFLOW_TOKEN: sha(site.token), WEBFLOW_SITE_ID: sha('580e63e98c9a982ac9b8b741') } },
      { args: ['webflow', 'library', 'share'], env: { WEBFLOW_API_TOKEN: sha(workspace.token), WEBFLOW_TOKEN: sha(workspace.token) } },
    ]);
    const v1 = await run('sh', ['-c', book.get('webflow-cli-1')!], { env });
    expect(v1.code, v1.stderr).toBe(0);
    expect(lines(v1.stdout)).toEqual([
      { args: ['webflow', 'devlink', 'sync'], env: { WEBFLOW_SITE_API_TOKEN: sha(site.token), WEBFLOW_SITE_ID: sha('580e63e98c9a982ac9b8b741') } },
      { args: ['webflow', 'library', 'share'], env: { WEBFLOW_WORKSPACE_API_TOKEN: sha(workspace.token) } },
    ]);
    assertNoSecret(v1.stderr + v2.stderr, secrets);
  }, 240_000);

  it('runs the real JS SDK with a .env of references', async () => {
    const project = join(tmp.path, 'sdk');
    await mkdir(project);
    await symlink(join(REPO, 'node_modules'), join(project, 'node_modules'));
    await writeFile(join(project, '.env'), book.get('sdk .env')!);
    await writeFile(join(project, 'list-sites.mjs'), book.get('sdk list-sites.mjs')!);
    const before = sim.requests.length;
    const r = await run('sh', ['-c', book.get('sdk sh')!], {
      cwd: project,
      env: { ...env, NODE_OPTIONS: `--import ${pathToFileURL(join(REPO, 'tests/helpers/loopback-only.mjs')).href}`, WFVAULT_TEST_WEBFLOW_API: sim.apiUrl },
    });
    assertNoSecret(r.stdout + r.stderr, secrets);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Acme Marketing');
    expect(r.stdout).toContain('(site 580e63e98c9a982ac9b8b741)');
    expect(sim.requests.slice(before).filter((q) => q.path === '/v2/sites').map((q) => q.authId)).toEqual([site.id]);
    expect(r.stderr).not.toMatch(/loopback-only: refused/);
  }, 240_000);

  it('sets up a passphrase vault for CI and runs the workflow step with it', async () => {
    const repo = join(tmp.path, 'ci-repo');
    await mkdir(repo);
    const passphrase = 'correct horse battery staple';
    const noKeychain = { ...env, WFVAULT_DIR: undefined, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent', WFVAULT_PASSPHRASE: passphrase };
    const setup = await run('sh', ['-c', book.get('ci setup')!], { cwd: repo, env: noKeychain, input: `${site.token}\n` });
    assertNoSecret(setup.stdout + setup.stderr, [...secrets, passphrase]);
    expect(setup.code, setup.stderr).toBe(0);

    const workflow = parseYaml(book.get('ci workflow')!) as { steps: Array<{ run?: string; env?: Record<string, string> }> };
    const step = workflow.steps.find((s) => s.run)!;
    await writeFile(join(repo, 'deploy.js'), STAND_IN);
    const stepEnv = Object.fromEntries(Object.entries(step.env!).map(([k, v]) => [k, v.replace('${{ secrets.WFVAULT_PASSPHRASE }}', passphrase)]));
    const r = await run('sh', ['-c', step.run!], { cwd: repo, env: { ...noKeychain, WFVAULT_PASSPHRASE: undefined, ...stepEnv } });
    assertNoSecret(r.stdout + r.stderr, [...secrets, passphrase]);
    expect(r.code, r.stderr).toBe(0);
    // The token arrives; the passphrase that opens every token does not.
    expect(lines(r.stdout)).toEqual([{ args: [], env: { WEBFLOW_API_TOKEN: sha(site.token), WEBFLOW_TOKEN: sha(site.token), WEBFLOW_SITE_ID: sha('580e63e98c9a982ac9b8b741') } }]);
  }, 240_000);
});
