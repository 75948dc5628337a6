// Public token records in bulk, and a stand-in for main that serves them, for the window's scale
// test and benchmark. Records only: none of them has or needs a secret.
import type { CallChannel } from '../../preload/contract.js';
import { Settings, type PublicToken, type TokenKind } from '../../main/core/token.js';
import { lastTest, publicToken } from './tokens.js';

const RESOURCES = ['assets', 'cms', 'forms', 'pages', 'sites', 'users', 'ecommerce', 'custom_code', 'authorized_user'];
const KINDS: TokenKind[] = ['site', 'site', 'site', 'workspace', 'oauth'];
const DAY = 86_400_000;

/** `n` varied records (kinds, sites, scopes, health, ages), the same for the same `n`. */
export function manyTokens(n: number, now = Date.now()): PublicToken[] {
  const out: PublicToken[] = [];
  for (let i = 0; i < n; i++) {
    const kind = KINDS[i % KINDS.length]!;
    const site = i % 97;
    const scopes = RESOURCES.filter((_, r) => (i + r) % 3 === 0).flatMap((r, k) => (k % 2 === 0 ? [`${r}:read`, `${r}:write`] : [`${r}:read`]));
    const lastUsed = new Date(now - ((i * 7) % 360) * DAY).toISOString();
    const failing = i % 13 === 0;
    out.push(
      publicToken({
        id: `tok${i.toString(36).padStart(7, '0')}`,
        label: `Client ${String(i).padStart(5, '0')} ${kind === 'oauth' ? 'OAuth' : kind === 'workspace' ? 'workspace' : 'site'}`,
        kind,
        scopes,
        siteIds: kind === 'workspace' ? [] : [`site${site}`],
        sites: kind === 'workspace' ? [] : [{ id: `site${site}`, displayName: `Site number ${site}`, shortName: `site-${site}` }],
        workspaceIds: kind === 'workspace' ? ['ws1'] : [],
        createdOn: new Date(now - (i % 500) * DAY).toISOString(),
        lastUsedAt: lastUsed,
        addedAt: new Date(now - (i % 400) * DAY).toISOString(),
        lastLocalUseAt: i % 4 === 0 ? null : new Date(now - (i % 30) * DAY).toISOString(),
        lastTest: lastTest(failing ? { ok: false, httpStatus: 401, code: 'not_authorized', message: 'Webflow rejected the token (401 not_authorized).' } : {}),
        expiresAt: kind === 'oauth' ? null : new Date(Date.parse(lastUsed) + 365 * DAY).toISOString(),
        tags: i % 5 === 0 ? ['prod'] : [],
      }),
    );
  }
  return out;
}

/** Answers the calls the list screen makes on start; anything else is refused like main would. */
export function listOnlyMain(tokens: PublicToken[]): (channel: CallChannel, payload: unknown) => Promise<unknown> {
  const settings = Settings.parse({});
  const replies: Partial<Record<CallChannel, unknown>> = {
    'vault:status': { state: 'unlocked', mode: 'keychain', path: '/bench/vault.wfv' },
    'tokens:list': { tokens, tombstones: [] },
    'settings:get': { settings },
    'oauthApps:list': { apps: [] },
  };
  return async (channel) =>
    channel in replies ? { ok: true, value: replies[channel] } : { ok: false, error: { code: 'failed', message: 'Not available in this stand-in.' } };
}
