// The `wfvault` command end to end: the built CLI, a vault in a temp folder, the real keychain,
// and the Webflow simulator (a fake Webflow on loopback).
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { newTokenRecord } from '../../main/core/records.js';
import { MemoryKeychain, OsKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { NOT_ROOT, runCli, startCli, tempDir, type CliResult } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { itAsOtherUser } from '../helpers/it-as-user.js';
import { assertNoSecret, SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';
import { TEST_SCRYPT_COST } from '../helpers/test-vault.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describeWithKeyring('wfvault CLI', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };
  let dir: string;
  let secrets: string[];
  let n = 0;

  const env = () => ({ ...sim.env, WFVAULT_DIR: dir, WFVAULT_MAX_RETRY_WAIT_MS: '1500' });
  async function cli(args: string[], input?: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const result = await runCli(args, { input, env: { ...env(), ...extraEnv } });
    // No command but `reveal` may print a secret, and none ever to stderr.
    assertNoSecret(result.stderr, secrets);
    if (args[0] !== 'reveal') assertNoSecret(result.stdout, secrets);
    return result;
  }
  function siteToken(init: Parameters<Simulator['addToken']>[0] = {}) {
    const t = sim.addToken({ kind: 'site', scopes: ['sites:read', 'cms:read'], siteIds: ['site-alpha'], ...init });
    secrets.push(t.token);
    return t;
  }
  async function add(label: string, token: string, extra: string[] = []) {
    const r = await cli(['add', '--label', label, ...extra], `${token}\n`);
    expect(r.stderr).toContain('Stored');
    expect(r.code).toBe(0);
    return r;
  }
  async function listJson(all = false): Promise<Array<Record<string, unknown>>> {
    const r = await cli(['list', '--json', ...(all ? ['--all'] : [])]);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as Array<Record<string, unknown>>;
  }

  beforeAll(async () => {
    sim = await startSimulator();
    sim.addSite({ id: 'site-alpha', displayName: 'Alpha Co', shortName: 'alpha-co' });
    sim.addSite({ id: 'site-beta', displayName: 'Beta Co', shortName: 'beta-co' });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async (ctx) => {
    tmp = await tempDir();
    dir = join(tmp.path, `vault-${n++}`);
    secrets = [SENTINEL_TOKEN];
    sim.clearFaults();
    ctx.onTestFinished(() => tmp.cleanup());
  });

  it('prints help and version, and exits 2 on usage errors', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('exec');
    expect(help.stdout).toContain('Exit codes');
    expect((await cli(['--version'])).code).toBe(0);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/i);
    expect((await cli(['list', '--no-such-flag'])).code).toBe(2);
    expect((await cli(['show'])).code).toBe(2);
    expect((await cli([])).code).toBe(2);
    expect((await cli(['test', '--concurrency', 'abc'])).code).toBe(2);
    const badKind = await cli(['add', '--label', 'x', '--kind', 'personal'], 'abc\n');
    expect(badKind.code).toBe(2);
  });

  it('refuses to work on a folder without a vault, naming `wfvault init` (exit 5)', async () => {
    const r = await cli(['list']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('wfvault init');
  });

  it('creates the vault once, in a folder of mode 0700 with a file of mode 0600', async () => {
    const first = await cli(['init']);
    expect(first.code).toBe(0);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'vault.wfv'))).mode & 0o777).toBe(0o600);
    const again = await cli(['init']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already/i);
  });

  it('adds a token read from stdin, with the scopes and sites Webflow reports and no secret in the record', async () => {
    await cli(['init']);
    const t = siteToken({ scopes: ['sites:read', 'cms:read', 'authorized_user:read'] });
    await add('Alpha site', t.token);
    const [record] = await listJson();
    expect(record).toMatchObject({ label: 'Alpha site', kind: 'site', siteIds: ['site-alpha'] });
    expect(record!.scopes).toEqual(['authorized_user:read', 'cms:read', 'sites:read']);
    expect(record!.sites).toEqual([expect.objectContaining({ id: 'site-alpha', shortName: 'alpha-co' })]);
    expect(record!.expiresAt).toEqual(expect.any(String));
    expect(record).not.toHaveProperty('secret');
    const shown = await cli(['show', 'Alpha site', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: record!.id, authorizedUser: expect.objectContaining({ email: expect.any(String) }) });
  });

  it('accepts CRLF and refuses empty, spaced, control-character and oversized secrets', async () => {
    await cli(['init']);
    const t = siteToken();
    expect((await cli(['add', '--label', 'crlf'], `${t.token}\r\n`)).code).toBe(0);
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['empty', '', /empty/],
      ['spaces', 'abc def\n', /whitespace/],
      ['control', 'abc\u0007def\n', /control character/],
      ['two lines', 'abc\ndef\n', /control character|whitespace/],
    ];
    for (const [label, input, message] of cases) {
      const r = await cli(['add', '--label', label], input as string);
      expect(r.code, label).toBe(1);
      expect(r.stderr, label).toMatch(message);
    }
    const huge = await runCli(['add', '--label', 'huge'], { input: Buffer.alloc(1024 * 1024, 'a'), env: env() });
    expect(huge.code).toBe(1);
    expect(huge.stderr).toMatch(/longer than 4096 bytes/);
    expect(await listJson()).toHaveLength(1);
  });

  it('refuses a duplicate secret naming the stored id, and a token Webflow rejects (exit 3, nothing stored)', async () => {
    await cli(['init']);
    const t = siteToken();
    await add('first', t.token);
    const [record] = await listJson();
    const dup = await cli(['add', '--label', 'second'], `${t.token}\n`);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain(String(record!.id));
    const bogus = 'ab'.repeat(32);
    secrets.push(bogus);
    const rejected = await cli(['add', '--label', 'bogus'], `${bogus}\n`);
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).toMatch(/rejected|not_authorized/i);
    const offline = await cli(['add', '--label', 'bogus', '--offline'], `${bogus}\n`);
    expect(offline.code).toBe(0);
    expect((await listJson()).map((r) => r.label)).toEqual(['first', 'bogus']);
  });

  it('resolves REF by label, id and prefix; unknown and ambiguous refs exit 2 and list the candidates', async () => {
    const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: async () => 'unused' });
    await vault.init('keychain');
    const now = new Date();
    await vault.update((data) => {
      data.tokens.push(newTokenRecord({ id: 'abcd1111xy', label: 'one', kind: 'site', secret: 'a1'.repeat(32) }, null, now));
      data.tokens.push(newTokenRecord({ id: 'abcd2222xy', label: 'two', kind: 'site', secret: 'b2'.repeat(32) }, null, now));
    });
    secrets.push('a1'.repeat(32), 'b2'.repeat(32));
    expect(JSON.parse((await cli(['show', 'one', '--json'])).stdout).id).toBe('abcd1111xy');
    expect(JSON.parse((await cli(['show', 'abcd2222xy', '--json'])).stdout).label).toBe('two');
    expect(JSON.parse((await cli(['show', 'abcd2', '--json'])).stdout).label).toBe('two');
    const ambiguous = await cli(['show', 'abcd']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('abcd1111xy (one)');
    expect(ambiguous.stderr).toContain('abcd2222xy (two)');
    const unknown = await cli(['show', 'zzzz']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('wfvault list');
    expect((await cli(['show', 'abc'])).stderr).toContain('at least 4 characters');
    // A token pasted where a REF belongs is not echoed back.
    const pasted = 'c3'.repeat(32);
    secrets.push(pasted);
    const mistaken = await cli(['show', pasted]);
    expect(mistaken.code).toBe(2);
    expect(mistaken.stderr).toMatch(/looks like a token/);
  });

  it('tests tokens: 0 when valid, 3 once revoked at Webflow, 4 when rate-limited, 6 when unreachable', async () => {
    await cli(['init']);
    const a = siteToken();
    const b = siteToken({ siteIds: ['site-beta'] });
    await add('a', a.token);
    await add('b', b.token);
    const ok = await cli(['test', '--json']);
    expect(ok.code).toBe(0);
    const results = JSON.parse(ok.stdout) as Array<{ label: string; ok: boolean; httpStatus: number }>;
    expect(results.map((r) => [r.label, r.ok, r.httpStatus]).sort()).toEqual([
      ['a', true, 200],
      ['b', true, 200],
    ]);

    sim.inject({ path: '/v2/token/introspect', kind: 'status429', retryAfter: 1, count: 10 });
    const limited = await cli(['test', 'a']);
    expect(limited.code).toBe(4);
    sim.clearFaults();

    sim.revokeToken(a.token);
    const mixed = await cli(['test', '--all', '--json']);
    expect(mixed.code).toBe(3);
    const byLabel = Object.fromEntries((JSON.parse(mixed.stdout) as Array<{ label: string; code: string | null; ok: boolean }>).map((r) => [r.label, r]));
    expect(byLabel.a).toMatchObject({ ok: false, code: 'not_authorized' });
    expect(byLabel.b).toMatchObject({ ok: true });
    const [stored] = await listJson();
    expect(stored!.lastTest).toMatchObject({ ok: false, httpStatus: 401, code: 'not_authorized' });

    const down = await cli(['test', 'b'], undefined, { WEBFLOW_API_BASE_URL: 'http://127.0.0.1:9' });
    expect(down.code).toBe(6);
  });

  it('exec injects the token and the single site id, passes the exit code and signals, and records the use', async () => {
    await cli(['init']);
    const t = siteToken();
    await add('site', t.token);
    const script = [
      "const {createHash} = require('node:crypto');",
      "const {readFileSync} = require('node:fs');",
      "const parentArgv = readFileSync('/proc/' + process.ppid + '/cmdline', 'utf8');",
      'console.log(JSON.stringify({',
      "  hash: createHash('sha256').update(process.env.WEBFLOW_API_TOKEN || '').digest('hex'),",
      '  site: process.env.WEBFLOW_SITE_ID,',
      '  tokenInParentArgv: parentArgv.includes(process.env.WEBFLOW_API_TOKEN),',
      '  tokenInOwnArgv: process.argv.join(" ").includes(process.env.WEBFLOW_API_TOKEN),',
      '}));',
      'process.exit(7);',
    ].join('\n');
    const r = await cli(['exec', 'site', '--', process.execPath, '-e', script]);
    expect(r.code).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual({ hash: sha(t.token), site: 'site-alpha', tokenInParentArgv: false, tokenInOwnArgv: false });
    const [record] = await listJson();
    expect(record!.lastLocalUseAt).toEqual(expect.any(String));

    const killed = await cli(['exec', 'site', '--', process.execPath, '-e', "process.kill(process.pid, 'SIGTERM')"]);
    expect(killed.code).toBe(128 + 15);
    const missing = await cli(['exec', 'site', '--', 'no-such-command-wfvault']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toMatch(/command not found/);
    expect((await cli(['exec', 'site'])).code).toBe(2);

    // A signal sent to wfvault alone reaches the child, and the child's answer is the exit code.
    const waiting = startCli(['exec', 'site', '--', process.execPath, '-e', "process.on('SIGTERM', () => { console.log('got TERM'); process.exit(42); }); console.log('ready'); setInterval(() => {}, 1000);"], { env: env() });
    expect(await waiting.firstLine).toBe('ready');
    waiting.child.kill('SIGTERM');
    const relayed = await waiting.done;
    expect(relayed.code).toBe(42);
    expect(relayed.stdout).toContain('got TERM');
  });

  it('reveal prints exactly the secret; remove forgets it and warns that it still works', async () => {
    await cli(['init']);
    const t = siteToken();
    await add('site', t.token);
    const revealed = await cli(['reveal', 'site']);
    expect(revealed.code).toBe(0);
    expect(sha(revealed.stdout.trim())).toBe(sha(t.token));
    const removed = await cli(['remove', 'site']);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toMatch(/still works at Webflow/);
    expect(await listJson()).toEqual([]);
  });

  it('revokes a Site token in two steps: pending with dashboard directions, then confirmed once Webflow rejects it', async () => {
    await cli(['init']);
    const t = siteToken();
    await add('site', t.token);
    const pending = await cli(['revoke', 'site']);
    expect(pending.code).toBe(0);
    expect(pending.stderr).toContain('Apps & integrations → API access');
    expect(pending.stderr).toContain('/dashboard/sites/alpha-co/');
    expect((await listJson())[0]!.revokePendingSince).toEqual(expect.any(String));

    const early = await cli(['revoke', '--confirm', 'site']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/still accepts/);
    expect(await listJson()).toHaveLength(1);

    sim.revokeToken(t.token);
    const confirmed = await cli(['revoke', '--confirm', 'site']);
    expect(confirmed.code).toBe(0);
    expect(await listJson()).toEqual([]);
    const all = await listJson(true);
    expect(all).toEqual([expect.objectContaining({ label: 'site', kind: 'site', revokedAt: expect.any(String) })]);
    expect(Object.keys(all[0]!).sort()).toEqual(['id', 'kind', 'label', 'revokedAt']);
    expect((await cli(['show', 'site', '--json'])).code).toBe(0);
    expect((await cli(['reveal', 'site'])).code).toBe(1);

    // The label can be given to the replacement; REFs then find the live token, not the tombstone.
    const replacement = siteToken();
    await add('site', replacement.token);
    expect(JSON.parse((await cli(['show', 'site', '--json'])).stdout)).toMatchObject({ label: 'site', lastTest: expect.objectContaining({ ok: true }) });
    expect(sha((await cli(['reveal', 'site'])).stdout.trim())).toBe(sha(replacement.token));
  });

  it('scan reports file:line of plaintext tokens, says which are in the vault, and skips node_modules, .git and big files', async () => {
    await cli(['init']);
    const stored = siteToken();
    await add('stored', stored.token);
    const loose = 'cd'.repeat(32);
    secrets.push(loose);
    const project = join(tmp.path, 'project');
    await mkdir(join(project, 'node_modules', 'pkg'), { recursive: true });
    await mkdir(join(project, '.git'), { recursive: true });
    await writeFile(join(project, '.env'), `# config\nWEBFLOW_API_TOKEN=${stored.token}\nOTHER=1\n`);
    await writeFile(join(project, '.env.local'), `export WEBFLOW_SITE_TOKEN="${loose}"\n`);
    await writeFile(join(project, 'mcp.json'), JSON.stringify({ mcpServers: { webflow: { env: { WEBFLOW_TOKEN: loose } } } }, null, 2));
    await writeFile(join(project, 'hashes.json'), JSON.stringify({ sha256: 'ef'.repeat(32) }));
    await writeFile(join(project, 'node_modules', 'pkg', '.env'), `WEBFLOW_API_TOKEN=${loose}\n`);
    await writeFile(join(project, '.git', 'config.json'), `{"webflow": "${loose}"}\n`);
    await writeFile(join(project, 'big.json'), `{"webflow": "${loose}", "pad": "${'x'.repeat(1024 * 1024)}"}`);

    const r = await cli(['scan', project, '--json']);
    expect(r.code).toBe(1);
    const findings = (JSON.parse(r.stdout) as Array<{ path: string; line: number; inVault: boolean }>).map((f) => [f.path.slice(project.length + 1), f.line, f.inVault]);
    expect(findings).toEqual([
      ['.env', 2, true],
      ['.env.local', 1, false],
      ['mcp.json', 5, false],
    ]);
    const human = await cli(['scan', project]);
    expect(human.stdout).toContain(`${join(project, '.env')}:2`);

    const clean = join(tmp.path, 'clean');
    await mkdir(clean);
    await writeFile(join(clean, '.env'), 'PORT=3000\n');
    expect((await cli(['scan', clean])).code).toBe(0);
    expect((await cli(['scan', join(tmp.path, 'nope')])).code).toBe(2);
  });

  it('import-env (import\'s old name) moves WEBFLOW tokens into the vault and --rewrite leaves a wfvault:// reference', async () => {
    await cli(['init']);
    const a = siteToken();
    const b = siteToken({ siteIds: ['site-beta'] });
    const envFile = join(tmp.path, '.env');
    await writeFile(envFile, `PORT=3000\nWEBFLOW_API_TOKEN=${a.token}\nMY_TOKEN='${b.token}'\n`, { mode: 0o640 });
    const first = await cli(['import-env', envFile, '--rewrite', '--json']);
    expect(first.code).toBe(0);
    const [imported] = JSON.parse(first.stdout) as Array<{ name: string; state: string; tokenId: string }>;
    expect(imported).toMatchObject({ name: 'WEBFLOW_API_TOKEN', state: 'imported' });
    const text = await readFile(envFile, 'utf8');
    expect(text).toBe(`PORT=3000\nWEBFLOW_API_TOKEN=wfvault://${imported!.tokenId}\nMY_TOKEN='${b.token}'\n`);
    expect((await stat(envFile)).mode & 0o777).toBe(0o640);

    const byVar = await cli(['import-env', envFile, '--var', 'MY_TOKEN']);
    expect(byVar.code).toBe(0);
    expect(byVar.stderr).toMatch(/still in .* in plaintext/);
    expect((await listJson()).map((r) => r.label).sort()).toEqual(['MY_TOKEN', 'WEBFLOW_API_TOKEN']);
    expect((await cli(['import-env', envFile, '--var', 'NOPE'])).code).toBe(2);
    const missing = await cli(['import-env', join(tmp.path, 'no-such.env')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
  });

  it('doctor reports a healthy vault, explains a tampered one (exit 5) and restores the backup', async () => {
    await cli(['init']);
    const t = siteToken();
    await add('one', t.token);
    await add('two', siteToken().token);
    const healthy = await cli(['doctor']);
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toMatch(/keychain/i);

    const file = join(dir, 'vault.wfv');
    const bytes = await readFile(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x40;
    await writeFile(file, bytes);
    const list = await cli(['list']);
    expect(list.code).toBe(5);
    expect(list.stderr).toMatch(/tamper|corrupt|changed/i);
    const sick = await cli(['doctor']);
    expect(sick.code).toBe(5);
    expect(sick.stderr).toContain('--restore-backup');
    expect(await readFile(file)).toEqual(bytes);

    expect((await cli(['doctor', '--restore-backup'])).code).toBe(0);
    expect((await listJson()).map((r) => r.label)).toEqual(['one']);
  });

  it('refuses a label or an app name that is already taken alike: exit 1, code name_taken', async () => {
    await cli(['init']);
    await add('taken', siteToken().token);
    const label = await cli(['add', '--label', 'taken', '--json'], `${siteToken().token}\n`);
    const app = ['app', 'add', '--name', 'mine', '--client-id', 'cid', '--redirect-uri', 'http://127.0.0.1:8976/callback', '--json'];
    expect((await cli(app, 'client-secret-one\n')).code).toBe(0);
    const name = await cli(app, 'client-secret-two\n');
    for (const r of [label, name]) {
      expect(r.code).toBe(1);
      expect((JSON.parse(r.stderr) as { error: { code: string } }).error.code).toBe('name_taken');
    }
    expect(JSON.parse(label.stderr).error.message).toContain('"taken" is already used');
    expect(JSON.parse(name.stderr).error.message).toContain('"mine" already exists');
  });

  it('reports usage errors on a passphrase vault before the passphrase is read (exit 2)', async () => {
    await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase: async () => 'correct horse battery staple', testOnlyScryptCost: TEST_SCRYPT_COST }).init('passphrase');
    // A passphrase file that is not there fails (exit 5, naming it) the moment anything reads it.
    const noPassphrase = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', WFVAULT_PASSPHRASE_FILE: join(tmp.path, 'absent-passphrase') };
    const read = await cli(['list'], undefined, noPassphrase);
    expect(read.code).toBe(5);
    expect(read.stderr).toContain('WFVAULT_PASSPHRASE_FILE');
    const usage = [
      ['list', '--no-such-flag'],
      ['show'],
      ['test', '--concurrency', 'abc'],
      ['add', '--kind', 'personal'],
      ['edit', 'x', '--tag', ''],
      ['login', '--app', 'mine', '--label', 'two\tlines'],
      ['login', '--app', 'mine', '--label', ' '],
    ];
    for (const args of usage) {
      const r = await cli(args, '', noPassphrase);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).not.toContain('WFVAULT_PASSPHRASE_FILE');
    }
  });

  it('refuses an empty or blank REF at once, before the vault or the keychain is touched (exit 2)', async () => {
    // Either would fail (exit 5) the moment a command opens the vault: a passphrase vault whose
    // passphrase file is absent, and a folder that holds no vault, with no keychain reachable.
    await new Vault({ dir, keychain: new MemoryKeychain(), getPassphrase: async () => 'correct horse battery staple', testOnlyScryptCost: TEST_SCRYPT_COST }).init('passphrase');
    const closed = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', WFVAULT_KEYCHAIN_TIMEOUT_MS: '2000', WFVAULT_PASSPHRASE_FILE: join(tmp.path, 'absent-passphrase') };
    const vaults = [{ WFVAULT_DIR: dir }, { WFVAULT_DIR: join(tmp.path, 'no-vault-here') }];
    for (const ref of ['', '  ']) {
      const commands = [
        ['show', ref],
        ['show', ref, '--team', 'ops'],
        ['revoke', ref],
        ['revoke', '--confirm', ref],
        ['exec', ref, '--', process.execPath, '-e', 'process.exit(9)'],
        ['exec', 'one', '--env', `OTHER=${ref}`, '--', process.execPath, '-e', 'process.exit(9)'],
        ['test', 'one', ref],
        ['edit', ref, '--note', 'n'],
        ['remove', ref],
        ['reveal', ref],
        ['move', ref, '--team', 'ops'],
        ['team', 'rotate', ref, '--team', 'ops'],
      ];
      for (const [i, vault] of vaults.entries()) {
        for (const args of i === 0 ? commands : commands.filter((c) => ['show', 'exec', 'revoke'].includes(c[0]!))) {
          const r = await cli(args, '', { ...closed, ...vault });
          const said = ref === '' ? 'empty' : 'only whitespace';
          expect({ args, code: r.code }).toEqual({ args, code: 2 });
          expect(r.stderr).toContain(`REF is ${said}`);
          expect(r.stderr).toContain('at least 4 characters');
          expect(r.stderr).not.toMatch(/WFVAULT_PASSPHRASE_FILE|wfvault init|keychain/i);
          expect(r.stdout).toBe('');
        }
        // team resolve takes an exact id, not a REF: a blank one is refused just as early.
        const resolve = await cli(['team', 'resolve', ref, '--team', 'ops', '--keep', 'mine'], '', { ...closed, ...vault });
        expect(resolve.code).toBe(2);
        expect(resolve.stderr).toContain(`ID is ${ref === '' ? 'empty' : 'only whitespace'}: give the exact token id`);
        expect(resolve.stderr).not.toMatch(/WFVAULT_PASSPHRASE_FILE|wfvault init|keychain/i);
        const json = await cli(['show', ref, '--json'], '', { ...closed, ...vault });
        expect(json.code).toBe(2);
        const error = (JSON.parse(json.stderr) as { error: { code: string; message: string } }).error;
        expect(error.code).toBe('usage');
        expect(error.message).toMatch(/^REF is (empty|only whitespace): /);
      }
    }
  });

  it('works in passphrase mode with no keychain at all, and asks for --passphrase when neither is there', async () => {
    const noKeychain = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', WFVAULT_KEYCHAIN_TIMEOUT_MS: '2000' };
    const refused = await cli(['init'], undefined, noKeychain);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toContain('--passphrase');

    const pass = { ...noKeychain, WFVAULT_PASSPHRASE: 'correct horse battery staple' };
    expect((await cli(['init', '--passphrase'], undefined, pass)).code).toBe(0);
    const t = siteToken();
    expect((await cli(['add', '--label', 'p'], `${t.token}\n`, pass)).code).toBe(0);
    expect((await cli(['list'], undefined, pass)).stdout).toContain('p');
    // The passphrase opens every token: the command exec runs must not inherit it.
    const child = await cli(['exec', 'p', '--', process.execPath, '-e', 'process.exit(process.env.WFVAULT_PASSPHRASE === undefined ? 0 : 9)'], undefined, pass);
    expect(child.code).toBe(0);
    const wrong = await cli(['list'], undefined, { ...noKeychain, WFVAULT_PASSPHRASE: 'wrong passphrase' });
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toMatch(/passphrase/i);
    const none = await cli(['list'], undefined, noKeychain);
    expect(none.code).toBe(5);
    expect(none.stderr).toContain('WFVAULT_PASSPHRASE');
  });

  it('manages OAuth app profiles without ever printing the client secret', async () => {
    await cli(['init']);
    const clientSecret = 'sentinel-like-client-secret-0123456789';
    secrets.push(clientSecret);
    const bad = await cli(['app', 'add', '--name', 'x', '--client-id', 'cid', '--redirect-uri', 'https://example.com/callback'], `${clientSecret}\n`);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/loopback/);
    const noPort = await cli(['app', 'add', '--name', 'x', '--client-id', 'cid', '--redirect-uri', 'http://localhost/callback'], `${clientSecret}\n`);
    expect(noPort.code).toBe(2);
    expect((await cli(['app', 'add', '--name', 'x', '--client-id', 'cid', '--redirect-uri', 'http://localhost:8976/callback'], '')).code).toBe(1);
    const ok = await cli(['app', 'add', '--name', 'agency', '--client-id', 'cid', '--redirect-uri', 'http://localhost:8976/callback', '--scopes', 'sites:read,cms:read'], `${clientSecret}\n`);
    expect(ok.code).toBe(0);
    expect((await cli(['app', 'add', '--name', 'agency', '--client-id', 'cid2', '--redirect-uri', 'http://127.0.0.1:8977/cb'], `${clientSecret}\n`)).code).toBe(1);
    const listed = JSON.parse((await cli(['app', 'list', '--json'])).stdout) as Array<Record<string, unknown>>;
    expect(listed).toEqual([expect.objectContaining({ name: 'agency', clientId: 'cid', redirectUri: 'http://localhost:8976/callback', scopes: ['cms:read', 'sites:read'] })]);
    expect(listed[0]).not.toHaveProperty('clientSecret');
    expect((await cli(['app', 'show', 'agency'])).stdout).toContain('cid');
    expect(Object.keys(JSON.parse((await cli(['app', 'show', 'agency', '--json'])).stdout)).sort()).toEqual(['addedAt', 'clientId', 'id', 'name', 'redirectUri', 'scopes']);
    expect((await cli(['app', 'show', 'nope'])).code).toBe(2);
    expect((await cli(['login', '--app', 'nope'])).code).toBe(2);
    expect((await cli(['app', 'remove', 'agency'])).code).toBe(0);
    expect(JSON.parse((await cli(['app', 'list', '--json'])).stdout)).toEqual([]);
  });

  itAsOtherUser('reports a folder it cannot write to clearly and leaves nothing behind', async () => {
    const locked = join(tmp.path, 'locked');
    await chmod(tmp.path, 0o755);
    await mkdir(locked, { mode: 0o755 });
    await chmod(locked, 0o555);
    const r = await runCli(['init', '--passphrase'], {
      env: { ...env(), WFVAULT_DIR: join(locked, 'vault'), WFVAULT_PASSPHRASE: 'correct horse battery staple', HOME: tmp.path },
      user: NOT_ROOT,
    });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/permission|cannot write|not writable/i);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  itAsOtherUser('scan skips a folder it may not read, says so, and still reports the rest', async () => {
    await chmod(tmp.path, 0o755);
    const project = join(tmp.path, 'project');
    await mkdir(join(project, 'private'), { recursive: true, mode: 0o755 });
    const loose = 'e7'.repeat(32);
    secrets.push(loose);
    await writeFile(join(project, '.env'), `WEBFLOW_API_TOKEN=${loose}\n`, { mode: 0o644 });
    await writeFile(join(project, 'private', '.env'), `WEBFLOW_API_TOKEN=${loose}\n`);
    await chmod(join(project, 'private'), 0o000);
    try {
      const r = await runCli(['scan', project, '--json'], { env: { ...env(), WFVAULT_DIR: join(tmp.path, 'no-vault'), HOME: tmp.path }, user: NOT_ROOT });
      assertNoSecret(r.stdout + r.stderr, secrets);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`skipped ${join(project, 'private')}: permission denied`);
      expect((JSON.parse(r.stdout) as Array<{ path: string }>).map((f) => f.path)).toEqual([join(project, '.env')]);
    } finally {
      await chmod(join(project, 'private'), 0o755);
    }
  });
});
