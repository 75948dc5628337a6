// `wfvault import`, `scan`, `add` and `edit` end to end, on files written the way the real tools
// write them (webflow-api.md §7): the built CLI, a vault on the real keychain, the simulator.
// "The program started as advised" is a small Node child that prints the hashes of the Webflow
// variables it received, run before the import (as the tool would run it) and after.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { assertNoSecret, SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
// Tests that run the CLI a dozen times or more; generous, for a loaded machine.
const SLOW = 240_000;
const HEX64 = /(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])/;

const PROBE = `const { createHash } = require('node:crypto');
const out = {};
for (const [k, v] of Object.entries(process.env)) if (/WEBFLOW|SITE_ID/.test(k) && !/^WEBFLOW_(API|OAUTH)_BASE_URL$/.test(k)) out[k] = 'sha:' + createHash('sha256').update(v).digest('hex');
console.log(JSON.stringify(out));`;

interface Launch {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Starts a command as an MCP client or a shell would, and returns what it printed. */
function launch(l: Launch, env: NodeJS.ProcessEnv, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(l.command, l.args, { env: { ...env, ...l.env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeWithKeyring('wfvault import, scan, add and edit', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };
  let dir: string;
  let probe: string;
  let secrets: string[];
  let n = 0;

  const env = (): NodeJS.ProcessEnv => ({ ...process.env, ...sim.env, WFVAULT_DIR: dir, NO_COLOR: '1', WFVAULT_DEBUG: '' });
  async function cli(args: string[], input?: string, extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const result = await runCli(args, { input, env: { ...env(), ...extra } });
    assertNoSecret(result.stderr, secrets);
    assertNoSecret(result.stdout, secrets);
    return result;
  }
  function token(init: Parameters<Simulator['addToken']>[0] = {}) {
    const t = sim.addToken({ kind: 'site', siteIds: ['site-alpha'], ...init });
    secrets.push(t.token);
    return t;
  }
  async function listJson(): Promise<Array<Record<string, unknown>>> {
    const r = await cli(['list', '--json']);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  }
  async function expectScanClean(file: string) {
    const r = await cli(['scan', file, '--json']);
    expect(JSON.parse(r.stdout), file).toEqual([]);
    expect(r.code).toBe(0);
  }

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addSite({ id: 'site-alpha', displayName: 'Alpha Co', shortName: 'alpha-co', workspaceId: 'ws-agency' });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async (ctx) => {
    tmp = await tempDir('wfvault-import-');
    dir = join(tmp.path, `vault-${n++}`);
    secrets = [SENTINEL_TOKEN];
    probe = join(tmp.path, 'probe.cjs');
    await writeFile(probe, PROBE);
    ctx.onTestFinished(() => tmp.cleanup());
    expect((await cli(['init'])).code).toBe(0);
  });

  it('add detects a Workspace token without --kind, trims a pasted token, and names it when no label is given', async () => {
    const ws = token({ kind: 'workspace', siteIds: [], workspaceIds: ['ws-agency'] });
    const added = await cli(['add', '--json'], `  ${ws.token} \r\n`);
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ kind: 'workspace', label: 'Workspace ws-agency (Workspace)' });
    const site = token();
    const named = await cli(['add', '--json'], `\t${site.token}\r\n  `);
    expect(JSON.parse(named.stdout)).toMatchObject({ kind: 'site', label: 'Alpha Co (Site)' });

    const inner = await cli(['add', '--label', 'x'], `ab cd\n`);
    expect(inner.code).toBe(1);
    expect(inner.stderr).toMatch(/whitespace/);
    const badUtf8 = await runCli(['add', '--label', 'x', '--offline'], { input: Buffer.concat([Buffer.from('ab'.repeat(31)), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]), env: env() });
    expect(badUtf8.code).toBe(1);
    expect(badUtf8.stderr).toMatch(/not valid UTF-8/);
    for (const label of ['two\nlines', 'esc\u001b[31mred', 'tab\there']) {
      const r = await cli(['add', '--offline', '--label', label], `${'ef'.repeat(32)}\n`);
      expect(r.code, JSON.stringify(label)).toBe(2);
      expect(r.stderr).toMatch(/control character/);
    }
    expect(await listJson()).toHaveLength(2);
  });

  it('edit changes label, note and tags, refusing control characters and unknown tags', async () => {
    const t = token();
    await cli(['add', '--label', 'alpha'], `${t.token}\n`);
    const r = await cli(['edit', 'alpha', '--label', 'Alpha prod', '--note', 'deploys\nonly', '--tag', 'prod', '--tag', 'ci', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ label: 'Alpha prod', notes: 'deploys\nonly', tags: ['prod', 'ci'] });
    const untag = await cli(['edit', 'Alpha prod', '--untag', 'ci', '--json']);
    expect(JSON.parse(untag.stdout)).toMatchObject({ tags: ['prod'] });
    expect((await cli(['edit', 'Alpha prod', '--untag', 'nope'])).code).toBe(2);
    expect((await cli(['edit', 'Alpha prod', '--tag', 'a\u001bb'])).stderr).toMatch(/control character/);
    expect((await cli(['edit', 'Alpha prod', '--note', 'bell\u0007'])).code).toBe(2);
    expect((await cli(['edit', 'Alpha prod'])).stderr).toMatch(/Nothing to change/);
    expect((await cli(['edit', 'nope', '--label', 'x'])).code).toBe(2);
    const [record] = await listJson();
    expect(record).toMatchObject({ label: 'Alpha prod', notes: 'deploys\nonly', tags: ['prod'] });
  });

  it('scan finds the Webflow CLI session, DevLink configs, shell history, YAML and TOML, and reports OAuth app credentials as such', async () => {
    const home = join(tmp.path, 'home');
    const files: Record<string, string> = {};
    const t = () => token().token;
    files['.config/webflow/auth.json'] = JSON.stringify({ version: 4, defaultRegion: 'us', session: { accessToken: t(), scopes: ['sites:read'], createdAt: '2026-11-30T10:00:00.000Z', region: 'us' } }, null, 2);
    files['site/.webflowrc.json'] = JSON.stringify({ host: 'https://api.webflow.com', rootDir: './devlink', siteId: 'site-alpha', authToken: t(), cssModules: true }, null, 2);
    files['site/.webflowrc.js'] = `module.exports = {\n  host: "https://api.webflow.com",\n  rootDir: "./devlink",\n  siteId: "site-alpha",\n  authToken: "${t()}",\n  cssModules: true\n};\n`;
    files['.zsh_history'] = `: 1764600000:0;ls\n: 1764600010:0;curl -H "Authorization: Bearer ${t()}" https://api.webflow.com/v2/sites\n`;
    files['site/.github/workflows/deploy.yml'] = `jobs:\n  deploy:\n    env:\n      WEBFLOW_API_TOKEN: ${t()}\n`;
    files['site/wrangler.toml'] = `name = "site"\n[vars]\nsha = "${'ee'.repeat(32)}"\n[webflow]\ntoken = "${t()}"\n`;
    const clientId = 'c1'.repeat(32);
    const clientSecret = '5c'.repeat(32);
    secrets.push(clientId, clientSecret);
    const app = sim.addApp({ name: 'mine', clientId, clientSecret, redirectUris: ['http://localhost:8976/callback'], scopes: ['sites:read'] });
    expect(app.clientSecret).toBe(clientSecret);
    const appToken = t();
    files['app/.env'] = `WEBFLOW_CLIENT_ID=${clientId}\nWEBFLOW_CLIENT_SECRET=${clientSecret}\nWEBFLOW_OAUTH_CLIENT_ID=${clientId}\nWEBFLOW_API_TOKEN=${appToken}\n`;
    for (const [name, text] of Object.entries(files)) {
      await mkdir(join(home, name, '..'), { recursive: true });
      await writeFile(join(home, name), text);
    }

    const r = await cli(['scan', home, '--json']);
    expect(r.code).toBe(1);
    const found = (JSON.parse(r.stdout) as Array<{ path: string; line: number; kind: string; name: string | null; advice: string }>).map((f) => ({ ...f, path: f.path.slice(home.length + 1) }));
    expect(found.map((f) => [f.path, f.line, f.kind])).toEqual([
      ['.config/webflow/auth.json', 5, 'token'],
      ['.zsh_history', 2, 'token'],
      ['app/.env', 1, 'app_credential'],
      ['app/.env', 2, 'app_credential'],
      ['app/.env', 3, 'app_credential'],
      ['app/.env', 4, 'token'],
      ['site/.github/workflows/deploy.yml', 4, 'token'],
      ['site/.webflowrc.js', 5, 'token'],
      ['site/.webflowrc.json', 5, 'token'],
      ['site/wrangler.toml', 5, 'token'],
    ]);
    const advice = Object.fromEntries(found.map((f) => [`${f.path}:${f.line}`, f.advice]));
    expect(advice['.config/webflow/auth.json:5']).toMatch(/wfvault import .*auth\.json.*webflow auth logout/);
    expect(advice['app/.env:2']).toMatch(/OAuth app credential.*wfvault app add/);
    expect(advice['app/.env:4']).toMatch(/wfvault import .*\.env --rewrite/);
    expect(advice['.zsh_history:2']).toMatch(/wfvault import .*\.zsh_history, then delete line 2/);
    const human = await cli(['scan', join(home, 'app')]);
    expect(human.stdout).toContain('WEBFLOW_CLIENT_SECRET  OAuth app credential');

    // Every file scan reported can be imported; the app credentials are never taken for tokens.
    const before = sim.requests.length;
    for (const f of ['.config/webflow/auth.json', '.zsh_history', 'app/.env', 'site/.github/workflows/deploy.yml', 'site/.webflowrc.js', 'site/.webflowrc.json', 'site/wrangler.toml']) {
      const imported = await cli(['import', join(home, f)]);
      expect(imported.code, `${f}: ${imported.stderr}`).toBe(0);
      expect(imported.stdout, f).toMatch(/^imported/);
    }
    const refused = await cli(['import', join(home, 'app/.env'), '--var', 'WEBFLOW_CLIENT_SECRET']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/OAuth app credential, not a token.*wfvault app add/);
    await cli(['test', '--all']);
    const sent = sim.requests.slice(before);
    expect(sent.length).toBeGreaterThan(7);
    for (const req of sent) {
      expect(req.bearerSha256).not.toBe(sha(clientSecret));
      expect(req.bearerSha256).not.toBe(sha(clientId));
    }
    expect(await listJson()).toHaveLength(7);
    const rescan = JSON.parse((await cli(['scan', home, '--json'])).stdout) as Array<{ inVault: boolean; kind: string }>;
    expect(rescan.filter((f) => f.kind === 'token').every((f) => f.inVault)).toBe(true);
  }, SLOW);

  it('import --rewrite on a .env and a shell rc file leaves references that give the program the same variables', async () => {
    const site = token();
    const ws = token({ kind: 'workspace', siteIds: [], workspaceIds: ['ws-agency'] });
    const project = join(tmp.path, 'project');
    await mkdir(project);
    const envFile = join(project, '.env');
    // As `webflow auth login` (CLI 2.x) writes it, plus a hand-added Workspace token.
    const original = `# automatically generated at 2026-11-30T10:00:00.000Z\nWEBFLOW_API_TOKEN="${site.token}"\nWEBFLOW_SITE_ID="site-alpha"\nexport WEBFLOW_WORKSPACE_API_TOKEN='${ws.token}' # library share\nPORT=3000\n`;
    await writeFile(envFile, original, { mode: 0o640 });
    // As the Webflow CLI and the SDK examples read it: dotenv, never overriding what is set.
    const beforeRun = await launch({ command: process.execPath, args: [probe], env: parseDotenv(original) }, {});

    const r = await cli(['import', envFile, '--rewrite', '--json']);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout) as Array<{ name: string; tokenId: string; rewritten: boolean }>;
    expect(items.map((i) => [i.name, i.rewritten])).toEqual([
      ['WEBFLOW_API_TOKEN', true],
      ['WEBFLOW_WORKSPACE_API_TOKEN', true],
    ]);
    const text = await readFile(envFile, 'utf8');
    expect(text).toBe(original.replace(site.token, `wfvault://${items[0]!.tokenId}`).replace(ws.token, `wfvault://${items[1]!.tokenId}`));
    expect(text).not.toMatch(HEX64);
    expect((await stat(envFile)).mode & 0o777).toBe(0o640);
    expect(await readdir(project)).toEqual(['.env']);
    await expectScanClean(envFile);
    const afterRun = await cli(['run', '--env-file', envFile, '--', process.execPath, probe]);
    expect(afterRun.code, afterRun.stderr).toBe(0);
    expect(JSON.parse(afterRun.stdout)).toEqual(JSON.parse(beforeRun.stdout));

    const rc = join(tmp.path, '.zshrc');
    const rcText = `# my shell\nalias ll='ls -l'\nexport WEBFLOW_TOKEN=${site.token}\nexport PATH="$HOME/bin:$PATH"\n`;
    await writeFile(rc, rcText);
    const rcResult = await cli(['import', rc, '--rewrite', '--backup']);
    expect(rcResult.code, rcResult.stderr).toBe(0);
    expect(rcResult.stdout).toMatch(/^known/);
    expect(await readFile(rc, 'utf8')).toBe(rcText.replace(site.token, `wfvault://${items[0]!.tokenId}`));
    expect(await readFile(`${rc}.wfvault-backup`, 'utf8')).toBe(rcText);
    expect(rcResult.stderr).toContain('.wfvault-backup');
  }, SLOW);

