// Webflow's public v2 scopes (docs scopes page), grouped by resource for the OAuth scope picker.
export const WEBFLOW_SCOPES: readonly string[] = [
  'assets:read',
  'assets:write',
  'authorized_user:read',
  'cms:read',
  'cms:write',
  'comments:read',
  'comments:write',
  'components:read',
  'components:write',
  'custom_code:read',
  'custom_code:write',
  'ecommerce:read',
  'ecommerce:write',
  'forms:read',
  'forms:write',
  'pages:read',
  'pages:write',
  'site_activity:read',
  'site_config:read',
  'site_config:write',
  'sites:read',
  'sites:write',
  'users:read',
  'users:write',
  'workspace:read',
  'workspace:write',
  'workspace_activity:read',
];

/** A least-privilege start: enough to list sites and to show who connected. */
export const SUGGESTED_SCOPES: readonly string[] = ['authorized_user:read', 'sites:read'];

export interface ScopeRow {
  resource: string;
  read: string | null;
  write: string | null;
}

export function scopeRows(scopes: readonly string[]): ScopeRow[] {
  const rows = new Map<string, ScopeRow>();
  for (const s of scopes) {
    const [resource = s, access] = s.split(':');
    const row = rows.get(resource) ?? { resource, read: null, write: null };
    if (access === 'write') row.write = s;
    else row.read = s;
    rows.set(resource, row);
  }
  return [...rows.values()].sort((a, b) => a.resource.localeCompare(b.resource));
}
