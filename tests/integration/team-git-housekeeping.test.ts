// git's automatic housekeeping in a team's clone runs inside the command that set it off: once
// a wfvault git command returns, no git process is still repacking the clone behind it, where
// it would race the next command or the removal of the clone.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Git } from '../../main/team/git.js';

const PACK_LIMIT = 4;

async function packs(repo: string): Promise<number> {
  return (await readdir(path.join(repo, '.git', 'objects', 'pack'))).filter((n) => n.endsWith('.pack')).length;
}

describe('git housekeeping in a team clone', () => {
  let repo: string;
  beforeEach(async () => {
    repo = await mkdtemp(path.join(tmpdir(), 'wfvault-git-gc-'));
    execFileSync('git', ['init', '--quiet', '--initial-branch', 'main', repo]);
    // The same housekeeping git does after 50 packs, set off sooner.
    execFileSync('git', ['config', 'gc.autoPackLimit', String(PACK_LIMIT)], { cwd: repo });
  });
  afterEach(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('merges the small packs each change leaves before the command that set it off returns', async () => {
    const git = new Git(repo, { name: 'alice', email: 'alice@example.test' });
    const seen: number[] = [];
    for (let change = 0; change < PACK_LIMIT + 3; change++) {
      await writeFile(path.join(repo, `token-${change}.age`), `ciphertext ${change}`);
      expect(await git.commitAll(`change ${change}`)).toBe(true);
      seen.push(await packs(repo));
    }
    // Each change adds a pack; the commit that takes them past the limit merges them into one
    // before it returns. Detached, the count would go on growing while git repacks behind it.
    expect(seen.slice(0, PACK_LIMIT)).toEqual(Array.from({ length: PACK_LIMIT }, (_, i) => i + 1));
    expect(Math.max(...seen)).toBeLessThanOrEqual(PACK_LIMIT);
    expect(seen[PACK_LIMIT]).toBe(1);
    expect(execFileSync('git', ['log', '--format=%s'], { cwd: repo, encoding: 'utf8' }).trim().split('\n')).toHaveLength(PACK_LIMIT + 3);
  });
});
