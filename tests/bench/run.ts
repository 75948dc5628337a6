// `npm run bench`: vault open and save against their floors, `add` at 50,000 tokens, the one-keychain-item-per-token
// alternative, `wfvault exec` start-up against a bare Node start, and the renderer at scale.
// Runs inside scripts/with-test-keyring.sh, so the keychain is a real (throw-away) gnome-keyring.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OsKeychain } from '../../main/vault/keychain.js';
import { parseVaultFile } from '../../main/vault/format.js';
import { Vault } from '../../main/vault/vault.js';
import { CLI } from '../helpers/cli.js';
import { makeVaultData } from './fixtures.js';
import { benchRenderer, formatBench } from './renderer-bench.js';
import { benchTeam } from './team-bench.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);

async function median(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  await fn(); // warm-up: JIT and file cache, as a user's second command would see them
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const rows: string[][] = [];
function row(...cells: string[]) {
  rows.push(cells);
  console.log(cells.join('  |  '));
}

const noPassphrase = async () => {
  throw new Error('the benchmark vault uses the keychain');
};

async function benchVault(count: number, dir: string) {
  const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: noPassphrase });
  const status = await vault.init('keychain');
  const data = makeVaultData(count);
  await vault.update((d) => {
    d.tokens = data.tokens;
  });
  const bytes = await readFile(vault.path);

  // Open: a fresh instance each time, so the key comes from the keychain as in a new process.
  const open_ = await median(RUNS, () => new Vault({ dir, keychain: new OsKeychain(), getPassphrase: noPassphrase }).read());
  // The floor of an open: what no vault can skip (the keychain read, AES-GCM and JSON.parse of
  // bytes already in memory). The real open also reads the file, checks its digest and the shape
  // of every record.
  const floorKeychain = new OsKeychain();
  const parsed = parseVaultFile(bytes);
  const openFloor = await median(RUNS, async () => {
    const key = Buffer.from((await floorKeychain.get(status.vaultId!))!, 'base64');
    const d = createDecipheriv('aes-256-gcm', key, parsed.nonce);
    d.setAAD(parsed.aad);
    d.setAuthTag(parsed.tag);
    const plain = Buffer.concat([d.update(parsed.ciphertext), d.final()]);
    return JSON.parse(plain.toString('utf8'));
  });

  // Save: one token changed, through the real update path (lock, backup, fsyncs).
  let n = 0;
  const save = await median(RUNS, () =>
    vault.update((d) => {
      d.tokens[0]!.notes = `edit ${n++}`;
    }),
  );
  // The floor of a save: JSON.stringify, AES-GCM, one write, fsync and rename. The real save also
  // takes the lock, checks every record, digests the file, links the backup and fsyncs the folder.
  const key = randomBytes(32);
  const floorPath = join(dir, 'floor.bin');
  const saveFloor = await median(RUNS, async () => {
    const plain = Buffer.from(JSON.stringify(data), 'utf8');
    const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
    const out = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
    const tmp = `${floorPath}.tmp`;
    const h = await open(tmp, 'w', 0o600);
    await h.writeFile(out);
    await h.sync();
    await h.close();
    await rename(tmp, floorPath);
  });
  row(`${count} tokens (${(bytes.length / 1e6).toFixed(2)} MB)`, `open ${ms(open_)} vs floor ${ms(openFloor)} = ${ratio(open_, openFloor)}`, `save ${ms(save)} vs floor ${ms(saveFloor)} = ${ratio(save, saveFloor)}`, 'target ≤ 1.50x at 10,000');
  return { open: open_, status };
}

async function benchKeychainPerToken(vaultOpenMs: number) {
  const service = 'webflow-token-vault-bench';
  const items = 1000;
  const keychain = new OsKeychain({ service });
  for (let i = 0; i < items; i++) await keychain.set(`token-${i}`, randomBytes(32).toString('hex'));
  const t = performance.now();
  for (let i = 0; i < items; i++) await keychain.get(`token-${i}`);
  const perItem = performance.now() - t;
  for (let i = 0; i < items; i++) await keychain.delete(`token-${i}`);
  row('1,000 tokens, one keychain item each', `reading all ${ms(perItem)}`, `one vault open ${ms(vaultOpenMs)}`, `vault is ${ratio(perItem, vaultOpenMs)} faster`);
}

