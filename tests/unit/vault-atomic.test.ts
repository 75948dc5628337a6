// writeFileDurably: the vault's way of replacing a file, for any file: all bytes or none, the mode
// asked for exactly, no temp file left behind on failure, and a symbolic link kept as a link.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileDurably } from '../../main/vault/atomic.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'wfvault-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('writeFileDurably', () => {
  it('creates a file, mode 0600 unless told otherwise, and leaves nothing else', async () => {
    const file = path.join(dir, 'new.bin');
    const bytes = randomBytes(5 * 1024 * 1024 + 3);
    await writeFileDurably(file, bytes);
    expect(Buffer.compare(await readFile(file), bytes)).toBe(0);
    if (process.platform !== 'win32') expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['new.bin']);
  });

  it('replaces a file with a string as UTF-8, in exactly the mode given (the umask does not apply)', async () => {
    const file = path.join(dir, '.env');
    await writeFile(file, 'OLD=1\n');
    await writeFileDurably(file, 'TOKEN=ünïcode\n', { mode: 0o666 });
    expect(await readFile(file, 'utf8')).toBe('TOKEN=ünïcode\n');
    if (process.platform !== 'win32') expect(await modeOf(file)).toBe(0o666);
    await writeFileDurably(file, new Uint8Array([65, 10]), { mode: 0o640 });
    expect(await readFile(file, 'utf8')).toBe('A\n');
    if (process.platform !== 'win32') expect(await modeOf(file)).toBe(0o640);
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it.skipIf(process.platform === 'win32')('replaces the file a symbolic link points to and keeps the link', async () => {
    await mkdir(path.join(dir, 'real'));
    const target = path.join(dir, 'real', '.env');
    await writeFile(target, 'OLD=1\n');
    const link = path.join(dir, '.env');
    await symlink(target, link);
    await writeFileDurably(link, 'NEW=2\n', { mode: 0o644 });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(target);
    expect(await readFile(target, 'utf8')).toBe('NEW=2\n');
    expect(await readdir(path.join(dir, 'real'))).toEqual(['.env']);
  });

  it.runIf(existsSync('/dev/full'))('refuses to replace a device reached through a link (/dev/full), leaving it and the link as they are', async () => {
    const link = path.join(dir, '.env');
    await symlink('/dev/full', link);
    await expect(writeFileDurably(link, 'NEW=2\n')).rejects.toMatchObject({ message: expect.stringMatching(/^Cannot replace .*\.env \(it leads to \/dev\/full\): it is a device, pipe or socket/u) });
    expect((await lstat('/dev/full')).isCharacterDevice()).toBe(true);
    expect(await readlink(link)).toBe('/dev/full');
    expect(await readdir(dir)).toEqual(['.env']);
  });

  it('fails without touching what is there and removes its temp file', async () => {
    const occupied = path.join(dir, 'folder');
    await mkdir(occupied);
    await writeFile(path.join(occupied, 'inside'), 'kept');
    await expect(writeFileDurably(occupied, 'x')).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    expect(await readdir(dir)).toEqual(['folder']);
    expect(await readFile(path.join(occupied, 'inside'), 'utf8')).toBe('kept');
    await expect(writeFileDurably(path.join(dir, 'missing', 'file'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('the window\'s place file', () => {
  it('is written without following a link planted at its name', async () => {
    const { saveWindowPlace, loadWindowPlace } = await import('../../main/electron/window-state.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'wfvault-winstate-'));
    try {
      const victim = path.join(dir, 'victim.txt');
      await writeFile(victim, 'keep me');
      await symlink(victim, path.join(dir, 'window-state.json'));
      const place = { x: 10, y: 20, width: 900, height: 700, maximized: false };
      await saveWindowPlace(dir, place);
      expect(await readFile(victim, 'utf8')).toBe('keep me');
      expect((await lstat(path.join(dir, 'window-state.json'))).isSymbolicLink()).toBe(false);
      expect(loadWindowPlace(dir)).toEqual(place);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
