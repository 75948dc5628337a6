// The vault against a real OS keychain: the private gnome-keyring that scripts/with-test-keyring.sh
// starts. The key lands in the Secret Service, another process opens the vault with it, and a
// missing, locked or unanswering keychain gives a clear error within seconds.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newTokenRecord } from '../../main/core/records.js';
import { KEYCHAIN_SERVICE, OsKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';
import { describeWithKeyring } from '../helpers/keyring.js';

const REPO = path.resolve(import.meta.dirname, '../..');
const moduleUrl = (rel: string) => JSON.stringify(pathToFileURL(path.join(REPO, rel)).href);
const NO_KEYCHAIN = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/wfvault-test-bus' };

interface OpResult {
  ok: boolean;
  ms: number;
  code?: string;
  message?: string;
  labels?: string[];
  mode?: string;
  found?: boolean;
}

let tmp: string;
let script: string;
const createdIds: string[] = [];

/**
 * Runs one vault operation in a new process and returns the JSON line it prints. The process
 * group is killed once that line is in: after a keychain timeout the stuck native call would keep
 * the child alive until D-Bus gives up.
 */
function op(command: string[], env: NodeJS.ProcessEnv = {}, wrap: string[] = []): Promise<OpResult> {
  return new Promise((resolve, reject) => {
    const argv = [...wrap, process.execPath, '--import', 'tsx', script, ...command];
    const child = spawn(argv[0]!, argv.slice(1), { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let err = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`no result within 30 s; stderr: ${err.slice(-500)}`)), 30_000);
    const finish = (e: Error | null, result?: OpResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      if (e) reject(e);
      else resolve(result!);
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) finish(null, JSON.parse(line) as OpResult);
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => finish(e));
    child.on('close', (code) => finish(new Error(`child exited (${code}) without a result; stderr: ${err.slice(-500)}`)));
  });
}

