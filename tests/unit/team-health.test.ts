// A team token's test results stay on the machine that ran the test, encrypted to that member
// alone, and apply only to the secret they were measured for: a rotated token (same id, new
// secret) starts untested. Two processes saving at once (the window and a CLI) both keep theirs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateX25519Identity } from 'age-encryption';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadHealth, saveHealth, withHealth } from '../../main/team/health.js';
import type { Team } from '../../main/team/team.js';
import type { StoredToken } from '../../main/core/token.js';
import { fakeHealthTeam } from '../helpers/fake-health-team.js';
import { lastTest, publicToken } from '../helpers/tokens.js';

const SECRET = 'a'.repeat(64);
const REPO = path.resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

async function fakeTeam(dir: string, ids: string[]): Promise<{ team: Team; identity: string }> {
  const identity = await generateX25519Identity();
  return { team: await fakeHealthTeam(dir, ids, identity), identity };
}

describe('team token health on this machine', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'wfvault-health-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        c.kill('SIGKILL');
        await new Promise((r) => c.once('exit', r));
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  const shared = (over: Partial<StoredToken> = {}): StoredToken => ({ ...publicToken({ id: 'tok00001', label: 'Client Co site', lastTest: null, testHistory: [] }), secret: SECRET, ...over });

  it('keeps a newer local test over the shared record, in a file only this member can open', async () => {
    const { team } = await fakeTeam(dir, ['tok00001']);
    const test = lastTest({ at: '2026-06-01T10:00:00Z', ok: false, httpStatus: 401, code: 'not_authorized' });
    await saveHealth(team, [{ ...shared(), lastTest: test, testHistory: [test], sites: [{ id: 's1', displayName: 'Client Co' }] }]);
    const file = await readFile(path.join(dir, 'teams', 'acme', 'health.age'));
    expect(file.includes('Client Co')).toBe(false);
    expect(file.includes('not_authorized')).toBe(false);
    const health = await loadHealth(team);
    const seen = withHealth(team, health, shared());
    expect(seen.lastTest).toEqual(test);
    expect(seen.sites).toEqual([{ id: 's1', displayName: 'Client Co' }]);
    // A shared record tested later than this machine did wins.
    const later = lastTest({ at: '2026-06-02T10:00:00Z' });
    expect(withHealth(team, health, shared({ lastTest: later })).lastTest).toEqual(later);
  });

  it('drops results for a replaced secret and for tokens that left the team', async () => {
    const { team } = await fakeTeam(dir, ['tok00001']);
    const test = lastTest({ at: '2026-06-01T10:00:00Z' });
    await saveHealth(team, [{ ...shared(), lastTest: test }, { ...shared({ id: 'gone0001' }), lastTest: test }]);
    const health = await loadHealth(team);
    expect([...health.keys()]).toEqual(['tok00001']);
    expect(withHealth(team, health, shared({ secret: 'b'.repeat(64) })).lastTest).toBeNull();
  });

  it('keeps the results of an earlier run for the tokens this run did not test', async () => {
    const { team } = await fakeTeam(dir, ['tok00001', 'tok00002']);
    const first = lastTest({ at: '2026-06-01T10:00:00Z' });
    const second = lastTest({ at: '2026-06-01T11:00:00Z', ok: false, httpStatus: 401 });
    await saveHealth(team, [{ ...shared(), lastTest: first }]);
    await saveHealth(team, [{ ...shared({ id: 'tok00002', secret: 'c'.repeat(64) }), lastTest: second }]);
    const health = await loadHealth(team);
    expect(withHealth(team, health, shared()).lastTest).toEqual(first);
    expect(withHealth(team, health, shared({ id: 'tok00002', secret: 'c'.repeat(64) })).lastTest).toEqual(second);
  });

  it('starts over when the file does not open with this member\'s key', async () => {
    const { team } = await fakeTeam(dir, ['tok00001']);
    await saveHealth(team, [{ ...shared(), lastTest: lastTest({ at: '2026-06-01T10:00:00Z' }) }]);
    const { team: other } = await fakeTeam(dir, ['tok00001']);
    expect((await loadHealth(other)).size).toBe(0);
  });

  it('keeps the results of two processes that save at the same time', async () => {
    const ids = ['tok00001', 'tok00002', 'tok00003'];
    const { team, identity } = await fakeTeam(dir, ids);
    const token = (id: string, at: string): StoredToken => ({ ...shared({ id }), lastTest: lastTest({ at }) });
    // A run that finished earlier, so that each saver has a file to read and decrypt.
    await saveHealth(team, [token('tok00003', '2026-06-01T09:00:00Z')]);

    const script = path.join(dir, 'saver.mts');
    const url = (p: string): string => JSON.stringify(pathToFileURL(p).href);
    await writeFile(
      script,
      `import { createInterface } from 'node:readline';
import { saveHealth } from ${url(path.join(REPO, 'main/team/health.ts'))};
import { fakeHealthTeam } from ${url(path.join(REPO, 'tests/helpers/fake-health-team.ts'))};
import { lastTest, publicToken } from ${url(path.join(REPO, 'tests/helpers/tokens.ts'))};
const [dir, id, at, pause] = process.argv.slice(2);
const rl = createInterface({ input: process.stdin });
const lines = rl[Symbol.asyncIterator]();
// The identity comes on stdin, never in argv.
const identity = String((await lines.next()).value);
// Once the file is read, stop before decrypting it until told to go on.
const team = await fakeHealthTeam(dir, ${JSON.stringify(ids)}, identity, async () => {
  if (pause === 'pause') {
    process.stdout.write('read\\n');
    await lines.next();
  }
});
const token = { ...publicToken({ id, label: id, testHistory: [] }), secret: ${JSON.stringify(SECRET)}, lastTest: lastTest({ at }) };
await saveHealth(team, [token], { onWait: () => process.stdout.write('waiting\\n'), owner: 'saver ' + id });
rl.close();
process.stdout.write('saved\\n');
`,
    );
    const saver = (id: string, at: string, pause: boolean): { child: ChildProcess; said: (line: string) => Promise<boolean> } => {
      const child = spawn(process.execPath, ['--import', 'tsx', script, dir, id, at, pause ? 'pause' : 'run'], { cwd: REPO, stdio: ['pipe', 'pipe', 'inherit'] });
      children.push(child);
      child.stdin!.write(`${identity}\n`);
      let out = '';
      const waiters: (() => void)[] = [];
      child.stdout!.setEncoding('utf8').on('data', (c: string) => {
        out += c;
        for (const w of waiters.splice(0)) w();
      });
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      // Resolves true once `line` was printed, false if the process ended without printing it.
      const said = async (line: string): Promise<boolean> => {
        for (;;) {
          if (out.split('\n').includes(line)) return true;
          if (child.exitCode !== null || child.signalCode !== null) return false;
          await Promise.race([new Promise<void>((r) => waiters.push(r)), exited]);
        }
      };
      return { child, said };
    };
    const exitCode = (c: ChildProcess): Promise<number | null> =>
      c.exitCode !== null || c.signalCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.once('exit', (code) => r(code)));

    const first = saver('tok00001', '2026-06-01T10:00:00Z', true);
    expect(await first.said('read')).toBe(true);
    // The second saves while the first holds what it read: it must wait for the first, not write
    // over its result. Either way it goes on only once it waits or is done.
    const second = saver('tok00002', '2026-06-01T10:00:01Z', false);
    await Promise.race([second.said('waiting'), exitCode(second.child)]);
    first.child.stdin!.write('go\n');
    expect(await exitCode(first.child)).toBe(0);
    expect(await exitCode(second.child)).toBe(0);

    const health = await loadHealth(team);
    expect(withHealth(team, health, shared({ id: 'tok00001' })).lastTest?.at).toBe('2026-06-01T10:00:00Z');
    expect(withHealth(team, health, shared({ id: 'tok00002' })).lastTest?.at).toBe('2026-06-01T10:00:01Z');
    expect(withHealth(team, health, shared({ id: 'tok00003' })).lastTest?.at).toBe('2026-06-01T09:00:00Z');
  });
});
