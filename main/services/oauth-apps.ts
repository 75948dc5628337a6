// OAuth app profiles: the user's own Webflow Data Client apps. The client secret is kept in the
// vault like a token and never leaves it except towards Webflow.
import { AppError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { resolveRef } from '../core/ref.js';
import { parseScopes } from '../core/scopes.js';
import { normalizeSecret } from '../core/secret.js';
import type { PublicOAuthApp, StoredOAuthApp, VaultData } from '../core/token.js';
import { toPublicApp } from '../core/token-values.js';
import { parseLoopbackRedirect } from '../webflow/loopback-redirect.js';
import type { ServiceDeps } from './deps.js';

export interface AddAppInput {
  name: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes?: readonly string[] | string;
}

export function findApp(data: VaultData, ref: string): StoredOAuthApp {
  try {
    const match = resolveRef(data.apps.map((a) => ({ id: a.id, label: a.name })), ref);
    return data.apps.find((a) => a.id === match.id)!;
  } catch (e) {
    if (e instanceof AppError && e.code === 'ref_not_found') {
      throw new AppError('ref_not_found', `No OAuth app profile matches "${ref}". Run \`wfvault app list\`, or add one with \`wfvault app add\`.`);
    }
    throw e;
  }
}

export async function addApp(deps: ServiceDeps, input: AddAppInput): Promise<PublicOAuthApp> {
  const name = input.name.trim();
  if (!name) throw new AppError('usage', 'An app profile needs a name (--name).', { window: 'An app profile needs a name.' });
  const clientId = input.clientId.trim();
  if (!clientId || /\s/.test(clientId)) throw new AppError('usage', 'The client id is missing or contains whitespace (--client-id).', { window: 'The client id is missing or contains whitespace.' });
  const clientSecret = normalizeSecret(input.clientSecret, 'client secret');
  parseLoopbackRedirect(input.redirectUri);
  const scopes = parseScopes(input.scopes ?? []);
  return deps.vault.update((data) => {
    if (data.apps.some((a) => a.name === name)) throw new AppError('name_taken', `An app profile named "${name}" already exists; remove it first or pick another name.`);
    const app: StoredOAuthApp = {
      id: newId(new Set(data.apps.map((a) => a.id))),
      name,
      clientId,
      clientSecret,
      redirectUri: input.redirectUri,
      scopes,
      addedAt: deps.now().toISOString(),
    };
    data.apps.push(app);
    return toPublicApp(app);
  });
}

export async function listApps(deps: ServiceDeps): Promise<PublicOAuthApp[]> {
  return (await deps.vault.read()).apps.map(toPublicApp);
}

export async function showApp(deps: ServiceDeps, ref: string): Promise<PublicOAuthApp> {
  return toPublicApp(findApp(await deps.vault.read(), ref));
}

/** Removes a profile. Tokens issued through it stay, but can then only be revoked in Webflow. */
export async function removeApp(deps: ServiceDeps, ref: string): Promise<{ app: PublicOAuthApp; tokensLeft: number }> {
  return deps.vault.update((data) => {
    const app = findApp(data, ref);
    data.apps = data.apps.filter((a) => a.id !== app.id);
    return { app: toPublicApp(app), tokensLeft: data.tokens.filter((t) => t.oauthAppId === app.id).length };
  });
}
