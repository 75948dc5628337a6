// Who a token speaks for, in one phrase. Shown right after an OAuth login so that a person notices
// when the browser completed the login with an account that is not theirs (another user, another
// workspace): the login then stored someone else's token.
import type { PublicToken } from './token.js';

const MAX_SITES_NAMED = 3;

function person(token: PublicToken): string | null {
  const u = token.authorizedUser;
  if (!u) return null;
  const name = [u.firstName, u.lastName].filter(Boolean).join(' ');
  if (u.email) return name ? `${name} <${u.email}>` : u.email;
  return name || null;
}

/** "Ada Lovelace <ada@example.com>; workspace 64f1…; sites Acme, Docs" (or what is known of it). */
export function accountSummary(token: PublicToken): string {
  const parts = [person(token) ?? 'a Webflow user who did not share a name or e-mail (the authorized_user:read scope shows them)'];
  if (token.workspaceIds.length > 0) parts.push(`workspace${token.workspaceIds.length === 1 ? '' : 's'} ${token.workspaceIds.join(', ')}`);
  const sites = token.sites.length > 0 ? token.sites.map((s) => s.displayName ?? s.shortName ?? s.id) : token.siteIds;
  if (sites.length > 0) {
    const named = sites.slice(0, MAX_SITES_NAMED).join(', ');
    const more = sites.length > MAX_SITES_NAMED ? ` and ${sites.length - MAX_SITES_NAMED} more` : '';
    parts.push(`site${sites.length === 1 ? '' : 's'} ${named}${more}`);
  }
  return parts.join('; ');
}
