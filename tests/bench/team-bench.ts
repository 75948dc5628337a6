// Team vaults at 2,000 tokens: opening a team, admitting a member (every token re-encrypted) and a
// sync of 100 changed tokens (writer and reader side), each against the age operations it cannot
// avoid, done alone. The two sync lines also give the floor with the same git transfer done by
// plain git alone (commit and push, or fetch and fast-forward), which no caching can remove; they
// are medians of several rounds, each on other tokens, because one git push varies by tens of ms.
// Alone: `bash scripts/with-test-keyring.sh node --import tsx tests/bench/team-bench.ts`
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decrypter, Encrypter } from 'age-encryption';
import { mapBounded } from '../../main/core/bounded-map.js';
import { newTokenRecord } from '../../main/core/records.js';
import { OsKeychain } from '../../main/vault/keychain.js';
import { identityKey, loadSecrets } from '../../main/team/keys.js';
import { admitMember, createTeam, joinTeam, parseJoinRequest } from '../../main/team/membership.js';
import { tunedGitArgs } from '../../main/team/git.js';
import { syncTeam } from '../../main/team/sync.js';
import { TeamLookup } from '../../main/team/label-index.js';
import { AGE_IN_FLIGHT, keychainAccount, Team, type TeamContext, type TeamRecord } from '../../main/team/team.js';

