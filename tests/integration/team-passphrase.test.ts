// A team member whose vault is in passphrase mode, on a machine with no OS keychain at all (no
// D-Bus session): their team keys live inside the personal vault, encrypted under the passphrase,
// and they create, admit, share and read team tokens with a member who uses a real keyring.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { tempDir } from '../helpers/cli.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { startMember, type Member } from '../helpers/member-keyring.js';
import { assertNoSecret } from '../helpers/sentinel.js';
import { TEST_SCRYPT_COST } from '../helpers/test-vault.js';

const exec = promisify(execFile);
const STEP_MS = 300_000;
const PASSPHRASE = 'alice passphrase on a server without keychain';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

describeWithKeyring('team keys under the vault passphrase (no OS keychain)', () => {
  let tmp: { path: string; cleanup: () => Promise<void> };
  let remote: string;
  let alice: Member;
  let bob: Member;
  const secrets = new Map<string, string>();

  async function ok(m: Member, args: string[], input?: string) {
    const r = await m.cli(args, { input });
    assertNoSecret(r.stdout + r.stderr, [...secrets.values()].filter((s) => s !== input));
    expect(r.code, `${m.name}: wfvault ${args.join(' ')}\n${r.stderr}`).toBe(0);
    return r;
  }

  async function addToken(m: Member, label: string): Promise<void> {
    const value = randomBytes(32).toString('hex');
    secrets.set(label, value);
    await ok(m, ['add', '--team', 'acme', '--label', label, '--offline'], value);
  }

  async function reveal(m: Member, label: string): Promise<string> {
    const r = await m.cli(['reveal', '--team', 'acme', label]);
    expect(r.code, r.stderr).toBe(0);
    assertNoSecret(r.stderr, [...secrets.values()]);
    return r.stdout.trim();
  }

  beforeAll(async () => {
    tmp = await tempDir('wfvault-team-pass-');
    remote = path.join(tmp.path, 'remote.git');
    await exec('git', ['init', '--quiet', '--bare', remote]);
    [alice, bob] = await Promise.all([startMember(tmp.path, 'alice', { keyring: false }), startMember(tmp.path, 'bob')]);
    alice.env.WFVAULT_PASSPHRASE = PASSPHRASE;
    // The test-only scrypt cost is written into the header; the CLI reads it from there.
    await new Vault({ dir: alice.vaultDir, keychain: new MemoryKeychain(), getPassphrase: async () => PASSPHRASE, testOnlyScryptCost: TEST_SCRYPT_COST }).init('passphrase');
  }, STEP_MS);

  afterAll(async () => {
    await Promise.all([alice, bob].filter(Boolean).map((m) => m.stop()));
    await tmp?.cleanup();
  }, STEP_MS);

  it('a passphrase member without a keychain creates a team, admits a keychain member, and both read each other\'s tokens', async () => {
    // No Secret Service answers for alice: her keys cannot be in an OS keychain.
    expect(alice.env.DBUS_SESSION_BUS_ADDRESS).toContain('/nonexistent/');
    await ok(alice, ['team', 'create', 'acme', '--remote', remote]);
    const request = (await ok(bob, ['team', 'join', remote])).stdout.trim();
    const bobFp = JSON.parse((await ok(bob, ['team', 'status', 'acme', '--json'])).stdout).me.fingerprint as string;
    await ok(alice, ['team', 'add-member', request, '--fingerprint', bobFp]);
    await ok(bob, ['team', 'sync']);
    await addToken(alice, 'Alice passphrase site');
    await addToken(bob, 'Bob keychain site');
    for (const m of [alice, bob, alice]) await ok(m, ['team', 'sync']);
    for (const m of [alice, bob]) {
      for (const label of ['Alice passphrase site', 'Bob keychain site']) expect((await reveal(m, label)) === secrets.get(label), `${m.name} reads ${label}`).toBe(true);
    }
    const state = JSON.parse(await readFile(path.join(alice.vaultDir, 'teams', 'acme', 'state.json'), 'utf8'));
    expect(state.keys).toBe('vault');
  }, STEP_MS);

  it('the team keys are inside the encrypted vault and in no file in clear', async () => {
    const data = await new Vault({ dir: alice.vaultDir, keychain: new MemoryKeychain(), getPassphrase: async () => PASSPHRASE }).read();
    const entries = Object.values(data.teamKeys ?? {});
    expect(entries).toHaveLength(1);
    const keys = JSON.parse(entries[0]!) as { identity: string; signingKey: string };
    expect(keys.identity).toMatch(/^AGE-SECRET-KEY-1/u);
    const pkcs8 = Buffer.from(keys.signingKey, 'base64');
    const seed = pkcs8.subarray(pkcs8.length - 32);
    const needles = [keys.identity, keys.signingKey, seed.toString('base64'), seed.toString('hex')];
    // Every file alice's machine holds (vault, backup, team state, clone, git objects), and the remote.
    const files = [...(await filesUnder(alice.home)), ...(await filesUnder(remote))];
    expect(files.some((f) => f.endsWith('vault.wfv') || f.includes(`${path.sep}vault${path.sep}`))).toBe(true);
    for (const f of files) {
      const bytes = await readFile(f);
      expect(bytes.includes('AGE-SECRET-KEY-1'), f).toBe(false);
      for (const n of needles) expect(bytes.includes(n), f).toBe(false);
    }
  }, STEP_MS);

  it('a second passphrase member without a keychain joins, is admitted by the keychain member, and reads and adds tokens', async () => {
    const carol = await startMember(tmp.path, 'carol', { keyring: false });
    try {
      carol.env.WFVAULT_PASSPHRASE = `${PASSPHRASE} too`;
      await new Vault({ dir: carol.vaultDir, keychain: new MemoryKeychain(), getPassphrase: async () => `${PASSPHRASE} too`, testOnlyScryptCost: TEST_SCRYPT_COST }).init('passphrase');
      const request = (await ok(carol, ['team', 'join', remote])).stdout.trim();
      const fp = JSON.parse((await ok(carol, ['team', 'status', 'acme', '--json'])).stdout).me.fingerprint as string;
      await ok(bob, ['team', 'add-member', request, '--fingerprint', fp]);
      await ok(carol, ['team', 'sync']);
      expect((await reveal(carol, 'Bob keychain site')) === secrets.get('Bob keychain site')).toBe(true);
      await addToken(carol, 'Carol passphrase site');
      await ok(carol, ['team', 'sync']);
      await ok(alice, ['team', 'sync']);
      expect((await reveal(alice, 'Carol passphrase site')) === secrets.get('Carol passphrase site')).toBe(true);
      const state = JSON.parse(await readFile(path.join(carol.vaultDir, 'teams', 'acme', 'state.json'), 'utf8'));
      expect(state.keys).toBe('vault');
      for (const f of await filesUnder(carol.home)) expect((await readFile(f)).includes('AGE-SECRET-KEY-1'), f).toBe(false);
    } finally {
      await carol.stop();
    }
  }, STEP_MS);

  it('without the passphrase the team tokens stay closed, with a clear message', async () => {
    const r = await alice.cli(['list', '--team', 'acme'], { env: { WFVAULT_PASSPHRASE: undefined } });
    assertNoSecret(r.stdout + r.stderr, [...secrets.values()]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('passphrase');
    expect(r.stdout).not.toContain('Alice passphrase site');
  }, STEP_MS);
});
