// Verification of team token files with the signature cache and token versions: real git and age
// on a local bare remote, the in-memory keychain. What the cache remembers never lets a changed
// file through, and an older copy of a file is refused once a newer one was verified.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Encrypter } from 'age-encryption';
import { AppError } from '../../main/core/errors.js';
import { tokenSignedText } from '../../main/core/team-chain.js';
import { newTokenRecord } from '../../main/core/records.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { loadSecrets, sha256Hex, signText } from '../../main/team/keys.js';
import { createTeam } from '../../main/team/membership.js';
import { syncTeam } from '../../main/team/sync.js';
import { keychainAccount, Team, type TeamContext, type TeamRecord } from '../../main/team/team.js';
import { tempDir } from '../helpers/cli.js';

let tmp: { path: string; cleanup: () => Promise<void> };
let ctx: TeamContext;

function record(id: string, notes: string): TeamRecord {
  const token = newTokenRecord({ id, label: `Client ${id}`, kind: 'site', secret: 'f'.repeat(64), notes }, null, new Date());
  return { v: 1, token, only: [], exposedTo: [], writtenBy: 'alice', writtenAt: new Date().toISOString() };
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

beforeEach(async () => {
  tmp = await tempDir('wfvault-team-verify-');
  const remote = path.join(tmp.path, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
  ctx = { vaultDir: path.join(tmp.path, 'alice'), keychain: new MemoryKeychain(), now: () => new Date() };
  await createTeam(ctx, { name: 'acme', remote, me: { name: 'alice', email: 'alice@example.test' } });
  const team = await Team.open(ctx, 'acme');
  for (const id of ['tok00001', 'tok00002']) await team.writeRecord(record(id, 'first'));
  await team.git.commitAll('tokens');
  await syncTeam(team);
});

afterEach(async () => {
  await tmp.cleanup();
});

describe('team token verification', () => {
  it('remembers checked signatures by content hashes only, and refuses a file changed after it was cached', async () => {
    const team = await Team.open(ctx, 'acme');
    const cache = JSON.parse(await readFile(path.join(ctx.vaultDir, 'teams', 'acme', 'verified.json'), 'utf8')) as { keys: string[] };
    expect(cache.keys).toHaveLength(2);
    expect(cache.keys.every((k) => /^[0-9a-f]{40}$/u.test(k))).toBe(true);
    const file = path.join(team.repo, 'tokens', 'tok00001.age');
    const bytes = await readFile(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x01;
    await writeFile(file, bytes);
    const e = await refusal(Team.open(ctx, 'acme'));
    expect(e.code).toBe('team_tampered');
    expect(e.details?.reason).toBe('token_altered');
    // The same in a running process that re-reads only what git says changed:
    const e2 = await refusal(team.reverify(['tokens/tok00001.age']));
    expect(e2.details?.reason).toBe('token_altered');
  });

  it('refuses an older signed copy of a token once a newer one was verified, and keeps the versions rising', async () => {
    const team = await Team.open(ctx, 'acme');
    const files = ['age', 'sig'].map((ext) => path.join(team.repo, 'tokens', `tok00001.${ext}`));
    const older = await Promise.all(files.map((f) => readFile(f)));
    expect(team.files.get('tok00001')!.sig.ver).toBe(1);
    const t = (await team.readAll()).find((x) => x.record.token.id === 'tok00001')!;
    await team.writeRecord({ ...t.record, token: { ...t.record.token, notes: 'second' } });
    await team.git.commitAll('change');
    await syncTeam(team);
    expect(team.files.get('tok00001')!.sig.ver).toBe(2);
    await Promise.all(files.map((f, i) => writeFile(f, older[i]!)));
    const e = await refusal(Team.open(ctx, 'acme'));
    expect(e.code).toBe('team_rollback');
    expect(e.details).toMatchObject({ reason: 'token_rollback', id: 'tok00001', version: 1, seen: 2 });
  });

  it('reads token files written before versions, and refuses one that replaces a versioned file', async () => {
    const team = await Team.open(ctx, 'acme');
    const secrets = await loadSecrets(ctx.keychain, keychainAccount(team.state), 'acme');
    const me = team.state.me.fingerprint;
    /** A token file as the first format wrote it: no version, the version-less signed text. */
    async function writeFormat1(id: string): Promise<void> {
      const enc = new Encrypter();
      enc.addRecipient(team.recipientOf(me));
      const ciphertext = await enc.encrypt(JSON.stringify(record(id, 'format 1')));
      const sig = signText(secrets, tokenSignedText(team.state.teamId, id, sha256Hex(ciphertext), [me]));
      await writeFile(path.join(team.repo, 'tokens', `${id}.age`), ciphertext);
      await writeFile(path.join(team.repo, 'tokens', `${id}.sig`), JSON.stringify({ v: 1, id, readers: [me], share: 'all', by: me, sig }));
    }
    await writeFormat1('tok00003');
    const opened = await Team.open(ctx, 'acme');
    expect(opened.files.get('tok00003')!.sig.ver).toBe(0);
    expect((await opened.readAll()).map((t) => t.record.token.id)).toContain('tok00003');

    // tok00002 was verified at version 1: a validly signed format-1 copy is older than that.
    const sigFile = path.join(team.repo, 'tokens', 'tok00002.sig');
    const sig = JSON.parse(await readFile(sigFile, 'utf8')) as Record<string, unknown>;
    expect(sig).toMatchObject({ v: 2, ver: 1 });
    await writeFormat1('tok00002');
    expect((await refusal(Team.open(ctx, 'acme'))).details).toMatchObject({ reason: 'token_rollback', id: 'tok00002' });
    // Stripping the version from a versioned record breaks its signature.
    await writeFile(sigFile, JSON.stringify({ ...sig, v: 1, ver: undefined }));
    expect((await refusal(Team.open(ctx, 'acme'))).details?.reason).toBe('token_altered');
    // A newer format than this build knows is named as such.
    await writeFile(sigFile, JSON.stringify({ ...sig, v: 3 }));
    expect((await refusal(Team.open(ctx, 'acme'))).message).toContain('newer version of wfvault');
  });
});
