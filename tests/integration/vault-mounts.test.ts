// The vault on real file systems that refuse writes: a read-only bind mount and a tiny tmpfs that
// fills up. Each failure is one sentence naming the file or folder and the fix, exit 5, never a
// raw errno; a full disk leaves the old vault as it was and no temp file behind. Mounting needs
// root (CAP_SYS_ADMIN); where it is not allowed these cases skip and say why.
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { runCli, tempDir, type CliResult } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { cannotMount, mount, mountReadOnly, umount } from '../helpers/mounts.js';

const noMount = cannotMount();
if (noMount) console.warn(`vault-mounts: skipped, ${noMount}`);
const canMount = noMount === null;

const TOKEN_A = `${'a1'.repeat(32)}\n`;
const TOKEN_B = `${'b2'.repeat(32)}\n`;

/** A sentence about a file-system failure: names `where`, gives a fix, no errno alone, no stack. */
function expectSentence(r: CliResult, where: string, why: RegExp): void {
  expect({ code: r.code, signal: r.signal, stderr: r.stderr }).toMatchObject({ code: 5, signal: null });
  expect(r.stderr).toContain(where);
  expect(r.stderr).toMatch(why);
  expect(r.stderr).toMatch(/try again/u);
  expect(r.stderr).not.toMatch(/\bE[A-Z]{3,}\b/u); // no ENOENT, EROFS, ENOSPC...
  expect(r.stderr).not.toMatch(/\n\s+at /u);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
}