const TOKENS = Number(process.env.BENCH_TEAM_TOKENS ?? 2000);
const CHANGED = 100;
const SYNC_ROUNDS = Math.min(Number(process.env.BENCH_SYNC_ROUNDS ?? 5), Math.floor(TOKENS / CHANGED));
const run = promisify(execFile);
const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.test', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.test' };
const git = (cwd: string, ...args: string[]) => run('git', tunedGitArgs(args), { cwd, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 });
const ms = (n: number) => `${n.toFixed(0)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

function ctx(vaultDir: string): TeamContext {
  return { vaultDir, keychain: new OsKeychain(), now: () => new Date() };
}

/** Wall-clock time, and CPU time of this process and the git processes it ran (which a loaded machine does not inflate as much). */
interface Cost {
  wall: number;
  cpu: number;
}

/** CPU milliseconds so far: this process (precise) plus its finished children (Linux clock ticks). */
function cpuMs(): number {
  const self = process.cpuUsage();
  let children = 0;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 of proc(5): cutime and cstime, in ticks of 1/100 s.
    children = (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    // not Linux: this process only
  }
  return (self.user + self.system) / 1000 + children;
}

async function timed<T>(fn: () => Promise<T>): Promise<[Cost, T]> {
  const t = performance.now();
  const c = cpuMs();
  const r = await fn();
  return [{ wall: performance.now() - t, cpu: cpuMs() - c }, r];
}

function medianOf(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/**
 * Writes back what earlier steps left dirty, so a timed step does not pay for the writeback of
 * the one before it (a 2,000-file re-encryption leaves seconds of it).
 */
function settle(): void {
  try {
    execFileSync('sync');
  } catch {
    // no sync(1): the measurements are noisier, not wrong
  }
}

const plus = (a: Cost, b: Cost): Cost => ({ wall: a.wall + b.wall, cpu: a.cpu + b.cpu });
const cost = (c: Cost) => `${ms(c.wall)} (cpu ${ms(c.cpu)})`;
const ratios = (a: Cost, b: Cost) => `${ratio(a.wall, b.wall)} (cpu ${ratio(a.cpu, b.cpu)})`;

function record(i: number): TeamRecord {
  const token = newTokenRecord({ id: `bench${String(i).padStart(6, '0')}`, label: `Client ${i} site`, kind: 'site', secret: `${i}`.padStart(64, 'a'), notes: 'a note' }, null, new Date());
  return { v: 1, token, only: [], exposedTo: [], writtenBy: 'alice', writtenAt: new Date().toISOString() };
}

/**
 * The floor: the same decryptions and encryptions with age alone, on the same files, one at a
 * time or (as opening a team and re-encrypting do) AGE_IN_FLIGHT at a time.
 */
async function ageAlone(files: Uint8Array[], identity: string, recipients: string[] | null, inFlight = 1): Promise<Cost> {
  const d = new Decrypter();
  d.addIdentity(await identityKey(identity));
  const e = new Encrypter();
  for (const r of recipients ?? []) e.addRecipient(r);
  const [took] = await timed(() =>
    mapBounded(files, inFlight, async (f) => {
      const plain = await d.decrypt(f, 'text');
      if (recipients) await e.encrypt(plain);
    }),
  );
  return took;
}

/** A line for work that keeps AGE_IN_FLIGHT files in flight: against age alone doing the same, and one at a time. */
async function inFlightRow(what: string, took: Cost, ageWhat: string, files: Uint8Array[], identity: string, recipients: string[] | null): Promise<string[]> {
  settle();
  const floor = await ageAlone(files, identity, recipients, AGE_IN_FLIGHT);
  settle();
  const oneByOne = await ageAlone(files, identity, recipients);
  return [what, cost(took), `${ageWhat} alone, ${AGE_IN_FLIGHT} at a time as here ${cost(floor)} (one at a time ${cost(oneByOne)}, ${ratios(took, oneByOne)})`, ratios(took, floor)];
}

/** A sync line: against age alone (the target), and against age plus the same git work alone. */
function syncRow(what: string, took: Cost, ageWhat: string, ageCost: Cost, gitWhat: string, gitCost: Cost): string[] {
  return [what, cost(took), `${ageWhat} alone ${cost(ageCost)}; with ${gitWhat} alone ${cost(plus(ageCost, gitCost))}`, `${ratios(took, ageCost)} of age alone, ${ratios(took, plus(ageCost, gitCost))} of age + git`];
}

export async function benchTeam(): Promise<string[][]> {
  const root = await mkdtemp(join(tmpdir(), 'wfvault-team-bench-'));
  const rows: string[][] = [];
  try {
    const remote = join(root, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', remote]);
    const alice = ctx(join(root, 'alice'));
    await createTeam(alice, { name: 'bench', remote, me: { name: 'alice', email: 'alice@example.test' } });
    let team = await Team.open(alice, 'bench');
    const enc = new Encrypter();
    const readers = [...team.roster.members.keys()];
    enc.addRecipient(team.recipientOf(readers[0]!));
    for (let i = 0; i < TOKENS; i++) await team.writeRecord(record(i), { readers, enc });
    await team.git.commitAll('bench: tokens');
    await syncTeam(team);
    const secrets = await loadSecrets(alice.keychain, keychainAccount(team.state), 'bench');
    const files = await Promise.all([...team.files.keys()].map((id) => readFile(join(team.repo, 'tokens', `${id}.age`))));

    // Open: verify the member list and every signature, decrypt every token. The first open after
    // all files changed checks every signature; later ones (every command after a sync) find
    // them in the signature cache.
    settle();
    const [coldOpen] = await timed(async () => (await Team.open(alice, 'bench')).readAll());
    settle();
    const [openCost] = await timed(async () => (await Team.open(alice, 'bench')).readAll());
    const open = await inFlightRow(`open a team of ${TOKENS} tokens`, openCost, 'age decrypt', files, secrets.identity, null);
    open[2] += `; first open after all changed ${cost(coldOpen)}`;
    rows.push(open);

    // One token by label, as `exec --team` finds it: the label index answers for every file it has
    // read before, so only the token named is decrypted (the first lookup builds the index).
    const byLabel = async () => {
      const lookup = await TeamLookup.open(await Team.open(alice, 'bench'));
      await lookup.token(lookup.refs.find((r) => r.label === record(TOKENS - 1).token.label)!.id);
    };
    settle();
    const [firstLookup] = await timed(byLabel);
    settle();
    const [lookupCost] = await timed(byLabel);
    rows.push([`find one of ${TOKENS} team tokens by label`, cost(lookupCost), `open and decrypt all ${cost(openCost)}; first lookup (builds the index) ${cost(firstLookup)}`, ratios(lookupCost, openCost)]);

    // Admit: sync, sign the entry, re-encrypt every token to both members, commit, push.
    const bob = ctx(join(root, 'bob'));
    const joined = await joinTeam(bob, { url: remote, me: { name: 'bob', email: 'bob@example.test' } });
    team = await Team.open(alice, 'bench');
    settle();
    const [admitCost] = await timed(() => admitMember(team, parseJoinRequest(joined.request!)));
    const both = [...team.roster.members.values()].map((m) => m.recipient);
    rows.push(await inFlightRow(`admit a member to ${TOKENS} tokens`, admitCost, 'age decrypt + encrypt', files, secrets.identity, both));

        const bobTeam = await Team.open(bob, 'bench');
    await syncTeam(bobTeam);
    // Plain-git stand-ins for both sides, at the same commit: a writer with a remote of its own
    // (the same push would be refused by the real one) and a reader of the real remote.
    const plainRemote = join(root, 'plain.git');
    const plainWriter = join(root, 'plain-writer');
    const plainReader = join(root, 'plain-reader');
    await git(root, 'clone', '--quiet', '--bare', remote, plainRemote);
    await git(root, 'clone', '--quiet', '--branch', 'main', plainRemote, plainWriter);
    await git(root, 'clone', '--quiet', '--branch', 'main', remote, plainReader);
    // Several rounds, each on other tokens: alice reads and changes 100 and syncs; bob syncs
    // and reads them. Each line is the median of its rounds, and so is each floor.
    const all = await team.readAll();
    const samples = { write: [] as Cost[], writeAge: [] as Cost[], writeGit: [] as Cost[], pull: [] as Cost[], pullAge: [] as Cost[], pullGit: [] as Cost[], pullFetch: [] as Cost[] };
    const bobSecrets = await loadSecrets(bob.keychain, keychainAccount(bobTeam.state), 'bench');
    for (let round = 0; round < SYNC_ROUNDS; round++) {
      const ids = all.slice(round * CHANGED, (round + 1) * CHANGED).map((t) => t.record.token.id);
      settle();
      const [writeCost] = await timed(async () => {
        // Under the clone's lock, as every command that writes does.
        await team.change(async () => {
          for (const id of ids) {
            const { record } = await team.read(id);
            await team.writeRecord({ ...record, token: { ...record.token, notes: `changed in round ${round}` } });
          }
          await team.git.commitAll(`bench: ${CHANGED} changes`);
        });
        await syncTeam(team);
      });
      samples.write.push(writeCost);
      const changedPaths = ids.flatMap((id) => [`tokens/${id}.age`, `tokens/${id}.sig`]);
      const changedBytes = await Promise.all(changedPaths.map((p) => readFile(join(team.repo, p))));
      const changedFiles = changedBytes.filter((_, i) => i % 2 === 0);
      settle();
      samples.writeAge.push(await ageAlone(changedFiles, secrets.identity, both));
      settle();
      const [writeGit] = await timed(async () => {
        await Promise.all(changedPaths.map((p, i) => writeFile(join(plainWriter, p), changedBytes[i]!)));
        await git(plainWriter, 'add', '-A');
        await git(plainWriter, 'commit', '--quiet', '-m', 'changes');
        await git(plainWriter, 'push', '--quiet', 'origin', 'HEAD:main');
      });
      samples.writeGit.push(writeGit);
      settle();
      const [pullCost] = await timed(async () => {
        await syncTeam(bobTeam);
        const d = await bobTeam.decrypter();
        for (const id of ids) await d.decrypt(bobTeam.files.get(id)!.ciphertext, 'text');
      });
      samples.pull.push(pullCost);
      settle();
      samples.pullAge.push(await ageAlone(changedFiles, bobSecrets.identity, null));
      settle();
      const [pullFetch] = await timed(() => git(plainReader, 'fetch', '--quiet', 'origin'));
      const [pullMerge] = await timed(() => git(plainReader, 'merge', '--quiet', '--ff-only', 'origin/main'));
      samples.pullFetch.push(pullFetch);
      samples.pullGit.push(plus(pullFetch, pullMerge));
    }
    const m = (xs: Cost[]): Cost => ({ wall: medianOf(xs.map((x) => x.wall)), cpu: medianOf(xs.map((x) => x.cpu)) });
    rows.push(syncRow(`read and change ${CHANGED} tokens, sync (writer; median of ${SYNC_ROUNDS})`, m(samples.write), 'age decrypt + encrypt', m(samples.writeAge), 'git add, commit, push', m(samples.writeGit)));
    const reader = syncRow(`sync ${CHANGED} changed tokens and read them (reader; median of ${SYNC_ROUNDS})`, m(samples.pull), 'age decrypt', m(samples.pullAge), 'git fetch, merge', m(samples.pullGit));
    // The fetch alone, against the decryptions alone: how much of the 1.5x budget git takes before a reader does anything.
    reader[2] += `; git fetch alone ${cost(m(samples.pullFetch))}, ${ratios(m(samples.pullFetch), m(samples.pullAge))} of the decryptions`;
    rows.push(reader);
    await alice.keychain.delete(`team:${keychainAccount(team.state)}`);
    await bob.keychain.delete(`team:${keychainAccount(bobTeam.state)}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1]?.endsWith('team-bench.ts')) {
  for (const r of await benchTeam()) console.log(r.join('  |  '));
}
