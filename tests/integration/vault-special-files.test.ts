// Whatever sits at the vault's names, every command ends promptly with a sentence that names the
// file: a named pipe (which would block a read for ever), a link to /dev/zero (which would fill
// memory without end), a device, a folder, and sparse files of gigabytes (which used to abort Node
// or raise a raw range error). Memory stays small, measured by /usr/bin/time where it exists.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CLI, runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';

const TIME = '/usr/bin/time';
const canMeasure = existsSync(TIME) && spawnSync(TIME, ['-f', '%M', 'true']).status === 0;
if (!canMeasure) console.warn('vault-special-files: memory not measured, /usr/bin/time is not installed (apt-get install time)');
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('vault-special-files: the device case is skipped, mknod needs root');
const MAX_RSS_KB = 200 * 1024;

describeWithKeyring('special and huge files at the vault\'s names', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let dir: string;
  let good: Buffer;
  let goodBackup: Buffer;
  const env = () => ({ WFVAULT_DIR: dir, WEBFLOW_API_BASE_URL: 'http://127.0.0.1:9', WFVAULT_HTTP_TIMEOUT_MS: '500' });

  beforeAll(async () => {
    tmp = await tempDir('wfvault-special-');
    dir = path.join(tmp.path, 'vault');
    expect((await runCli(['init'], { env: env() })).code).toBe(0);
    for (const label of ['one', 'two']) {
      expect((await runCli(['add', '--offline', '--label', label], { env: env(), input: `${'ab'.repeat(32)}${label}\n` })).code).toBe(0);
    }
    good = await readFile(path.join(dir, 'vault.wfv'));
    goodBackup = await readFile(path.join(dir, 'vault.wfv.bak'));
  });

  afterAll(async () => {
    await tmp?.cleanup();
  });

  async function restore(): Promise<void> {
    for (const name of ['vault.wfv', 'vault.wfv.bak']) await rm(path.join(dir, name), { recursive: true, force: true });
    await writeFile(path.join(dir, 'vault.wfv'), good, { mode: 0o600 });
    await writeFile(path.join(dir, 'vault.wfv.bak'), goodBackup, { mode: 0o600 });
  }

  /** The CLI, killed after 20 s (a read blocked on a pipe never ends; a busy machine is merely slow); with its peak memory where /usr/bin/time can tell. */
  async function cli(args: string[], input = ''): Promise<CliResult & { maxRssKb: number | null }> {
    const report = path.join(tmp.path, 'time.txt');
    await rm(report, { force: true });
    const r = canMeasure
      ? await runCli(args, { env: env(), input, timeoutMs: 20_000, via: [TIME, '-o', report, '-f', '%M', process.execPath, CLI] })
      : await runCli(args, { env: env(), input, timeoutMs: 20_000 });
    const maxRssKb = canMeasure ? Number((await readFile(report, 'utf8').catch(() => '')).trim().split('\n').at(-1)) || null : null;
    return { ...r, maxRssKb };
  }

  async function expectPromptFailure(args: string[], file: string, what: RegExp, input = ''): Promise<void> {
    const r = await cli(args, input);
    const label = { args, file, signal: r.signal, code: r.code, stderr: r.stderr };
    // Ended on its own, within the 5 s (a kill would show as a signal), with a sentence.
    expect(label).toMatchObject({ signal: null, code: 5 });
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(what);
    expect(r.stderr).not.toMatch(/\n\s+at /u); // no stack trace
    if (r.maxRssKb !== null) expect({ args, file, maxRssKb: r.maxRssKb }).toEqual({ args, file, maxRssKb: expect.toSatisfy((kb: number) => kb < MAX_RSS_KB) });
  }

  const specials: Array<{ kind: string; make: (file: string) => Promise<void>; what: RegExp; when?: boolean; blocksSave?: boolean }> = [
    { kind: 'a named pipe', make: async (f) => void spawnSync('mkfifo', [f]), what: /named pipe/u },
    { kind: 'a link to /dev/zero', make: (f) => symlink('/dev/zero', f), what: /symbolic link/u },
    { kind: 'a link to /dev/full', make: (f) => symlink('/dev/full', f), what: /symbolic link/u, when: existsSync('/dev/full') },
    { kind: 'a device', make: async (f) => void spawnSync('mknod', [f, 'c', '1', '5']), what: /a device/u, when: isRoot },
    { kind: 'a folder', make: (f) => mkdir(f), what: /a folder/u, blocksSave: true },
  ];

  for (const s of specials) {
    it.runIf(s.when ?? true)(`${s.kind} at vault.wfv: list, show, add, reveal and doctor each say so and exit 5`, async () => {
      await restore();
      const file = path.join(dir, 'vault.wfv');
      await rm(file);
      await s.make(file);
      for (const args of [['list'], ['show', 'one'], ['reveal', 'one'], ['doctor']]) await expectPromptFailure(args, file, s.what);
      await expectPromptFailure(['add', '--offline', '--label', 'three'], file, s.what, `${'cd'.repeat(32)}\n`);
    }, 60_000);

    it.runIf(s.when ?? true)(`${s.kind} at vault.wfv.bak: doctor names it and fails; list still works`, async () => {
      await restore();
      const backup = path.join(dir, 'vault.wfv.bak');
      await rm(backup);
      await s.make(backup);
      const doctor = await cli(['doctor']);
      expect({ signal: doctor.signal, code: doctor.code }).toEqual({ signal: null, code: 5 });
      expect(doctor.stdout + doctor.stderr).toContain(backup);
      expect(doctor.stdout + doctor.stderr).toMatch(s.what);
      if (doctor.maxRssKb !== null) expect(doctor.maxRssKb).toBeLessThan(MAX_RSS_KB);
      const list = await cli(['list', '--json']);
      expect({ code: list.code, signal: list.signal }).toEqual({ code: 0, signal: null });
      // A save either replaces what is there with the new backup, or (a folder) names it.
      if (s.blocksSave) await expectPromptFailure(['add', '--offline', '--label', 'three'], backup, s.what, `${'cd'.repeat(32)}\n`);
      else expect((await cli(['add', '--offline', '--label', 'three'], `${'cd'.repeat(32)}\n`)).code).toBe(0);
    }, 60_000);
  }

  it('a --vault-dir that is a file: a sentence saying so, exit 5, for reads and init alike', async () => {
    const notADir = path.join(tmp.path, 'a-file');
    await writeFile(notADir, 'x');
    for (const args of [['list'], ['init'], ['add', '--offline', '--label', 'x']]) {
      const r = await runCli([...args, '--vault-dir', notADir], { env: env(), input: `${'cd'.repeat(32)}\n`, timeoutMs: 5000 });
      expect({ args, code: r.code }).toEqual({ args, code: 5 });
      expect(r.stderr).toContain(`The vault folder ${notADir} is a file, not a folder`);
      expect(r.stderr).not.toMatch(/ENOTDIR|\n\s+at /u);
    }
  });

  it('a sparse 3 GiB or 5 GiB vault file: the vault-damaged error, exit 5, no abort, little memory', async () => {
    await restore();
    const file = path.join(dir, 'vault.wfv');
    for (const size of [3 * 2 ** 30, 5 * 2 ** 30]) {
      await rm(file);
      await writeFile(file, '', { mode: 0o600 });
      await truncate(file, size);
      await expectPromptFailure(['list'], file, /damaged|not one wfvault can read/u);
    }
    // A valid vault grown by a sparse tail is refused before the tail is read.
    for (const [size, what] of [[3 * 2 ** 30, /more than any vault file can be/u], [300 * 2 ** 20, /unexpected bytes at the end/u]] as const) {
      await rm(file);
      await writeFile(file, good, { mode: 0o600 });
      await truncate(file, size);
      await expectPromptFailure(['list'], file, what);
    }
    await rename(file, `${file}.big`);
    await rm(`${file}.big`);
  }, 60_000);
});
