// Connecting a Webflow account through the user's own OAuth app, and storing the token it yields.
import { AppError, isAppError } from '../core/errors.js';
import { parseScopes } from '../core/scopes.js';
import { checkLabel } from '../core/text-fields.js';
import type { PublicToken } from '../core/token.js';
import { runLoopbackLogin, type LoginProgress } from '../webflow/loopback-login.js';
import type { ServiceDeps } from './deps.js';
import { findApp } from './oauth-apps.js';
import { addToken } from './tokens.js';

export interface LoginInput {
  app: string;
  scopes?: readonly string[] | string;
  label?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  openBrowser?: (url: string) => Promise<void> | void;
  onProgress?: (progress: LoginProgress) => void;
}

export async function loginWithApp(deps: ServiceDeps, input: LoginInput): Promise<PublicToken> {
  // What can be refused without the vault is refused before it opens (and asks for a passphrase).
  const wanted = input.label === undefined ? undefined : checkLabel(input.label);
  const requested = parseScopes(input.scopes ?? []);
  const data = await deps.vault.read();
  const app = findApp(data, input.app);
  const scopes = requested.length > 0 ? requested : app.scopes;
  if (scopes.length === 0) throw new AppError('usage', `The profile "${app.name}" has no default scopes: pass --scopes, for example --scopes sites:read,cms:read.`, {
      window: `The profile "${app.name}" has no default scopes: choose the scopes to ask for.`,
    });

  // Refuse a taken label before the login, not after: a token issued and then not stored would be
  // live at Webflow with no copy anywhere.
  if (wanted && data.tokens.some((t) => t.label === wanted)) {
    throw new AppError('name_taken', `The label "${wanted}" is already used; pick another with --label.`, { window: `The label "${wanted}" is already used; pick another label.` });
  }
  let stored: PublicToken | null = null;
  const labels = new Set(data.tokens.map((t) => t.label));
  const base = wanted || `${app.name} ${deps.now().toISOString().slice(0, 10)}`;
  let label = base;
  for (let n = 2; labels.has(label) && !input.label; n++) label = `${base} (${n})`;
  await runLoopbackLogin({
    config: deps.webflow,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: app.redirectUri,
    scopes,
    timeoutMs: input.timeoutMs,
    signal: input.signal,
    openBrowser: input.openBrowser,
    onProgress: input.onProgress,
    onAccessToken: async (accessToken) => {
      stored = await keepIssuedToken(deps, { label, secret: accessToken, oauthAppId: app.id });
    },
  });
  if (!stored) throw new AppError('failed', 'The login ended without a token.');
  return stored;
}

/**
 * A token Webflow has just issued is live: it is kept even when the check that normally comes
 * first cannot run (Webflow busy, unreachable), and the record says it is untested.
 */
async function keepIssuedToken(deps: ServiceDeps, input: { label: string; secret: string; oauthAppId: string }): Promise<PublicToken> {
  try {
    return (await addToken(deps, { ...input, kind: 'oauth' })).token;
  } catch (e) {
    if (!(isAppError(e) && ['network', 'timeout', 'malformed_response', 'rate_limited'].includes(e.code))) throw e;
    const note = `Stored without a check: ${e.message} Test it to fill in its scopes and sites.`;
    return (await addToken(deps, { ...input, kind: 'oauth', offline: true, notes: note })).token;
  }
}