  it('import --rewrite starts MCP servers through wfvault in Cursor, VS Code, Claude Desktop and Claude Code configs', async () => {
    const t = token();
    secrets.push(t.token);
    const stand = [probe];
    const cursor = `{\n  "mcpServers": {\n    "webflow": {\n      "command": "${process.execPath}",\n      "args": ${JSON.stringify(stand)},\n      "env": {\n        "WEBFLOW_TOKEN": "${t.token}"\n      }\n    },\n    "github": {\n      "command": "docker",\n      "args": ["run", "-i", "ghcr.io/github/github-mcp-server"]\n    }\n  }\n}\n`;
    const vscode = `{\n\t// Webflow via MCP\n\t"inputs": [],\n\t"servers": {\n\t\t"webflow": {\n\t\t\t"type": "stdio",\n\t\t\t"command": "${process.execPath}",\n\t\t\t"args": ${JSON.stringify(stand)},\n\t\t\t"env": { "WEBFLOW_TOKEN": "${t.token}", "LOG": "debug" }\n\t\t}\n\t}\n}\n`;
    const claudeDesktop = JSON.stringify({ mcpServers: { webflow: { command: process.execPath, args: stand, env: { WEBFLOW_TOKEN: t.token } } }, globalShortcut: 'Ctrl+Space' }, null, 2);
    const claudeCode = JSON.stringify(
      {
        numStartups: 12,
        projects: { '/home/me/site': { allowedTools: [], mcpServers: { webflow: { type: 'stdio', command: process.execPath, args: stand, env: { WEBFLOW_TOKEN: t.token } } } } },
        mcpServers: {},
      },
      null,
      2,
    );
    const configs: Array<[string, string, string[]]> = [
      ['.cursor/mcp.json', cursor, ['mcpServers', 'webflow']],
      ['.vscode/mcp.json', vscode, ['servers', 'webflow']],
      ['Claude/claude_desktop_config.json', claudeDesktop, ['mcpServers', 'webflow']],
      ['.claude.json', claudeCode, ['projects', '/home/me/site', 'mcpServers', 'webflow']],
    ];
    const clientEnv: NodeJS.ProcessEnv = { ...process.env, ...sim.env, WFVAULT_DIR: dir };
    const entryOf = (text: string, path: string[]) => path.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>) as unknown as Launch;
    for (const [name, text, path] of configs) {
      const file = join(tmp.path, name);
      await mkdir(join(file, '..'), { recursive: true });
      await writeFile(file, text, { mode: 0o600 });
      const before = await launch(entryOf(text, path), clientEnv);
      const r = await cli(['import', file, '--rewrite']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toContain('wfvault is not on PATH');
      const after = await readFile(file, 'utf8');
      expect(after, name).not.toMatch(HEX64);
      const entry = entryOf(after, path);
      expect(entry.args.slice(-3), name).toEqual(['--', process.execPath, probe]);
      expect(entry.args).toEqual(expect.arrayContaining(['exec', '--as', 'WEBFLOW_TOKEN', '--no-site-id']));
      const started = await launch(entry, clientEnv);
      expect(started.code, `${name}: ${started.stderr}`).toBe(0);
      expect(JSON.parse(started.stdout), name).toEqual(JSON.parse(before.stdout));
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      await expectScanClean(file);
      // Untouched beyond the entry: the other server, comments and other keys stay.
      if (name === '.cursor/mcp.json') expect(after).toContain('"args": ["run", "-i", "ghcr.io/github/github-mcp-server"]');
      if (name === '.vscode/mcp.json') expect(after).toMatch(/\t\/\/ Webflow via MCP\n\t"inputs": \[\],\n\t"servers"/);
      if (name === '.vscode/mcp.json') expect(entry.env).toEqual({ LOG: 'debug' });
      if (name === '.claude.json') expect(JSON.parse(after)).toMatchObject({ numStartups: 12, mcpServers: {} });
      // A second run finds the server already going through the vault and leaves the file alone.
      expect((await cli(['import', file, '--rewrite'])).stderr).toMatch(/No Webflow tokens found/);
      expect(await readFile(file, 'utf8')).toBe(after);
    }
    expect(await listJson()).toHaveLength(1);
  }, SLOW);

