// `wfvault exec` and `wfvault run` end to end: the built CLI, a vault in a temp folder on the real
// keychain, and small Node children that report what they received (hashes, never the secrets).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, chmod, chown, mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newTokenRecord } from '../../main/core/records.js';
import { OsKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { CLI, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { assertNoSecret, SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { TEST_SCRYPT_COST } from '../helpers/test-vault.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const SITE = 'a1'.repeat(32);
const WORKSPACE = 'b2'.repeat(32);
const MULTI = 'c3'.repeat(32);
const PENDING = 'd4'.repeat(32);
const REJECTED = 'e5'.repeat(32);
const EXPIRED = 'f6'.repeat(32);
const LOOSE = '0a'.repeat(32);
const SECRETS = [SENTINEL_TOKEN, SITE, WORKSPACE, MULTI, PENDING, REJECTED, EXPIRED, LOOSE];

/**
 * The CLI in a session of its own, as a supervisor or `kill` from elsewhere would meet it: no
 * terminal can have sent its signals to the child as well.
 */
function startDetached(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  let ready: () => void = () => {};
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    if (stdout.includes('ready')) ready();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, started, done };
}

/** A child that prints which of the named variables it got, with token values hashed. */
function probe(...names: string[]): string[] {
  const script = `const {createHash} = require('node:crypto');
const out = {};
for (const n of ${JSON.stringify(names)}) { const v = process.env[n]; out[n] = v === undefined ? null : /^[0-9a-f]{64}$/.test(v) ? 'sha:' + createHash('sha256').update(v).digest('hex') : v; }
console.log(JSON.stringify(out));`;
  return [process.execPath, '-e', script];
}

describeWithKeyring('wfvault exec and run', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let dir: string;

  async function cli(args: string[], opts: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string } = {}): Promise<CliResult> {
    const result = await runCli(args, { input: opts.input, cwd: opts.cwd, env: { WFVAULT_DIR: dir, WEBFLOW_SITE_ID: '', ...opts.env } });
    assertNoSecret(result.stdout, SECRETS);
    assertNoSecret(result.stderr, SECRETS);
    return result;
  }

  beforeAll(async () => {
    tmp = await tempDir();
    dir = join(tmp.path, 'vault');
    const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: async () => 'unused' });
    await vault.init('keychain');
    const now = new Date();
    await vault.update((data) => {
      data.tokens.push({ ...newTokenRecord({ id: 'site1111aa', label: 'Acme site', kind: 'site', secret: SITE }, null, now), siteIds: ['site-alpha'] });
      data.tokens.push({ ...newTokenRecord({ id: 'wksp2222bb', label: 'Acme workspace', kind: 'workspace', secret: WORKSPACE }, null, now), workspaceIds: ['ws-1'] });
      data.tokens.push({ ...newTokenRecord({ id: 'mult3333cc', label: 'Two sites', kind: 'site', secret: MULTI }, null, now), siteIds: ['site-alpha', 'site-beta'] });
      const day = 86_400_000;
      data.tokens.push({ ...newTokenRecord({ id: 'pend4444dd', label: 'Pending', kind: 'site', secret: PENDING }, null, now), revokePendingSince: now.toISOString() });
      const failed = { at: now.toISOString(), ok: false, httpStatus: 401, code: 'not_authorized', message: 'Request not authorized', latencyMs: 5, rateLimit: null, rateLimitRemaining: null };
      data.tokens.push({ ...newTokenRecord({ id: 'rejc5555ee', label: 'Rejected', kind: 'site', secret: REJECTED }, null, now), lastTest: failed });
      data.tokens.push({ ...newTokenRecord({ id: 'expi6666ff', label: 'Expired', kind: 'workspace', secret: EXPIRED }, null, now), expiresAt: new Date(now.getTime() - 3 * day).toISOString() });
    });
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('exec sets WEBFLOW_API_TOKEN and WEBFLOW_TOKEN by default, exactly the --as names otherwise, and --env adds a second token', async () => {
    const names = ['WEBFLOW_API_TOKEN', 'WEBFLOW_TOKEN', 'MY_TOKEN', 'WS_TOKEN', 'WEBFLOW_SITE_ID'];
    const byDefault = await cli(['exec', 'Acme site', '--', ...probe(...names)]);
    expect(byDefault.code).toBe(0);
    expect(JSON.parse(byDefault.stdout)).toEqual({ WEBFLOW_API_TOKEN: `sha:${sha(SITE)}`, WEBFLOW_TOKEN: `sha:${sha(SITE)}`, MY_TOKEN: null, WS_TOKEN: null, WEBFLOW_SITE_ID: 'site-alpha' });

    const renamed = await cli(['exec', 'site1111aa', '--as', 'MY_TOKEN', '--as', 'WEBFLOW_TOKEN', '--', ...probe(...names)]);
    expect(renamed.code).toBe(0);
    expect(JSON.parse(renamed.stdout)).toEqual({ WEBFLOW_API_TOKEN: null, WEBFLOW_TOKEN: `sha:${sha(SITE)}`, MY_TOKEN: `sha:${sha(SITE)}`, WS_TOKEN: null, WEBFLOW_SITE_ID: 'site-alpha' });

    const two = await cli(['exec', 'site', '--as', 'MY_TOKEN', '--env', 'WS_TOKEN=Acme workspace', '--', ...probe(...names)].map((a) => (a === 'site' ? 'site1' : a)));
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({ MY_TOKEN: `sha:${sha(SITE)}`, WS_TOKEN: `sha:${sha(WORKSPACE)}`, WEBFLOW_API_TOKEN: null });
    // The wfvault:// form is accepted in --env as well.
    const asRef = await cli(['exec', 'site1', '--env', 'WS_TOKEN=wfvault://Acme%20workspace', '--', ...probe('WS_TOKEN')]);
    expect(JSON.parse(asRef.stdout)).toEqual({ WS_TOKEN: `sha:${sha(WORKSPACE)}` });

    for (const bad of [['--as', '1BAD'], ['--env', 'NOEQUALS'], ['--env', 'X='], ['--env', 'WEBFLOW_TOKEN=wksp2222bb']]) {
      const refused = await cli(['exec', 'site1', ...bad, '--', ...probe('X')]);
      expect(refused.code, bad.join(' ')).toBe(2);
      expect(refused.stdout).toBe('');
    }
    const unknown = await cli(['exec', 'site1', '--env', 'WS=nothing-like-this', '--', ...probe('WS')]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
  });

  it('exec keeps a WEBFLOW_SITE_ID the user set, warns when the token does not cover it, and --no-site-id leaves it alone', async () => {
    const kept = await cli(['exec', 'Two sites', '--', ...probe('WEBFLOW_SITE_ID')], { env: { WEBFLOW_SITE_ID: 'site-beta' } });
    expect(JSON.parse(kept.stdout)).toEqual({ WEBFLOW_SITE_ID: 'site-beta' });
    expect(kept.stderr).toBe('');

    const warned = await cli(['exec', 'Acme site', '--', ...probe('WEBFLOW_SITE_ID')], { env: { WEBFLOW_SITE_ID: 'site-gamma' } });
    expect(JSON.parse(warned.stdout)).toEqual({ WEBFLOW_SITE_ID: 'site-gamma' });
    expect(warned.stderr).toMatch(/WEBFLOW_SITE_ID=site-gamma is not a site that "Acme site" covers/);

    const multiUnset = await cli(['exec', 'Two sites', '--', ...probe('WEBFLOW_SITE_ID')], { env: { WEBFLOW_SITE_ID: undefined } });
    expect(JSON.parse(multiUnset.stdout)).toEqual({ WEBFLOW_SITE_ID: null });

    const untouchedUnset = await cli(['exec', 'Acme site', '--no-site-id', '--', ...probe('WEBFLOW_SITE_ID')], { env: { WEBFLOW_SITE_ID: undefined } });
    expect(JSON.parse(untouchedUnset.stdout)).toEqual({ WEBFLOW_SITE_ID: null });
    const untouchedSet = await cli(['exec', '--no-site-id', 'Acme site', '--', ...probe('WEBFLOW_SITE_ID')], { env: { WEBFLOW_SITE_ID: 'site-gamma' } });
    expect(JSON.parse(untouchedSet.stdout)).toEqual({ WEBFLOW_SITE_ID: 'site-gamma' });
    expect(untouchedSet.stderr).toBe('');
  });

  it('exec takes its options before or after REF, and an option it does not know is an error', async () => {
    const other = await tempDir();
    try {
      // --vault-dir after REF is used: the empty folder has no vault, so exec refuses (exit 5).
      const afterRef = await cli(['exec', 'Acme site', '--vault-dir', other.path, '--', ...probe('WEBFLOW_TOKEN')]);
      expect(afterRef.code).toBe(5);
      expect(afterRef.stdout).toBe('');
      const beforeRef = await cli(['exec', '--vault-dir', other.path, 'Acme site', '--', ...probe('WEBFLOW_TOKEN')]);
      expect(beforeRef.code).toBe(5);
    } finally {
      await other.cleanup();
    }
    const unknownFlag = await cli(['exec', 'Acme site', '--frobnicate', '--', ...probe('WEBFLOW_TOKEN')]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toContain('--frobnicate');
    // Without `--`, an option meant for the command could be taken by exec: that is refused.
    for (const args of [['exec', 'Acme site', 'echo', 'hi', '--as', 'X'], ['exec', 'Acme site', 'echo', 'hi'], ['run', '--env-file', '/dev/null', 'echo', 'hi']]) {
      const unseparated = await cli(args);
      expect(unseparated.code, args.join(' ')).toBe(2);
      expect(unseparated.stdout).toBe('');
      expect(unseparated.stderr).toContain('Put `--` before the command');
    }
    // Everything after `--` is the child's, even when it looks like one of exec's options.
    const childFlags = await cli(['exec', 'Acme site', '--', 'echo', '--', '--as', 'X']);
    expect(childFlags.stdout.trim()).toBe('-- --as X');
  });

  it('--mask replaces every injected token in stdout and stderr, whole or split across writes, and keeps the exit code', async () => {
    const half = SITE.length / 2;
    const script = `const t = process.env.WEBFLOW_TOKEN, w = process.env.WS;
process.stdout.write('whole ' + t + ' end\\n');
process.stderr.write('err ' + w + '\\n');
process.stdout.write('split ' + t.slice(0, ${half}), () => setTimeout(() => process.stdout.write(t.slice(${half}) + ' done\\n', () => process.exit(7)), 50));`;
    const r = await cli(['exec', 'Acme site', '--env', 'WS=Acme workspace', '--mask', '--', process.execPath, '-e', script]);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe('whole <concealed by wfvault> end\nsplit <concealed by wfvault> done\n');
    expect(r.stderr).toBe('err <concealed by wfvault>\n');
    // Bytes that only look like the start of a token come out once the child is done.
    const partial = await cli(['exec', 'Acme site', '--mask', '--', process.execPath, '-e', `process.stdout.write('x ${SITE.slice(0, 10)}')`]);
    expect(partial.stdout).toBe(`x ${SITE.slice(0, 10)}`);
    // Without --mask the child has the output to itself: the token is printed as it is.
    const plain = await runCli(['exec', 'Acme site', '--', process.execPath, '-e', 'process.stdout.write(String(process.env.WEBFLOW_TOKEN.length))'], { env: { WFVAULT_DIR: dir } });
    expect(plain.stdout).toBe('64');
  });

  it('SIGTERM, SIGINT and SIGQUIT sent to wfvault alone reach the child, with --mask too, and the child decides the exit status', async () => {
    const handler = (sig: string, code: number) => `process.on('${sig}', () => { console.log('got ${sig}'); process.exit(${code}); }); console.log('ready'); setInterval(() => {}, 1000);`;
    for (const [sig, code, extra] of [['SIGTERM', 42, ['--mask']], ['SIGINT', 41, []], ['SIGQUIT', 40, []], ['SIGINT', 39, ['--mask']]] as const) {
      const running = startDetached(['exec', 'Acme site', ...extra, '--', process.execPath, '-e', handler(sig, code)], { WFVAULT_DIR: dir });
      await running.started;
      running.child.kill(sig);
      const r = await running.done;
      expect(r.code, `${sig} ${extra.join(' ')}`).toBe(code);
      expect(r.stdout).toContain(`got ${sig}`);
    }
    const unhandled = startDetached(['exec', 'Acme site', '--mask', '--', process.execPath, '-e', "console.log('ready'); setInterval(() => {}, 1000);"], { WFVAULT_DIR: dir });
    await unhandled.started;
    unhandled.child.kill('SIGTERM');
    expect((await unhandled.done).code).toBe(128 + 15);
  });

  it('a command that does not exist exits 127 and one that is not executable 126, as shells do', async () => {
    const missing = await cli(['exec', 'Acme site', '--', 'no-such-command-wfvault']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('command not found');
    const script = join(tmp.path, 'not-executable.sh');
    await writeFile(script, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const denied = await cli(['exec', 'Acme site', '--', script]);
    expect(denied.code).toBe(126);
    expect(denied.stderr).toContain('permission denied');
  });

  it('run --env-file replaces wfvault:// references by id, prefix and percent-encoded label, and passes plain values through', async () => {
    const envFile = join(tmp.path, 'app.env');
    await writeFile(
      envFile,
      [
        '# written by hand',
        'WEBFLOW_API_TOKEN=wfvault://site1111aa',
        'export WS_TOKEN="wfvault://wksp2"',
        "MULTI='wfvault://Two%20sites'",
        'PLAIN=hello world # a comment',
        'QUOTED="a # b"',
        '',
      ].join('\n'),
    );
    const second = join(tmp.path, 'override.env');
    await writeFile(second, 'PLAIN=from the second file\n');
    const r = await cli(['run', '--env-file', envFile, '--env-file', second, '--', ...probe('WEBFLOW_API_TOKEN', 'WS_TOKEN', 'MULTI', 'PLAIN', 'QUOTED')], { env: { PLAIN: 'from the environment' } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ WEBFLOW_API_TOKEN: `sha:${sha(SITE)}`, WS_TOKEN: `sha:${sha(WORKSPACE)}`, MULTI: `sha:${sha(MULTI)}`, PLAIN: 'from the second file', QUOTED: 'a # b' });
    // The second file has no reference: it is still used, with a note.
    expect(r.stderr).toContain(`note: ${second} holds no wfvault:// reference`);
    expect(r.stderr).not.toContain(`note: ${envFile}`);

    const masked = await cli(['run', '--env-file', envFile, '--mask', '--', process.execPath, '-e', 'console.log(process.env.MULTI, process.env.PLAIN)']);
    expect(masked.stdout).toBe('<concealed by wfvault> hello world\n');
  });

  it('run stops before the command starts when a reference does not resolve, naming the variable and the line', async () => {
    const envFile = join(tmp.path, 'broken.env');
    await writeFile(envFile, 'FIRST=wfvault://site1111aa\n\nSECOND=wfvault://No%20such%20token\n');
    const marker = join(tmp.path, 'child-ran');
    const wouldWrite = [process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`];
    const r = await cli(['run', '--env-file', envFile, '--', ...wouldWrite]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${envFile}:3: SECOND does not resolve`);
    expect(r.stderr).toContain('No token matches "No such token"');
    await expect(access(marker)).rejects.toThrow();

    await writeFile(envFile, 'A=1\nBAD=wfvault://50%zz\n');
    const malformed = await cli(['run', '--env-file', envFile, '--', ...wouldWrite]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain(`${envFile}:2: BAD:`);
    // Node 20 itself looks for every `--env-file` file named on its command line and stops with
    // "not found" (exit 9) before wfvault runs; newer Node leaves the flag to wfvault. Either way the
    // file is named and the command does not start.
    const missing = join(tmp.path, 'nope.env');
    const missingFile = await cli(['run', '--env-file', missing, '--', ...wouldWrite]);
    expect(missingFile.code).not.toBe(0);
    // -f is left to wfvault by every Node: its own sentence, the usage exit code, no child.
    const missingShort = await cli(['run', '-f', missing, '--', ...wouldWrite]);
    expect(missingShort.code).toBe(2);
    expect(missingShort.stderr).toContain(missing);
    expect(missingFile.stderr).toContain(missing);
    expect((await cli(['run', '--', ...wouldWrite])).code).toBe(2);
    await expect(access(marker)).rejects.toThrow();
  });

  it('exec and run warn in one line about a revoke-pending, rejected or expired token and still run it; --strict exits 3 first', async () => {
    const marker = join(tmp.path, 'strict-ran');
    const wouldWrite = [process.execPath, '-e', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`];
    for (const [ref, said] of [['Pending', /"Pending" \(pend4444dd\) is being revoked/], ['Rejected', /Webflow rejected "Rejected" \(rejc5555ee\) at its last test \(.*not_authorized\)/], ['Expired', /"Expired" \(expi6666ff\) has expired/]] as const) {
      const warned = await cli(['exec', ref, '--', process.execPath, '-e', 'process.exit(4)']);
      expect(warned.code, ref).toBe(4);
      expect(warned.stderr).toMatch(said);
      expect(warned.stderr.trim().split('\n')).toHaveLength(1);
      const strict = await cli(['exec', ref, '--strict', '--', ...wouldWrite]);
      expect(strict.code, ref).toBe(3);
      expect(strict.stderr).toMatch(said);
      await expect(access(marker)).rejects.toThrow();
    }
    const envFile = join(tmp.path, 'strict.env');
    await writeFile(envFile, 'A=wfvault://site1111aa\nB=wfvault://rejc5555ee\n');
    const run = await cli(['run', '--env-file', envFile, '--', process.execPath, '-e', 'process.exit(0)']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/Webflow rejected "Rejected"/);
    const strictRun = await cli(['run', '--strict', '--env-file', envFile, '--', ...wouldWrite]);
    expect(strictRun.code).toBe(3);
    await expect(access(marker)).rejects.toThrow();
    // A healthy token says nothing.
    expect((await cli(['exec', 'Acme site', '--strict', '--', process.execPath, '-e', '0'])).stderr).toBe('');
  });

  it('status lists each token group with what needs attention, the references of this folder, and exits 0 only when all is well', async () => {
    const project = join(tmp.path, 'project');
    await mkdir(join(project, '.cursor'), { recursive: true });
    await mkdir(join(project, '.vscode'), { recursive: true });
    await writeFile(join(project, '.env'), 'WEBFLOW_API_TOKEN=wfvault://site1111aa\nOTHER=plain\nGONE=wfvault://No%20such%20token\n');
    const cursor = { mcpServers: { webflow: { command: 'wfvault', args: ['exec', 'wksp2222bb', '--as', 'WEBFLOW_TOKEN', '--', 'npx', '-y', 'webflow-mcp-server@latest'] }, other: { command: 'node', args: ['x.js'] } } };
    await writeFile(join(project, '.cursor', 'mcp.json'), JSON.stringify(cursor, null, 2));
    // VS Code allows comments in its mcp.json.
    await writeFile(join(project, '.vscode', 'mcp.json'), `// servers\n${JSON.stringify({ servers: { webflow: { command: 'npx', args: ['-y', 'webflow-mcp-server'], env: { WEBFLOW_TOKEN: LOOSE } } } })}`);

    const human = await cli(['status'], { cwd: project });
    expect(human.code).toBe(1);
    const text = human.stdout;
    expect(text).toMatch(/Site tokens\n(.*\n)* {2}✓ Acme site \(site1111aa\): not tested yet/);
    expect(text).toMatch(/Workspace tokens\n/);
    expect(text).toContain('✗ Pending (pend4444dd): revoke pending since');
    expect(text).toContain('✗ Rejected (rejc5555ee): Webflow rejected it at its last test');
    expect(text).toContain('✗ Expired (expi6666ff): expired');
    expect(text).toContain('✓ .env:1 WEBFLOW_API_TOKEN uses Acme site (site1111aa)');
    expect(text).toContain('✗ .env:3 GONE: No token matches "No such token"');
    expect(text).toContain('✓ .cursor/mcp.json webflow (REF) uses Acme workspace (wksp2222bb)');
    expect(text).toContain('✗ .vscode/mcp.json webflow (WEBFLOW_TOKEN): plaintext token: move it into the vault with `wfvault import .vscode/mcp.json --rewrite`');
    expect(text).toContain('5 things need attention.');

    const json = await cli(['status', '--json'], { cwd: project });
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { attention: number; tokens: Array<{ id: string; health: string; attention: string | null }>; references: Array<{ file: string; line: number | null; where: string; tokenId: string | null }> };
    expect(report.attention).toBe(5);
    expect(report.tokens.find((t) => t.id === 'pend4444dd')).toMatchObject({ health: 'revoke_pending', attention: expect.any(String) });
    expect(report.references).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: '.env', line: 1, where: 'WEBFLOW_API_TOKEN', tokenId: 'site1111aa' }),
        expect.objectContaining({ file: '.env', line: 3, where: 'GONE', tokenId: null }),
        expect.objectContaining({ file: '.cursor/mcp.json', line: null, where: 'webflow (REF)', tokenId: 'wksp2222bb' }),
      ]),
    );

    // A vault whose tokens are fine, seen from a folder with nothing to fix: exit 0.
    const healthyDir = join(tmp.path, 'healthy');
    const healthy = new Vault({ dir: healthyDir, keychain: new OsKeychain(), getPassphrase: async () => 'unused' });
    await healthy.init('keychain');
    await healthy.update((data) => {
      data.tokens.push({ ...newTokenRecord({ id: 'good7777gg', label: 'Good', kind: 'site', secret: SITE }, null, new Date()), siteIds: ['site-alpha'] });
    });
    const clean = join(tmp.path, 'clean');
    await mkdir(clean);
    await writeFile(join(clean, '.env'), 'WEBFLOW_API_TOKEN=wfvault://Good\n');
    const fine = await cli(['status', '--vault-dir', healthyDir], { cwd: clean });
    expect(fine.code, fine.stdout).toBe(0);
    expect(fine.stdout).toContain('✓ .env:1 WEBFLOW_API_TOKEN uses Good (good7777gg)');
    expect(fine.stdout).toContain('Nothing needs attention.');
  });
});


describeWithKeyring('wfvault exec with a passphrase vault', () => {
  const PASSPHRASE = 'sentinel passphrase 5e171e1 for exec';
  const secrets = [...SECRETS, PASSPHRASE];
  let tmp: { path: string; cleanup: () => Promise<void> };
  let dir: string;
  // The child reports whether the passphrase is anywhere it can look: its own environment,
  // its parent's original environment block, or an inherited descriptor 3.
  const inspector = [
    process.execPath,
    '-e',
    `const fs = require('node:fs');
const p = [...process.env.EXPECT].reverse().join('');
const parent = fs.readFileSync('/proc/' + process.ppid + '/environ', 'utf8');
const fd3 = fs.readdirSync('/proc/self/fd').some((fd) => { try { return fs.readlinkSync('/proc/self/fd/' + fd) === process.env.FD_FILE; } catch { return false; } });
console.log(JSON.stringify({ token: process.env.WEBFLOW_TOKEN?.length ?? 0, inOwnEnv: Object.entries(process.env).some(([k, v]) => k !== 'EXPECT' && v.includes(p)) || 'WFVAULT_PASSPHRASE' in process.env || 'WFVAULT_PASSPHRASE_FILE' in process.env, inParentEnviron: parent.includes(p), parentHasName: parent.includes('WFVAULT_PASSPHRASE='), fd3 }));`,
  ];
  // EXPECT carries the passphrase reversed, so the child can search for it without the passphrase
  // itself being in anyone's environment.
  const expectFragment = [...PASSPHRASE].reverse().join('');
  const clean = { token: 64, inOwnEnv: false, inParentEnviron: false, parentHasName: false, fd3: false };

  function check(r: CliResult): void {
    assertNoSecret(r.stdout, secrets);
    assertNoSecret(r.stderr, secrets);
  }

  beforeAll(async () => {
    tmp = await tempDir();
    dir = join(tmp.path, 'vault');
    // The test-only scrypt cost: these tests are about where the passphrase comes from, not the
    // key derivation, and every CLI run below derives the key again.
    const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: async () => PASSPHRASE, testOnlyScryptCost: TEST_SCRYPT_COST });
    await vault.init('passphrase');
    await vault.update((data) => {
      data.tokens.push(newTokenRecord({ id: 'pass1111aa', label: 'p', kind: 'site', secret: SITE }, null, new Date()));
    });
  });
  afterAll(async () => {
    await tmp.cleanup();
  });

  it('WFVAULT_PASSPHRASE opens the vault, and the child cannot read it in /proc/$PPID/environ', async () => {
    const r = await runCli(['exec', 'p', '--', ...inspector], { env: { WFVAULT_DIR: dir, WFVAULT_PASSPHRASE: PASSPHRASE, EXPECT: expectFragment } });
    check(r);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(clean);
  });

  it('--passphrase-fd reads the passphrase from a descriptor and closes it before the child starts', async () => {
    const passFile = join(tmp.path, 'fd-passphrase');
    await writeFile(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    const handle = await open(passFile, 'r');
    const child = spawn(process.execPath, [CLI, 'exec', '--passphrase-fd', '3', 'p', '--', ...inspector], {
      env: { ...process.env, NO_COLOR: '1', WFVAULT_DIR: dir, EXPECT: expectFragment, FD_FILE: passFile },
      stdio: ['ignore', 'pipe', 'pipe', handle.fd],
    });
    await handle.close();
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    check({ code, signal: null, stdout, stderr });
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout)).toEqual(clean);

    const badFd = await runCli(['exec', 'p', '--passphrase-fd', '97', '--', ...inspector], { env: { WFVAULT_DIR: dir, EXPECT: expectFragment } });
    expect(badFd.code).toBe(2);
    expect(badFd.stderr).toContain('--passphrase-fd 97: no such open file descriptor');
    // Node's own descriptors (its event loop's and internal pipes) are never read or closed.
    if (process.platform === 'linux') {
      for (const fd of ['3', '4', '5', '6', '7', '8']) {
        const own = await runCli(['exec', 'p', '--passphrase-fd', fd, '--', ...inspector], { env: { WFVAULT_DIR: dir, EXPECT: expectFragment }, timeoutMs: 10_000 });
        expect(own.code, `fd ${fd}: ${own.stderr}`).toBe(2);
        expect(own.stderr).toMatch(/not handed to wfvault|no such open file descriptor/);
      }
    }
    expect((await runCli(['exec', 'p', '--passphrase-fd', 'three', '--', 'true'], { env: { WFVAULT_DIR: dir } })).code).toBe(2);
  });

  it('WFVAULT_PASSPHRASE_FILE must be a file of the user that nobody else can read', async () => {
    const file = join(tmp.path, 'passphrase');
    await writeFile(file, `${PASSPHRASE}\n`, { mode: 0o600 });
    const ok = await runCli(['exec', 'p', '--', ...inspector], { env: { WFVAULT_DIR: dir, WFVAULT_PASSPHRASE_FILE: file, EXPECT: expectFragment } });
    check(ok);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual(clean);

    await chmod(file, 0o640);
    const open = await runCli(['list'], { env: { WFVAULT_DIR: dir, WFVAULT_PASSPHRASE_FILE: file } });
    check(open);
    expect(open.code).toBe(5);
    expect(open.stderr).toContain(`chmod 600 ${file}`);

    await chmod(file, 0o600);
    if (process.getuid?.() === 0) {
      await chown(file, 65534, 65534);
      const foreign = await runCli(['list'], { env: { WFVAULT_DIR: dir, WFVAULT_PASSPHRASE_FILE: file } });
      check(foreign);
      expect(foreign.code).toBe(5);
      expect(foreign.stderr).toContain('belongs to another user');
    } else {
      console.warn('skipping the other-owner case: only root can give a file to another user');
    }
    const missing = await runCli(['list'], { env: { WFVAULT_DIR: dir, WFVAULT_PASSPHRASE_FILE: join(tmp.path, 'none') } });
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('no such file');
  });
});

