// Every IPC channel is called with realistic input against a vault holding a token whose secret is
// the sentinel, with the Webflow simulator behind it. Every reply, every event pushed to the window,
// every notification and every log line is scanned: the sentinel never appears in any of them.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_CHANNELS, type CallChannel, type Envelope } from '../../preload/contract.js';
import { createOAuthPort } from '../../main/services/app-oauth.js';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import { realTimers } from '../../main/services/app-ports.js';
import { createAppSession, type AppSession } from '../../main/services/app-session.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { addTeamToken, teamContext } from '../../main/services/team.js';
import { createTeam } from '../../main/team/membership.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { webflowConfigFromEnv } from '../../main/webflow/config.js';
import { freePort } from '../helpers/ports.js';
import { assertNoSecret, SENTINEL_CLIENT_SECRET, SENTINEL_TOKEN } from '../helpers/sentinel.js';
import { makeVault } from '../helpers/test-vault.js';
import { startSimulator, type Simulator } from '../sim/simulator.js';

describe('no IPC reply carries a secret', () => {
  let sim: Simulator;
  let dir: string;
  let session: AppSession;
  let deps: ServiceDeps;
  const seen: { what: string; text: string }[] = [];
  const clipboard = { text: '' };
  const covered = new Set<CallChannel>();

  const call = async (channel: CallChannel, payload: unknown): Promise<Envelope<unknown>> => {
    const reply = (await session.call(channel, payload)) as Envelope<unknown>;
    covered.add(channel);
    seen.push({ what: `reply of ${channel}`, text: JSON.stringify(reply) });
    return reply;
  };
  const ok = async (channel: CallChannel, payload: unknown = {}) => {
    const reply = await call(channel, payload);
    if (!reply.ok) throw new Error(`${channel} failed: ${reply.error.code} ${reply.error.message}`);
    return reply.value as Record<string, unknown>;
  };
  const failing = async (channel: CallChannel, payload: unknown, code: string) => {
    const reply = await call(channel, payload);
    expect(reply, channel).toMatchObject({ ok: false, error: { code } });
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: true });
    dir = await mkdtemp(join(tmpdir(), 'wfv-ipc-sentinel-'));
    const passphrase = new PassphraseBroker();
    // The real vault, so the secret also passes through its encryption and validation.
    // One in-memory keychain for the vault's key and the team member's keys alike.
    const keychain = new MemoryKeychain();
    const vault = makeVault(dir, passphrase, keychain);
    deps = { vault, keychain, webflow: { ...webflowConfigFromEnv(sim.env), timeoutMs: 5000 }, now: () => new Date() };
    session = createAppSession(
      deps,
      {
        clipboard: {
          writeConcealed: async (t) => void (clipboard.text = t),
          readText: async () => clipboard.text,
          clear: async () => void (clipboard.text = ''),
        },
        notifier: { notify: (n) => seen.push({ what: 'notification', text: JSON.stringify(n) }) },
        opener: { open: async (url) => (seen.push({ what: 'opened URL', text: url }), false) },
        events: { emit: (channel, payload) => seen.push({ what: `event ${channel}`, text: JSON.stringify(payload) }) },
        timers: realTimers,
        passphrase,
        oauth: createOAuthPort(deps),
        loginItem: { setOpenAtLogin: (open) => seen.push({ what: 'login item', text: String(open) }) },
      },
      { warn: (m) => seen.push({ what: 'log', text: m }) },
    );
  });

  afterAll(async () => {
    await session?.shutdown();
    await sim?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('walks every channel with the sentinel in the vault', async () => {
    const site = sim.seeded!.sites[0]!;
    sim.addToken({ token: SENTINEL_TOKEN, kind: 'site', scopes: ['sites:read'], siteIds: [site.id] });

    expect(await ok('vault:status')).toMatchObject({ state: 'uninitialized' });
    await ok('vault:init', { mode: 'passphrase', passphrase: 'sentinel passphrase 1' });
    await ok('vault:lock');
    await failing('tokens:list', {}, 'passphrase_required');
    await ok('vault:unlock', { passphrase: 'sentinel passphrase 1' });

    // The one call that carries the secret in; the reply must not carry it back.
    const added = await ok('tokens:add', { label: 'Sentinel', secret: SENTINEL_TOKEN });
    const id = (added.token as { id: string }).id;
    await failing('tokens:add', { label: 'Again', secret: SENTINEL_TOKEN }, 'duplicate_token');
    await failing('tokens:add', { label: 'Broken', secret: `${SENTINEL_TOKEN} x` }, 'invalid_secret');
    await failing('tokens:add', { label: 'Bad type', secret: SENTINEL_TOKEN, kind: 'nope' }, 'usage');

    await ok('tokens:list');
    await ok('tokens:update', { id, label: 'Sentinel renamed', notes: 'n', tags: ['t'] });
    expect(await ok('tokens:test', { id })).toMatchObject({ result: { ok: true, status: 'valid' } });
    const all = await ok('tokens:testAll');
    expect(all).toMatchObject({ counts: { total: 1, valid: 1 }, summary: '1 valid' });

    expect(await ok('tokens:copy', { id })).toEqual({ clearsInSeconds: 30 });
    // The copy went to the clipboard port, the only place a secret may go.
    expect(clipboard.text).toBe(SENTINEL_TOKEN);

    // The same secret in a team (a bare git remote in the temp folder): every team call is scanned too.
    expect(await ok('teams:list')).toEqual({ teams: [] });
    expect(await ok('teams:sync', {})).toEqual({ results: [] });
    await failing('teams:status', { team: 'acme' }, 'team_not_found');
    const remote = join(dir, 'remote.git');
    await promisify(execFile)('git', ['init', '--quiet', '--bare', remote]);
    await createTeam(teamContext(deps), { name: 'acme', remote, me: { name: 'sentinel', email: 'sentinel@example.test' } });
    const { token: shared } = await addTeamToken(deps, 'acme', { label: 'Team sentinel', secret: SENTINEL_TOKEN });
    const team = { id: shared.id, team: 'acme' };
    const listed = await ok('teams:list');
    expect(JSON.stringify(listed)).toContain('Team sentinel');
    expect(await ok('tokens:test', team)).toMatchObject({ result: { ok: true, status: 'valid' } });
    clipboard.text = '';
    await ok('tokens:copy', team);
    expect(clipboard.text).toBe(SENTINEL_TOKEN);
    expect(await ok('teams:sync', { team: 'acme' })).toMatchObject({ results: [{ team: 'acme', state: 'synced', pushed: true }] });
    expect(await ok('teams:status', { team: 'acme' })).toMatchObject({ team: 'acme', ahead: 0, members: [{ name: 'sentinel', me: true }] });
    // No conflict here to pick from (tests/integration/ipc-team-resolve.test.ts makes a real one).
    await failing('teams:resolve', { ...team, keep: 'mine' }, 'not_found');
    await failing('teams:rotate', { ...team, secret: SENTINEL_TOKEN }, 'usage');
    const otherSite = sim.addToken({ kind: 'site', scopes: ['sites:read'], siteIds: [sim.seeded!.sites[1]?.id ?? 'elsewhere'] });
    await failing('teams:rotate', { ...team, secret: otherSite.token }, 'usage');
    await failing('teams:rotateOAuth', team, 'usage');
    expect(await ok('tokens:revoke', team)).toMatchObject({ state: 'pending' });
    await failing('tokens:confirmRevoke', team, 'revoke_unconfirmed');

    await ok('settings:get');
    await ok('settings:set', { clipboardClearSeconds: 20, trayOnClose: false });
    // No launcher port here (as in the window in a browser): the sentence, and nothing written.
    expect(await ok('settings:installCli')).toMatchObject({ status: 'unavailable' });

    await ok('oauthApps:list');
    const redirect = `http://127.0.0.1:${await freePort()}/callback`;
    const { app } = await ok('oauthApps:add', { name: 'Sentinel app', clientId: sim.seeded!.app.clientId, clientSecret: SENTINEL_CLIENT_SECRET, redirectUri: redirect, scopes: ['sites:read'] });
    const appId = (app as { id: string }).id;
    // Start a sign-in, then cancel it: both replies and the progress events are scanned.
    const connecting = call('oauth:connect', { appId, label: 'Sentinel OAuth' });
    await until(() => seen.some((s) => s.what === 'event event:oauthProgress' && s.text.includes('listening')));
    expect(await ok('oauth:cancel')).toEqual({ cancelled: true });
    expect((await connecting).ok).toBe(false);
    await ok('oauthApps:remove', { id: appId });

    // Revoke: Site tokens go through the dashboard, then a confirmation that Webflow rejects them.
    expect(await ok('tokens:revoke', { id })).toMatchObject({ state: 'pending', opened: false });
    await failing('tokens:confirmRevoke', { id }, 'revoke_unconfirmed');
    sim.revokeToken(SENTINEL_TOKEN);
    expect(await ok('tokens:confirmRevoke', { id })).toMatchObject({ state: 'revoked' });

    const second = sim.addToken({ kind: 'site', siteIds: [site.id] });
    const { token } = await ok('tokens:add', { label: 'To remove', secret: second.token, offline: true });
    await ok('tokens:remove', { id: (token as { id: string }).id });
    await failing('tokens:copy', { id }, 'not_found');

    await ok('vault:lock');
    const model = await session.trayModel();
    seen.push({ what: 'tray model', text: JSON.stringify(model) });

    expect([...CALL_CHANNELS].filter((c) => !covered.has(c))).toEqual([]);
    expect(seen.length).toBeGreaterThan(CALL_CHANNELS.length);
    for (const { what, text } of seen) {
      try {
        assertNoSecret(text);
      } catch {
        throw new Error(`a secret appeared in the ${what}`);
      }
    }
  });
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}