describeWithKeyring('the vault on a read-only bind mount and a full tmpfs', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  const mounted: string[] = [];

  beforeAll(async () => {
    tmp = await tempDir('wfvault-mounts-');
  });

  afterEach(() => {
    while (mounted.length > 0) umount(mounted.pop()!);
  });

  afterAll(async () => {
    await tmp?.cleanup();
  });

  const cli = (args: string[], dir: string, input = '') => runCli(args, { env: { WFVAULT_DIR: dir }, input, timeoutMs: 20_000 });

  function readOnly(dir: string): void {
    expect(mountReadOnly(dir)).toBe(true);
    mounted.push(dir);
  }

  async function tmpfs(name: string): Promise<string> {
    const dir = path.join(tmp.path, name);
    await mkdir(dir);
    expect(mount(['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs', dir])).toMatchObject({ ok: true });
    mounted.push(dir);
    return dir;
  }

  /** Fills the file system `dir` is on; returns the filler's path. */
  function fill(dir: string): string {
    const filler = path.join(dir, 'filler');
    const fd = openSync(filler, 'w');
    const block = Buffer.alloc(4096, 1);
    try {
      for (;;) writeSync(fd, block);
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    return filler;
  }

  it.runIf(canMount)('init on a read-only mount: one sentence naming the folder and the fix, exit 5, for an empty folder, a missing one and a missing parent', async () => {
    const ro = path.join(tmp.path, 'ro-init');
    await mkdir(path.join(ro, 'empty'), { recursive: true, mode: 0o700 });
    readOnly(ro);
    for (const dir of [path.join(ro, 'empty'), path.join(ro, 'new'), path.join(ro, 'a', 'b')]) {
      const r = await cli(['init'], dir);
      expectSentence(r, dir, /read-only file system; mount that file system writable and try again, or choose another folder with --vault-dir or WFVAULT_DIR\./u);
    }
    expect(await readdir(ro)).toEqual(['empty']);
    expect(await readdir(path.join(ro, 'empty'))).toEqual([]);
  });

  it.runIf(canMount)('a vault on a read-only mount: list works, reveal and exec use the secret and warn with exit 0, add and remove exit 5 naming the lock file', async () => {
    const root = path.join(tmp.path, 'ro-vault');
    const dir = path.join(root, 'v');
    expect((await cli(['init'], dir)).code).toBe(0);
    expect((await cli(['add', '--offline', '--label', 'one'], dir, TOKEN_A)).code).toBe(0);
    const before = await readFile(path.join(dir, 'vault.wfv'));
    readOnly(root);

    const list = await cli(['list', '--json'], dir);
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as Array<{ label: string }>).map((t) => t.label)).toEqual(['one']);

    const reveal = await cli(['reveal', 'one'], dir);
    expect(reveal.code).toBe(0);
    expect(reveal.stdout).toBe(TOKEN_A);
    expect(reveal.stderr).toMatch(/could not record the use of this token: .*read-only file system/u);

    const exec = await cli(['exec', 'one', '--', process.execPath, '-e', 'process.stdout.write(process.env.WEBFLOW_API_TOKEN + "\\n")'], dir);
    expect({ code: exec.code, stdout: exec.stdout }).toEqual({ code: 0, stdout: TOKEN_A });
    expect(exec.stderr).toMatch(/could not record the use of this token: .*read-only file system/u);

    for (const [args, input] of [[['add', '--offline', '--label', 'two'], TOKEN_B], [['remove', 'one'], '']] as const) {
      const r = await cli([...args], dir, input);
      expectSentence(r, path.join(dir, 'vault.lock'), /read-only file system/u);
    }
    expect(await readFile(path.join(dir, 'vault.wfv'))).toEqual(before);
  });

  it.runIf(canMount)('import --rewrite of a .env on a read-only mount: the token is stored, the file named as left as it was, with the reason in words', async () => {
    const dir = path.join(tmp.path, 'import-vault');
    expect((await cli(['init'], dir)).code).toBe(0);
    const project = path.join(tmp.path, 'ro-project');
    await mkdir(project);
    const env = path.join(project, '.env');
    await writeFile(env, `WEBFLOW_API_TOKEN=${TOKEN_B}`);
    readOnly(project);
    const r = await cli(['import', env, '--rewrite', '--offline'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`Could not rewrite ${env.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}: the disk is read-only\\. The token is already in the vault \\([0-9a-z]{10}\\); .* was left as it was`, 'u'));
    expect(r.stderr).not.toMatch(/\bE[A-Z]{3,}\b|\n\s+at /u);
    expect(await readFile(env, 'utf8')).toBe(`WEBFLOW_API_TOKEN=${TOKEN_B}`);
  });

  it.runIf(canMount)('add on a full tmpfs: exit 5 naming the vault file and the fix, the old vault intact, no temp file left; once space is freed add works', async () => {
    const disk = await tmpfs('full-add');
    const dir = path.join(disk, 'v');
    expect((await cli(['init'], dir)).code).toBe(0);
    expect((await cli(['add', '--offline', '--label', 'one'], dir, TOKEN_A)).code).toBe(0);
    const before = await readFile(path.join(dir, 'vault.wfv'));
    const names = (await readdir(dir)).sort();
    const filler = fill(disk);

    const r = await cli(['add', '--offline', '--label', 'two'], dir, TOKEN_B);
    expectSentence(r, path.join(dir, 'vault.wfv'), /the disk is full, so nothing was changed; free some space on that disk and try again/u);
    expect(await readFile(path.join(dir, 'vault.wfv'))).toEqual(before);
    expect((await readdir(dir)).sort()).toEqual(names);

    await rm(filler);
    expect((await cli(['add', '--offline', '--label', 'two'], dir, TOKEN_B)).code).toBe(0);
    const list = JSON.parse((await cli(['list', '--json'], dir)).stdout) as Array<{ label: string }>;
    expect(list.map((t) => t.label).sort()).toEqual(['one', 'two']);
  });

  it.runIf(canMount)('init on a full tmpfs: exit 5, the disk-full sentence, and nothing left behind', async () => {
    const disk = await tmpfs('full-init');
    fill(disk);
    const dir = path.join(disk, 'v');
    const r = await cli(['init'], dir);
    expectSentence(r, path.join(dir, 'vault.wfv'), /the disk is full, so nothing was changed/u);
    // Not even the folder it made, nor its lock file.
    expect(await readdir(disk)).toEqual(['filler']);
  });
});
