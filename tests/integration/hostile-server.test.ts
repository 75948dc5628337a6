// A Webflow (here: the simulator, told to misbehave) that echoes the token back in every encoding,
// and that names sites and users with terminal escapes. Neither the echo nor a raw control byte may
// reach the CLI's output, the stored test history, the window's replies or a notification.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { realTimers } from '../../main/services/app-ports.js';
import { createAppSession } from '../../main/services/app-session.js';
import { createOAuthPort } from '../../main/services/app-oauth.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { assertNoEcho, assertTerminalSafe, echoSentence } from '../helpers/echo-forms.js';
import { describeWithKeyring } from '../helpers/keyring.js';
import { makeVault } from '../helpers/test-vault.js';
import type { Envelope } from '../../preload/contract.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

const HOSTILE = '\u001b]52;c;ZXZpbA==\u0007Evil\u202e\u009b2J\u001b[2J\r\u0008';

describeWithKeyring('a hostile Webflow', () => {
  let sim: Simulator;
  let tmp: { path: string; cleanup: () => Promise<void> };

  beforeAll(async () => {
    sim = await startSimulator();
    tmp = await tempDir('wfv-hostile-');
  });
  afterAll(async () => {
    await sim?.close();
    await tmp?.cleanup();
  });

  const cli = (args: string[], dir: string, input?: string) => runCli(args, { input, env: { ...sim.env, WFVAULT_DIR: dir, WFVAULT_MAX_RETRY_WAIT_MS: '0' } });

  it('gets no encoded echo of the token into CLI output or the stored test history', async () => {
    const dir = join(tmp.path, 'echo');
    const token = sim.addToken({ kind: 'site', scopes: ['sites:read'] });
    expect((await cli(['init'], dir)).code).toBe(0);
    expect((await cli(['add', '--label', 'echoed', '--offline'], dir, `${token.token}\n`)).code).toBe(0);

    const echo = ({ bearer }: { bearer: string | null }) => ({ code: 'not_authorized', message: `Bad token: ${echoSentence(bearer ?? '')}` });
    sim.inject({ kind: 'respond', path: /^\/v2\//, status: 401, body: echo, count: 4 });
    const tested = await cli(['test', 'echoed'], dir);
    expect(tested.code).toBe(3);
    expect(tested.stdout).toContain('not_authorized');

    const outputs = [
      ['test', tested],
      ['show', await cli(['show', 'echoed'], dir)],
      ['show --json (the stored history)', await cli(['show', 'echoed', '--json'], dir)],
      ['list --json', await cli(['list', '--json'], dir)],
    ] as const;
    for (const [what, r] of outputs) {
      assertNoEcho(r.stdout + r.stderr, token.token, what);
    }
    expect(JSON.parse(outputs[2][1].stdout)).toMatchObject({ lastTest: { code: 'not_authorized', ok: false } });
    sim.clearFaults();
  });

  it('gets no encoded echo into IPC replies, events or tray notifications', async () => {
    const dir = join(tmp.path, 'ipc');
    const token = sim.addToken({ kind: 'site', scopes: ['sites:read'] });
    const seen: { what: string; text: string }[] = [];
    const passphrase = new PassphraseBroker();
    const deps: ServiceDeps = { vault: makeVault(dir, passphrase, 'memory'), webflow: { ...webflowConfigFromEnv(sim.env), maxRetryWaitMs: 0 }, now: () => new Date() };
    const session = createAppSession(
      deps,
      {
        clipboard: { writeConcealed: async () => undefined, readText: async () => '', clear: async () => undefined },
        notifier: { notify: (n) => seen.push({ what: 'notification', text: JSON.stringify(n) }) },
        opener: { open: async () => false },
        events: { emit: (channel, payload) => seen.push({ what: `event ${channel}`, text: JSON.stringify(payload) }) },
        timers: realTimers,
        passphrase,
        oauth: createOAuthPort(deps),
        loginItem: { setOpenAtLogin: () => undefined },
      },
      { warn: (m) => seen.push({ what: 'log', text: m }) },
    );
    const call = async (channel: string, payload: unknown = {}) => {
      const reply = (await session.call(channel, payload)) as Envelope<Record<string, unknown>>;
      seen.push({ what: `reply of ${channel}`, text: JSON.stringify(reply) });
      if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
      return reply.value;
    };
    try {
      await call('vault:init', { mode: 'keychain' });
      const { token: added } = (await call('tokens:add', { label: 'echoed', secret: token.token, offline: true })) as { token: { id: string } };
      const echo = ({ bearer }: { bearer: string | null }) => ({ code: 'not_authorized', message: `Bad token: ${echoSentence(bearer ?? '')}` });
      sim.inject({ kind: 'respond', path: /^\/v2\//, status: 401, body: echo, count: 20 });
      expect(await call('tokens:test', { id: added.id })).toMatchObject({ result: { status: 'rejected', code: 'not_authorized' } });
      await session.trayAction({ type: 'test', id: added.id }, { showWindow() {}, showToken() {}, confirm: async () => false, quit() {} });
      await session.trayAction({ type: 'testAll' }, { showWindow() {}, showToken() {}, confirm: async () => false, quit() {} });
      await call('tokens:list');
      expect(seen.filter((s) => s.what === 'notification')).toHaveLength(2);
      for (const { what, text } of seen) assertNoEcho(text, token.token, what);
    } finally {
      sim.clearFaults();
      await session.shutdown();
    }
  });

  it('gets no control byte into any human output, fed hostile names', async () => {
    const dir = join(tmp.path, 'names');
    const user = sim.addUser({ email: `${HOSTILE}ada@example.com`, firstName: `Ada${HOSTILE}`, lastName: HOSTILE });
    const site = sim.addSite({ displayName: `Site${HOSTILE}`, shortName: `site${HOSTILE}` });
    const token = sim.addToken({ kind: 'site', scopes: ['sites:read', 'authorized_user:read'], siteIds: [site.id], userId: user.id });
    const folder = join(tmp.path, `scan${HOSTILE.replace(/\//g, '')}`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, `.env${HOSTILE.replace(/\//g, '')}`), `WEBFLOW_TOKEN=${token.token}\n`);

    const runs = [
      ['init', await cli(['init'], dir)],
      ['add', await cli(['add', '--label', 'hostile'], dir, `${token.token}\n`)],
      ['list', await cli(['list'], dir)],
      ['show', await cli(['show', 'hostile'], dir)],
      ['test', await cli(['test', 'hostile'], dir)],
      ['scan', await cli(['scan', folder], dir)],
      ['unknown REF', await cli(['show', `x${HOSTILE}`], dir)],
    ] as const;
    for (const [what, r] of runs) {
      assertTerminalSafe(r.stdout, `${what} stdout`);
      assertTerminalSafe(r.stderr, `${what} stderr`);
      assertNoEcho(r.stdout + r.stderr, token.token, what);
    }
    const shown = runs[3][1].stdout;
    // The names are still there, minus what was stripped when they were parsed.
    expect(shown).toContain('Ada');
    expect(shown).toContain('ada@example.com');
    expect(runs[5][1].stdout).toContain('\\x1b');
    const json = JSON.parse((await cli(['show', 'hostile', '--json'], dir)).stdout) as { sites: { displayName: string }[]; authorizedUser: { email: string } };
    expect(json.sites[0]!.displayName).toBe('Site ]52;c;ZXZpbA== Evil 2J [2J');
    // eslint-disable-next-line no-control-regex
    expect(json.authorizedUser.email).not.toMatch(/[\u0000-\u001f\u009b\u202e]/);
  });
});
