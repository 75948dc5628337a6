// Shapes of the answers a token test reads. Only the outer structure is required (an
// `authorization` object, a `sites` array); every field inside is optional and type-checked one by
// one, because the SDK types mark them all optional and the docs disagree on details such as
// whether `scope` is comma- or space-separated.
//
// Checked by hand rather than with zod: the shapes are an object or an array at the top and
// nothing more, and zod is a 700 KB chunk that `wfvault add` and `test` would otherwise load and
// compile on every run for them alone (a sixth of `add`'s CPU time).
import { cleanText } from '../core/safe-text.js';
import { parseScopes } from '../core/scopes.js';
import type { AuthorizedUser, SiteInfo } from '../core/token.js';
import type { ApplicationInfo } from '../core/test-outcome.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A server string with its control characters and bidi overrides taken out, as soon as it is parsed. */
function str(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const clean = cleanText(v);
  return clean !== '' ? clean : null;
}

function ids(v: unknown): string[] {
  return Array.isArray(v) ? [...new Set(v.map(str).filter((x): x is string => x !== null))] : [];
}

function int(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return Math.round(v);
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  return null;
}

function scopes(v: unknown): string[] {
  if (typeof v === 'string') return parseScopes(v);
  if (Array.isArray(v)) return parseScopes(v.filter((x): x is string => typeof x === 'string'));
  return [];
}

export interface Introspection {
  id: string | null;
  createdOn: string | null;
  lastUsed: string | null;
  grantType: string | null;
  rateLimit: number | null;
  scopes: string[];
  siteIds: string[];
  workspaceIds: string[];
  userIds: string[];
  application: ApplicationInfo | null;
}

/** An introspect answer: `authorization` must be an object; null when it is not. */
export function readIntrospection(body: unknown): Introspection | null {
  if (!isObj(body) || !isObj(body.authorization)) return null;
  const a = body.authorization;
  const application = body.application;
  const to = isObj(a.authorizedTo) ? a.authorizedTo : {};
  const app: ApplicationInfo | null = isObj(application)
    ? { id: str(application.id), displayName: str(application.displayName), description: str(application.description), homepage: str(application.homepage) }
    : null;
  return {
    id: str(a.id),
    createdOn: str(a.createdOn),
    lastUsed: str(a.lastUsed),
    grantType: str(a.grantType),
    rateLimit: int(a.rateLimit),
    scopes: scopes(a.scope),
    siteIds: ids(to.siteIds),
    workspaceIds: ids(to.workspaceIds),
    userIds: ids(to.userIds),
    application: app,
  };
}

export interface ListedSite extends SiteInfo {
  workspaceId?: string;
}

/** A site list answer: `sites` must be an array (entries without an id are skipped); null when it is not. */
export function readSiteList(body: unknown): ListedSite[] | null {
  if (!isObj(body) || !Array.isArray(body.sites)) return null;
  return body.sites.flatMap((s: unknown): ListedSite[] => {
    if (!isObj(s)) return [];
    const id = str(s.id);
    if (!id) return [];
    const site: ListedSite = { id };
    const displayName = str(s.displayName);
    const shortName = str(s.shortName);
    const workspaceId = str(s.workspaceId);
    if (displayName) site.displayName = displayName;
    if (shortName) site.shortName = shortName;
    if (workspaceId) site.workspaceId = workspaceId;
    return [site];
  });
}

/**
 * An authorized_by answer: must be an object; the user it names, or null when it names none.
 * `undefined` when the answer is not an object at all.
 */
export function readAuthorizedUser(body: unknown): AuthorizedUser | null | undefined {
  if (!isObj(body)) return undefined;
  const user: AuthorizedUser = {};
  for (const key of ['id', 'email', 'firstName', 'lastName'] as const) {
    const v = str(body[key]);
    if (v) user[key] = v;
  }
  return Object.keys(user).length > 0 ? user : null;
}