describeWithKeyring('vault with the OS keychain (private gnome-keyring)', () => {
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'wfvault-keychain-'));
    script = path.join(tmp, 'vault-op.mts');
    await writeFile(
      script,
      `import { Vault } from ${moduleUrl('main/vault/vault.ts')};
import { OsKeychain } from ${moduleUrl('main/vault/keychain.ts')};
import { AppError } from ${moduleUrl('main/core/errors.ts')};
import { newTokenRecord } from ${moduleUrl('main/core/records.ts')};
const [command, arg] = process.argv.slice(2);
const getPassphrase = async () => {
  const p = process.env.TEST_VAULT_PASSPHRASE;
  if (!p) throw new AppError('passphrase_required', 'No passphrase given.');
  return p;
};
const started = Date.now();
try {
  let result = {};
  // The key derivation is not what this file tests (vault-scrypt-cost.test.ts does): the test-only cost.
const vault = () => new Vault({ dir: arg, keychain: new OsKeychain(), getPassphrase, testOnlyScryptCost: { N: 1024, r: 8, p: 1 } });
  if (command === 'read') result = { labels: (await vault().read()).tokens.map((t) => t.label) };
  else if (command === 'init-keychain') result = { mode: (await vault().init('keychain')).mode };
  else if (command === 'init-passphrase') result = { mode: (await vault().init('passphrase')).mode };
  else if (command === 'add') {
    await vault().update((d) => void d.tokens.push(newTokenRecord({ id: 'tok' + Date.now(), label: 'added-' + d.tokens.length, kind: 'site', secret: 'x'.repeat(40) }, null, new Date())));
  } else if (command === 'keychain-set') await new OsKeychain().set(arg, 'k'.repeat(44));
  else if (command === 'keychain-get') result = { found: (await new OsKeychain().get(arg)) !== null };
  console.log(JSON.stringify({ ok: true, ms: Date.now() - started, ...result }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, ms: Date.now() - started, code: e.code, message: e.message }));
}
`,
    );
  });

  afterAll(async () => {
    const keychain = new OsKeychain();
    for (const id of createdIds) await keychain.delete(id).catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  });

  it('stores the key in the Secret Service, and a new process opens the vault with it', async () => {
    const dir = path.join(tmp, 'shared');
    const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: async () => 'unused' });
    const { vaultId } = await vault.init('keychain');
    createdIds.push(vaultId!);
    await vault.update((d) => void d.tokens.push(newTokenRecord({ id: 'tok0000001', label: 'from the parent', kind: 'site', secret: randomBytes(32).toString('hex') }, null, new Date())));

    const stored = await new OsKeychain().get(vaultId!);
    expect(stored).not.toBeNull();
    expect(Buffer.from(stored!, 'base64')).toHaveLength(32);
    try {
      // The binding stores the account under the Secret Service attribute `username`.
      const { stdout } = await promisify(execFile)('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'username', vaultId!]);
      expect(stdout.trim() === stored).toBe(true);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      console.warn('secret-tool is not installed: checked the keychain entry through a fresh OsKeychain only');
    }

    expect(await op(['read', dir])).toMatchObject({ ok: true, labels: ['from the parent'] });
    expect(await op(['add', dir])).toMatchObject({ ok: true });
    expect((await vault.read()).tokens.map((t) => t.label)).toEqual(['from the parent', 'added-1']);
  });

  it('reads, writes and deletes entries, pinned to the Secret Service', async () => {
    const keychain = new OsKeychain();
    const account = `test-${randomBytes(6).toString('hex')}`;
    expect(keychain.backend).toBe(process.platform === 'linux' ? 'Secret Service' : keychain.backend);
    expect(await keychain.get(account)).toBeNull();
    await keychain.set(account, 'value-1');
    expect(await new OsKeychain().get(account)).toBe('value-1');
    expect(await keychain.delete(account)).toBe(true);
    expect(await keychain.delete(account)).toBe(false);
  });

  it('a keychain vault with no keychain: keychain_unavailable within seconds, naming --passphrase', async () => {
    const dir = path.join(tmp, 'keychain-elsewhere');
    const vault = new Vault({ dir, keychain: new OsKeychain(), getPassphrase: async () => 'unused' });
    createdIds.push((await vault.init('keychain')).vaultId!);
    const r = await op(['read', dir], NO_KEYCHAIN);
    expect(r).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(r.ms).toBeLessThan(5000);
    expect(r.message).toContain('--passphrase');
    const init = await op(['init-keychain', path.join(tmp, 'never')], NO_KEYCHAIN);
    expect(init).toMatchObject({ ok: false, code: 'keychain_unavailable' });
    expect(init.message).toContain('wfvault init --passphrase');
  });

  it('passphrase mode works with no keychain at all', async () => {
    const dir = path.join(tmp, 'passphrase');
    const env = { ...NO_KEYCHAIN, TEST_VAULT_PASSPHRASE: randomBytes(12).toString('hex') };
    expect(await op(['init-passphrase', dir], env)).toMatchObject({ ok: true, mode: 'passphrase' });
    expect(await op(['add', dir], env)).toMatchObject({ ok: true });
    expect(await op(['read', dir], env)).toMatchObject({ ok: true, labels: ['added-0'] });
    expect(await op(['read', dir], { ...env, TEST_VAULT_PASSPHRASE: 'not it' })).toMatchObject({ ok: false, code: 'wrong_passphrase' });
    expect(await op(['read', dir], NO_KEYCHAIN)).toMatchObject({ ok: false, code: 'passphrase_required' });
  });

  it('a locked keychain whose unlock prompt nobody answers: keychain_timeout within seconds', async () => {
    // A separate private session: its keyring is created unlocked, then the daemon is restarted
    // locked, and the prompter D-Bus would start to ask for the password only sleeps.
    const session = path.join(tmp, 'locked-session');
    const services = path.join(session, 'share', 'dbus-1', 'services');
    await mkdir(services, { recursive: true });
    const pidFile = path.join(session, 'prompter.pid');
    await writeFile(
      path.join(services, 'org.gnome.keyring.SystemPrompter.service'),
      `[D-BUS Service]\nName=org.gnome.keyring.SystemPrompter\nExec=/bin/sh -c 'echo $$ > ${pidFile}; exec sleep 120'\n`,
    );
    const env = { XDG_DATA_HOME: path.join(session, 'data'), XDG_DATA_DIRS: `${path.join(session, 'share')}:/usr/share`, XDG_RUNTIME_DIR: session };
    const inSession = (start: string) => ['dbus-run-session', '--', 'sh', '-c', `${start} >/dev/null 2>&1; exec "$@"`, 'sh'];
    const password = randomBytes(12).toString('hex');
    await writeFile(path.join(session, 'pw'), password, { mode: 0o600 });
    const made = await op(['keychain-set', 'locked-entry'], env, inSession(`gnome-keyring-daemon --unlock --components=secrets < '${path.join(session, 'pw')}'`));
    expect(made).toMatchObject({ ok: true });

    const r = await op(['keychain-get', 'locked-entry'], env, inSession('gnome-keyring-daemon --start --components=secrets'));
    const prompter = await readFile(pidFile, 'utf8').catch(() => '');
    if (prompter.trim()) {
      try {
        process.kill(Number(prompter.trim()), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    expect(r).toMatchObject({ ok: false, code: 'keychain_timeout' });
    expect(r.ms).toBeLessThan(6000);
    expect(r.message).toContain('--passphrase');
    expect(r.message).toMatch(/unlock/i);
  });
});
