// A team token named by its label is found without decrypting every token: this machine keeps
// the labels it has read, encrypted to the member, each tied to the file it came from. Two
// members on a real git remote (a bare repository in a temp folder): a token another member
// renamed is read again; an index that names the wrong label is not trusted.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Encrypter } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ServiceDeps } from '../../main/services/deps.js';
import { addTeamToken, openTeam, showTeamToken, syncTeams, teamContext, teamStoredToken, updateTeamRecord } from '../../main/services/team.js';
import { tokensForUse } from '../../main/services/token-use.js';
import { admitMember, createTeam, joinTeam, parseJoinRequest } from '../../main/team/membership.js';
import { Team } from '../../main/team/team.js';
import { offlineMember } from '../helpers/team-member.js';

const exec = promisify(execFile);
const STEP_MS = 120_000;
const LABELS = ['Acme site', 'Beta site', 'Gamma site', 'Delta site', 'Epsilon site'];

describe('team REFs through this machine’s label index', () => {
  let root: string;
  let alice: ServiceDeps;
  let bob: ServiceDeps;
  const secrets = new Map<string, string>();
  const indexOf = (deps: ServiceDeps) => join(deps.vault.dir, 'teams', 'acme', 'labels.age');

  /** How many token files one call decrypts (a read of the whole team counts every token). */
  async function decryptions<T>(fn: () => Promise<T>): Promise<[number, T]> {
    // Every decryption of a token file goes through one of these two.
    const read = vi.spyOn(Team.prototype, 'read');
    const each = vi.spyOn(Team.prototype, 'decryptEach');
    try {
      const r = await fn();
      return [read.mock.calls.length + each.mock.calls.reduce((n, [files]) => n + files.length, 0), r];
    } finally {
      read.mockRestore();
      each.mockRestore();
    }
  }

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wfv-label-index-'));
    const remote = join(root, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    alice = await offlineMember(root, 'alice');
    bob = await offlineMember(root, 'bob');
    await createTeam(teamContext(alice), { name: 'acme', remote, me: { name: 'alice', email: 'alice@example.test' } });
    const joined = await joinTeam(teamContext(bob), { url: remote, me: { name: 'bob', email: 'bob@example.test' } });
    await admitMember(await openTeam(alice, 'acme'), parseJoinRequest(joined.request!));
    for (const label of LABELS) {
      secrets.set(label, randomBytes(32).toString('hex'));
      await addTeamToken(alice, 'acme', { label, secret: secrets.get(label)!, offline: true });
    }
    await syncTeams(alice, 'acme');
    await syncTeams(bob, 'acme');
  }, STEP_MS);

  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('reads every token once, then only the one a label names; the index holds no label in clear', async () => {
    const [first, used] = await decryptions(() => tokensForUse({ ...bob, team: 'acme' }, ['Gamma site']));
    expect(first).toBe(LABELS.length);
    expect(used[0]!.secret === secrets.get('Gamma site')).toBe(true);
    const index = await readFile(indexOf(bob));
    for (const label of LABELS) expect(index.includes(label), label).toBe(false);

    const [again, both] = await decryptions(() => tokensForUse({ ...bob, team: 'acme' }, ['Beta site', 'Epsilon site']));
    expect(again).toBe(2);
    expect(both.map((t) => t.label)).toEqual(['Beta site', 'Epsilon site']);
    expect(both[1]!.secret === secrets.get('Epsilon site')).toBe(true);
    // Unknown and ambiguous REFs say so as before.
    await expect(showTeamToken(bob, 'acme', 'Zeta site')).rejects.toMatchObject({ code: 'ref_not_found', message: expect.stringContaining('in team acme') });
  }, STEP_MS);

  it('reads a token again once another member changed it: a renamed token answers to its new label only', async () => {
    const { team, token } = await teamStoredToken(alice, 'acme', 'Delta site');
    await updateTeamRecord(team, token, { ...token.record.token, label: 'Delta renamed' }, alice.now());
    await syncTeams(alice, 'acme');
    await syncTeams(bob, 'acme');
    const [count, shown] = await decryptions(() => showTeamToken(bob, 'acme', 'Delta renamed'));
    expect(count).toBe(1);
    expect(shown.id).toBe(token.record.token.id);
    await expect(showTeamToken(bob, 'acme', 'Delta site')).rejects.toMatchObject({ code: 'ref_not_found' });
  }, STEP_MS);

  it('does not trust an index whose label does not match the token: every token is read and the right one used', async () => {
    // An index that swaps two labels, encrypted to bob like his own, with the right digests.
    const team = await openTeam(bob, 'acme');
    const real = new Map((await team.readAll()).map((t) => [t.record.token.id, t.record.token.label]));
    const idOf = (label: string) => [...real].find(([, l]) => l === label)![0];
    const [acme, beta] = [idOf('Acme site'), idOf('Beta site')];
    const swapped = (id: string) => (id === acme ? 'Beta site' : id === beta ? 'Acme site' : real.get(id)!);
    const labels = Object.fromEntries([...team.files.values()].map((f) => [f.id, { digest: createHash('sha256').update(f.ciphertext).digest('hex'), label: swapped(f.id) }]));
    const enc = new Encrypter();
    enc.addRecipient(team.recipientOf(team.state.me.fingerprint));
    await writeFile(indexOf(bob), await enc.encrypt(JSON.stringify({ v: 1, labels })));

    const [count, used] = await decryptions(() => tokensForUse({ ...bob, team: 'acme' }, ['Acme site']));
    // One read of the token the index named, then the whole team.
    expect(count).toBe(1 + LABELS.length);
    expect(used[0]!.id).toBe(acme);
    expect(used[0]!.secret === secrets.get('Acme site')).toBe(true);
    // The bad index was dropped: the next lookup reads every token once more and writes it whole.
    const [next] = await decryptions(() => tokensForUse({ ...bob, team: 'acme' }, ['Beta site']));
    expect(next).toBe(LABELS.length);
    const [after, again] = await decryptions(() => tokensForUse({ ...bob, team: 'acme' }, ['Beta site']));
    expect(after).toBe(1);
    expect(again[0]!.id).toBe(beta);
  }, STEP_MS);
});

