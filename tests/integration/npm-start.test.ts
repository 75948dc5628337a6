// `npm start` where the Electron binary is missing: it fetches the binary with Electron's own
// installer (here from a loopback mirror that refuses, so nothing leaves the machine), says in one
// sentence that it could not, and never tries when ELECTRON_SKIP_BINARY_DOWNLOAD is set.
// It runs against a copy of the project's electron package in a temp folder, so the real
// node_modules stays as it is whether or not this machine has the binary.
import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const START = join(ROOT, 'scripts/start.js');

let fakeRoot: string;
let cache: string;
let mirror: Server;
let mirrorUrl: string;
const requests: string[] = [];

beforeAll(async () => {
  fakeRoot = await mkdtemp(join(tmpdir(), 'wfv-start-'));
  cache = join(fakeRoot, 'electron-cache');
  const modules = join(fakeRoot, 'node_modules');
  await mkdir(join(modules, 'electron'), { recursive: true });
  // Every other package is the real one; electron itself is a copy without dist/ or path.txt.
  for (const entry of await readdir(join(ROOT, 'node_modules'))) {
    if (entry !== 'electron' && !entry.startsWith('.')) await symlink(join(ROOT, 'node_modules', entry), join(modules, entry));
  }
  for (const file of ['package.json', 'install.js', 'checksums.json', 'index.js', 'cli.js']) {
    await copyFile(join(ROOT, 'node_modules/electron', file), join(modules, 'electron', file));
  }
  mirror = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(503, { connection: 'close' }).end('mirror refuses on purpose');
  });
  await new Promise<void>((done) => mirror.listen(0, '127.0.0.1', done));
  mirrorUrl = `http://127.0.0.1:${(mirror.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise((done) => mirror?.close(done));
  if (fakeRoot) await rm(fakeRoot, { recursive: true, force: true });
});

function npmStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  delete clean.ELECTRON_SKIP_BINARY_DOWNLOAD;
  delete clean.ELECTRON_OVERRIDE_DIST_PATH;
  const child = spawn(process.execPath, [START], {
    cwd: fakeRoot,
    env: { ...clean, electron_config_cache: cache, ELECTRON_GET_NO_PROGRESS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm start without the Electron binary', () => {
  it('tries Electron\'s installer, and when the download fails says so in one sentence and points at the CLI and dev:web', async () => {
    requests.length = 0;
    const r = await npmStart({ ELECTRON_MIRROR: mirrorUrl });
    expect(r.code).toBe(1);
    // The installer asked the mirror for this platform's Electron 45 archive.
    expect(requests.some((u) => /v45\.[\d.]+\/electron-v45\.[\d.]+-[a-z0-9]+-[a-z0-9]+\.zip$/.test(u))).toBe(true);
    const sentences = r.stdout.split('\n').filter((l) => l.startsWith('The desktop app cannot start here'));
    expect(sentences).toEqual([expect.stringMatching(/^The desktop app cannot start here: the Electron binary could not be downloaded \(.*503.*\)\.$/)]);
    expect(r.stdout).toContain('npx wfvault --help');
    expect(r.stdout).toContain('npm run dev:web');
    // The installer's stack trace is not passed on.
    expect(r.stdout + r.stderr).not.toMatch(/^\s+at /m);
  });

  it('does not try to download when ELECTRON_SKIP_BINARY_DOWNLOAD=1', async () => {
    requests.length = 0;
    const r = await npmStart({ ELECTRON_MIRROR: mirrorUrl, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    expect(r.code).toBe(1);
    expect(requests).toEqual([]);
    expect(r.stdout).not.toContain('Fetching the Electron binary');
    expect(r.stdout).toMatch(/^The desktop app cannot start here: .*ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it was not downloaded \(unset it to fetch the binary\)\.$/m);
    expect(r.stdout).toContain('npm run dev:web');
  });
});
