// Token files in a team's working tree are written over in place (see repo-files.ts): what a
// member reads back must be exactly the last write, whether it grew or shrank, and a symbolic
// link at a token's name must not carry the write anywhere else.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTokenFile, TOKEN_SIG_FORMAT, writeTokenFile, type TokenFile } from '../../main/team/repo-files.js';

function file(id: string, bytes: number, ver: number): TokenFile {
  return { id, ciphertext: new Uint8Array(bytes).fill(ver), sig: { v: TOKEN_SIG_FORMAT, id, ver, readers: ['fp-a'], share: 'all', by: 'fp-a', sig: `sig-${ver}` } };
}

describe('team token files on disk', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'wfvault-repo-files-'));
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('creates the tokens folder for the first token, and reads back exactly the last write as it grows and shrinks', async () => {
    writeTokenFile(repo, file('abcd1234', 700, 1));
    for (const [bytes, ver] of [[1500, 2], [90, 3], [91, 4]] as const) {
      writeTokenFile(repo, file('abcd1234', bytes, ver));
      const back = await readTokenFile(repo, 'abcd1234');
      expect(Buffer.from(back.ciphertext)).toEqual(Buffer.alloc(bytes, ver));
      expect(back.sig).toEqual(file('abcd1234', bytes, ver).sig);
    }
  });

  it('refuses to write through a symbolic link at a token file name, and leaves the link target as it was', async () => {
    writeTokenFile(repo, file('abcd1234', 10, 1));
    const outside = path.join(repo, 'outside.txt');
    await writeFile(outside, 'the user file');
    await rm(path.join(repo, 'tokens', 'abcd1234.age'));
    await symlink(outside, path.join(repo, 'tokens', 'abcd1234.age'));
    expect(() => writeTokenFile(repo, file('abcd1234', 10, 2))).toThrow(/abcd1234\.age is a symbolic link.*nothing was written/u);
    await symlink(outside, path.join(repo, 'tokens', 'efgh5678.age'));
    expect(() => writeTokenFile(repo, file('efgh5678', 10, 1))).toThrow(/efgh5678\.age is a symbolic link/u);
    expect(await readFile(outside, 'utf8')).toBe('the user file');
  });

  it('says in words which file could not be written and why, not an errno', async () => {
    // A folder where the token file should be: the same sentence a read-only or full disk gets.
    await mkdir(path.join(repo, 'tokens', 'abcd1234.age'), { recursive: true });
    expect(() => writeTokenFile(repo, file('abcd1234', 10, 1))).toThrow(/^Cannot write the token file .*abcd1234\.age: a folder stands where a file should be; move that folder out of the way/u);
  });
});