  it('import --rewrite makes DevLink\'s .webflowrc.js read WEBFLOW_API_TOKEN, and the advised command gives it the same token', async () => {
    const t = token();
    const project = join(tmp.path, 'devlink');
    await mkdir(project);
    const rc = join(project, '.webflowrc.js');
    const original = `module.exports = {\n  host: "https://api.webflow.com",\n  rootDir: "./devlink",\n  siteId: "site-alpha",\n  authToken: "${t.token}", // from Site settings\n  cssModules: true\n};\n`;
    await writeFile(rc, original);
    // What DevLink reads from its config, hashed.
    const reader = ['-e', `const { createHash } = require('node:crypto'); console.log(JSON.stringify({ authToken: 'sha:' + createHash('sha256').update(require(${JSON.stringify(rc)}).authToken ?? '').digest('hex') }));`];
    const before = await launch({ command: process.execPath, args: reader }, {});
    const r = await cli(['import', rc, '--rewrite', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const [item] = JSON.parse(r.stdout) as Array<{ tokenId: string; rewritten: boolean }>;
    expect(item!.rewritten).toBe(true);
    expect(await readFile(rc, 'utf8')).toBe(original.replace(`"${t.token}"`, 'process.env.WEBFLOW_API_TOKEN'));
    await expectScanClean(rc);
    const human = await cli(['import', rc]);
    expect(human.stderr).toMatch(/No Webflow tokens found/);
    const advised = await cli(['exec', item!.tokenId, '--as', 'WEBFLOW_API_TOKEN', '--', process.execPath, ...reader]);
    expect(advised.code, advised.stderr).toBe(0);
    expect(JSON.parse(advised.stdout)).toEqual(JSON.parse(before.stdout));
  });

  it('refuses to rewrite the Webflow CLI session, leaves files it cannot parse untouched, and says the token is safe when a rewrite fails', async () => {
    const t = token();
    const webflowDir = join(tmp.path, '.config', 'webflow');
    await mkdir(webflowDir, { recursive: true });
    const auth = join(webflowDir, 'auth.json');
    const authText = JSON.stringify({ version: 4, defaultRegion: 'us', session: { accessToken: t.token, scopes: ['sites:read'], createdAt: '2026-11-30T10:00:00.000Z', region: 'us' } });
    await writeFile(auth, authText, { mode: 0o600 });
    const refused = await cli(['import', auth, '--rewrite']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/webflow auth logout/);
    expect(await listJson()).toHaveLength(0);
    const imported = await cli(['import', auth]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toMatch(/webflow auth logout.*wfvault exec/s);
    expect(await readFile(auth, 'utf8')).toBe(authText);

    const broken = join(tmp.path, 'mcp.json');
    const brokenText = `{"mcpServers": {"webflow": {"env": {"WEBFLOW_TOKEN": "${token().token}"}}`;
    await writeFile(broken, brokenText);
    const bad = await cli(['import', broken, '--rewrite']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON \(line 1\).*left untouched/);
    expect(await readFile(broken, 'utf8')).toBe(brokenText);

    // A folder no temp copy can be made in (immutable for root, read-only for anyone else), so
    // the rewrite fails after the import.
    const locked = join(tmp.path, 'locked');
    await mkdir(locked);
    const envFile = join(locked, '.env');
    const other = token();
    const envText = `WEBFLOW_API_TOKEN=${other.token}\n`;
    await writeFile(envFile, envText);
    const asRoot = process.getuid?.() === 0;
    try {
      if (asRoot) execFileSync('chattr', ['+i', locked], { stdio: 'ignore' });
      else await chmod(locked, 0o555);
    } catch {
      return console.warn('skipping the failed-rewrite case: chattr +i is not supported on this file system');
    }
    try {
      const r = await cli(['import', envFile, '--rewrite']);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Could not rewrite .*(permission denied|EPERM|EACCES).*already in the vault \([0-9a-z]{10}\)/s);
      expect(await readFile(envFile, 'utf8')).toBe(envText);
      expect(await readdir(locked)).toEqual(['.env']);
    } finally {
      if (asRoot) execFileSync('chattr', ['-i', locked], { stdio: 'ignore' });
      else await chmod(locked, 0o755);
    }
    expect(await listJson()).toHaveLength(2);
  }, SLOW);

  it('does not write over an edit made to the file while its tokens were being imported', async () => {
    const t = token();
    const envFile = join(tmp.path, '.env');
    const original = `WEBFLOW_API_TOKEN=${t.token}\n`;
    await writeFile(envFile, original);
    const edited = `${original}ADDED_MEANWHILE=1\n`;
    // The edit lands while Webflow (the simulator) is answering the import's test of the token.
    sim.inject({
      kind: 'respond',
      path: '/v2/token/introspect',
      body: () => {
        writeFileSync(envFile, edited);
        return { authorization: { id: t.id, createdOn: '2026-11-01T00:00:00.000Z', lastUsed: null, grantType: 'client_credentials', rateLimit: 60, scope: 'sites:read', authorizedTo: { siteIds: ['site-alpha'], workspaceIds: [], userIds: [] } } };
      },
    });
    const r = await cli(['import', envFile, '--rewrite']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/changed while the tokens were being imported.*already in the vault/s);
    expect(await readFile(envFile, 'utf8')).toBe(edited);
    expect(await listJson()).toHaveLength(1);
  });

  it('removes temp copies a killed rewrite left behind, and keeps a live one', async () => {
    const t = token();
    const project = join(tmp.path, 'p');
    await mkdir(project);
    const envFile = join(project, '.env');
    await writeFile(envFile, `WEBFLOW_API_TOKEN=${t.token}\n`);
    // A pid that is certainly gone: a child that has already exited.
    const gone = await new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['-e', '0']);
      c.on('close', () => resolve(c.pid!));
    });
    await writeFile(join(project, `.env.tmp-${gone}-0a1b2c3d`), 'half written');
    await writeFile(join(project, `.env.tmp-${process.pid}-0a1b2c3e`), 'a live writer');
    const r = await cli(['import', envFile, '--rewrite']);
    expect(r.code).toBe(0);
    expect((await readdir(project)).sort()).toEqual(['.env', `.env.tmp-${process.pid}-0a1b2c3e`]);
  });
});