function benchExec(dir: string) {
  const env = { ...process.env, WFVAULT_DIR: dir, NO_COLOR: '1' };
  const init = spawnSync(process.execPath, [CLI, 'init'], { env });
  if (init.status !== 0) throw new Error(`could not create the benchmark vault: ${init.stderr.toString()}`);
  const add = spawnSync(process.execPath, [CLI, 'add', '--label', 'bench', '--offline'], { input: `${'ab'.repeat(32)}\n`, env });
  if (add.status !== 0) throw new Error(`could not add the benchmark token: ${add.stderr.toString()}`);
  const time = (args: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, args, { env, stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
      if (i > 0) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  };
  const bare = time(['-e', '0']);
  const exec = time([CLI, 'exec', 'bench', '--', 'true']);
  row('wfvault exec REF -- true', `${ms(exec)} vs node -e 0 ${ms(bare)} = ${ratio(exec, bare)}`, '', 'target ≤ 3x');
}

/**
 * `wfvault add` as a user runs it, at 5,000 and 50,000 tokens, against its floor: a bare Node start
 * plus one encrypt-and-sync of the same data. Growth from 5,000 to 50,000 should stay linear (the
 * per-token cost about flat), and peak memory is shown where /usr/bin/time can tell it.
 */
async function benchAdd(root: string) {
  const runs = Math.max(3, Math.floor(RUNS / 3));
  const perToken: number[] = [];
  for (const count of [5_000, 50_000]) {
    const dir = join(root, `add${count}`);
    const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: noPassphrase });
    await vault.init('keychain');
    const data = makeVaultData(count);
    await vault.update((d) => void (d.tokens = data.tokens));
    const env = { ...process.env, WFVAULT_DIR: dir, NO_COLOR: '1' };
    const measure = existsSync('/usr/bin/time');
    const times: number[] = [];
    let rssKb = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const args = [CLI, 'add', '--offline', '--label', `bench-add-${i}`];
      const r = measure
        ? spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { env, input: `${randomBytes(32).toString('hex')}\n` })
        : spawnSync(process.execPath, args, { env, input: `${randomBytes(32).toString('hex')}\n` });
      times.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`add at ${count} tokens exited ${r.status}: ${r.stderr.toString()}`);
      if (measure) rssKb = Math.max(rssKb, Number(r.stderr.toString().trim().split('\n').at(-1)) || 0);
    }
    times.sort((a, b) => a - b);
    const add = times[Math.floor(times.length / 2)]!;
    const bare = (() => {
      const t = performance.now();
      spawnSync(process.execPath, ['-e', '0']);
      return performance.now() - t;
    })();
    const key = randomBytes(32);
    const floorPath = join(dir, 'floor.bin');
    const save = await median(runs, async () => {
      const plain = Buffer.from(JSON.stringify(data), 'utf8');
      const c = createCipheriv('aes-256-gcm', key, randomBytes(12));
      const out = Buffer.concat([c.update(plain), c.final(), c.getAuthTag()]);
      const h = await open(`${floorPath}.tmp`, 'w', 0o600);
      await h.writeFile(out);
      await h.sync();
      await h.close();
      await rename(`${floorPath}.tmp`, floorPath);
    });
    perToken.push(add / count);
    row(
      `wfvault add at ${count.toLocaleString('en-US')} tokens`,
      `${ms(add)} vs floor ${ms(bare + save)} (node start + one save) = ${ratio(add, bare + save)}`,
      rssKb ? `peak memory ${(rssKb / 1024).toFixed(0)} MB` : 'peak memory not measured (no /usr/bin/time)',
      perToken.length === 2 ? `per token ${ratio(perToken[1]!, perToken[0]!)} of the 5,000 case (linear ≤ 1.0x)` : '',
    );
  }
}

async function main() {
  if (process.env.WFVAULT_TEST_KEYRING !== '1') console.warn('note: not inside scripts/with-test-keyring.sh; using whatever keychain this session has');
  const root = await mkdtemp(join(tmpdir(), 'wfvault-bench-'));
  try {
    console.log(`Vault benchmarks (median of ${RUNS} runs after one warm-up)`);
    // BENCH_PART=vault, BENCH_PART=add or BENCH_PART=team runs that part alone, for measuring one change briefly.
    const part = process.env.BENCH_PART;
    if (part === 'add') return await benchAdd(root);
    if (part === 'team') {
      for (const r of await benchTeam()) row(...r);
      return;
    }
    const small = await benchVault(1_000, join(root, 'v1k'));
    await benchVault(10_000, join(root, 'v10k'));
    if (part === 'vault') return;
    await benchAdd(root);
    await benchKeychainPerToken(small.open);
    benchExec(join(root, 'exec'));
    console.log('Team vaults (one run each: admitting and syncing change the team)');
    for (const r of await benchTeam()) row(...r);
    console.log(formatBench(await benchRenderer()));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
