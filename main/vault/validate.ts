// Structural check of decrypted vault data. `VaultData.parse` is the definition, but at 10,000
// tokens it costs more than JSON.parse itself, and the data it checks is authenticated by AES-GCM
// and was checked here before it was written. So tokens, the only large part, get a hand-written
// check of the fields the code relies on, applying the schema's defaults the same way. The small
// parts are checked by hand too, so that opening the vault never loads the schema library: that
// alone is a fifth of `wfvault exec`'s start-up. tests/unit/vault-validate.test.ts holds this
// check to the schemas.
import { AppError } from '../core/errors.js';
import type { StoredToken, VaultData } from '../core/token.js';
import { DEFAULT_SETTINGS, SETTINGS_RULES, TOKEN_KINDS } from '../core/token-model.js';

const KINDS: ReadonlySet<string> = new Set(TOKEN_KINDS);

class Invalid extends Error {}

/**
 * Returns the data with schema defaults applied (in place, for speed), or throws
 * AppError('vault_corrupt') naming the first bad field by path; values are never quoted, since
 * they may be secrets.
 */
export function checkVaultData(raw: unknown): VaultData {
  try {
    if (!isObject(raw)) throw new Invalid('the top level is not an object');
    const data = raw as Record<string, unknown>;
    data.tokens = data.tokens === undefined ? [] : data.tokens;
    if (!Array.isArray(data.tokens)) throw new Invalid('tokens is not a list');
    const tokens = data.tokens as unknown[];
    for (let i = 0; i < tokens.length; i++) checkToken(tokens[i], i);
    data.tombstones = list(data.tombstones, 'tombstones', checkTombstone);
    data.apps = list(data.apps, 'apps', checkApp);
    data.settings = checkSettings(data.settings ?? {});
    if (data.teamKeys !== undefined) checkTeamKeys(data.teamKeys);
    return data as unknown as VaultData;
  } catch (e) {
    if (e instanceof Invalid) throw new AppError('vault_corrupt', `The vault data does not have the expected shape: ${e.message}.`);
    throw e;
  }
}

function list(value: unknown, name: string, check: (item: unknown, at: (field: string) => Invalid) => void): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Invalid(`${name} is not a list`);
  value.forEach((item, i) => {
    if (!isObject(item)) throw new Invalid(`${name}[${i}] is not an object`);
    check(item, (field) => new Invalid(`${name}[${i}].${field} is missing or invalid`));
  });
  return value;
}

function checkTombstone(value: unknown, at: (field: string) => Invalid): void {
  const t = value as Record<string, unknown>;
  if (typeof t.id !== 'string' || t.id.length < 4) throw at('id');
  if (typeof t.label !== 'string') throw at('label');
  if (typeof t.kind !== 'string' || !KINDS.has(t.kind)) throw at('kind');
  if (typeof t.revokedAt !== 'string' || t.revokedAt.length === 0) throw at('revokedAt');
}

function checkApp(value: unknown, at: (field: string) => Invalid): void {
  const a = value as Record<string, unknown>;
  if (typeof a.id !== 'string' || a.id.length < 4) throw at('id');
  for (const field of ['name', 'clientId', 'clientSecret', 'redirectUri', 'addedAt'] as const) {
    if (typeof a[field] !== 'string' || (a[field] as string).length === 0) throw at(field);
  }
  if (!isStringArray(a.scopes)) throw at('scopes');
}

function checkSettings(value: unknown): VaultData['settings'] {
  if (!isObject(value)) throw new Invalid('settings is not an object');
  const s = value as Record<string, unknown>;
  for (const [name, rule] of Object.entries(SETTINGS_RULES)) {
    if (s[name] === undefined) s[name] = rule.default;
    const n = s[name];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < rule.min || n > rule.max) throw new Invalid(`settings.${name} is invalid`);
  }
  for (const name of ['trayOnClose', 'launchAtLogin'] as const) {
    if (s[name] === undefined) s[name] = DEFAULT_SETTINGS[name];
    if (typeof s[name] !== 'boolean') throw new Invalid(`settings.${name} is invalid`);
  }
  return s as VaultData['settings'];
}

function checkTeamKeys(value: unknown): void {
  if (!isObject(value)) throw new Invalid('teamKeys is not an object');
  for (const [account, secret] of Object.entries(value as Record<string, unknown>)) {
    if (typeof secret !== 'string' || secret.length === 0) throw new Invalid(`teamKeys.${account.slice(0, 80)} is missing or invalid`);
  }
}

function checkToken(value: unknown, i: number): void {
  const at = (field: string) => new Invalid(`tokens[${i}].${field} is missing or invalid`);
  if (!isObject(value)) throw new Invalid(`tokens[${i}] is not an object`);
  const t = value as Record<keyof StoredToken, unknown>;
  if (typeof t.id !== 'string' || t.id.length < 4) throw at('id');
  if (typeof t.label !== 'string' || t.label.length === 0) throw at('label');
  if (typeof t.kind !== 'string' || !KINDS.has(t.kind)) throw at('kind');
  if (typeof t.secret !== 'string' || t.secret.length === 0) throw at('secret');
  if (!isStringArray(t.scopes)) throw at('scopes');
  if (!isStringArray(t.siteIds)) throw at('siteIds');
  if (!isStringArray(t.workspaceIds)) throw at('workspaceIds');
  if (t.sites === undefined) t.sites = [];
  else if (!Array.isArray(t.sites) || !t.sites.every((s) => isObject(s) && typeof (s as { id?: unknown }).id === 'string')) throw at('sites');
  if (t.authorizedUser === undefined) t.authorizedUser = null;
  else if (t.authorizedUser !== null && !isObject(t.authorizedUser)) throw at('authorizedUser');
  if (t.grantType === undefined) t.grantType = null;
  else if (t.grantType !== null && typeof t.grantType !== 'string') throw at('grantType');
  if (!isNullableDate(t.createdOn)) throw at('createdOn');
  if (!isNullableDate(t.lastUsedAt)) throw at('lastUsedAt');
  if (typeof t.addedAt !== 'string' || t.addedAt.length === 0) throw at('addedAt');
  if (!isNullableDate(t.lastLocalUseAt)) throw at('lastLocalUseAt');
  if (t.lastTest !== null && !isLastTest(t.lastTest)) throw at('lastTest');
  if (t.testHistory === undefined) t.testHistory = [];
  else if (!Array.isArray(t.testHistory) || !t.testHistory.every(isLastTest)) throw at('testHistory');
  if (!isNullableDate(t.expiresAt)) throw at('expiresAt');
  if (!isNullableDate(t.revokePendingSince)) throw at('revokePendingSince');
  if (t.notes === undefined) t.notes = '';
  else if (typeof t.notes !== 'string') throw at('notes');
  if (t.tags === undefined) t.tags = [];
  else if (!isStringArray(t.tags)) throw at('tags');
  if (t.oauthAppId === undefined) t.oauthAppId = null;
  else if (t.oauthAppId !== null && typeof t.oauthAppId !== 'string') throw at('oauthAppId');
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const s of v) if (typeof s !== 'string') return false;
  return true;
}

function isNullableDate(v: unknown): boolean {
  return v === null || (typeof v === 'string' && v.length > 0);
}

function isLastTest(v: unknown): boolean {
  if (!isObject(v)) return false;
  const t = v as Record<string, unknown>;
  return typeof t.at === 'string' && typeof t.ok === 'boolean' && typeof t.message === 'string' && typeof t.latencyMs === 'number';
}
