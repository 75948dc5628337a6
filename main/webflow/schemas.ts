// Shapes of the answers a token test reads. Only the outer structure is required (an
// `authorization` object, a `sites` array); every field inside is optional and type-checked one by
// one, because the SDK types mark them all optional and the docs disagree on details such as
// whether `scope` is comma- or space-separated.
import { z } from 'zod';
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

const anyField = z.unknown();

export const IntrospectBody = z
  .object({
    authorization: z.record(z.string(), anyField),
    application: anyField.optional(),
  })
  .transform(({ authorization: a, application }) => {
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
  });
export type Introspection = z.output<typeof IntrospectBody>;

export interface ListedSite extends SiteInfo {
  workspaceId?: string;
}

export const SitesBody = z.object({ sites: z.array(anyField) }).transform(({ sites }) =>
  sites.flatMap((s): ListedSite[] => {
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
  }),
);

export const AuthorizedByBody = z.record(z.string(), anyField).transform((u): AuthorizedUser | null => {
  const user: AuthorizedUser = {};
  for (const key of ['id', 'email', 'firstName', 'lastName'] as const) {
    const v = str(u[key]);
    if (v) user[key] = v;
  }
  return Object.keys(user).length > 0 ? user : null;
});
