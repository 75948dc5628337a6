// Webflow sends `scope` as one string, comma- or space-separated depending on the source.

export function parseScopes(scope: string | readonly string[] | null | undefined): string[] {
  if (scope == null) return [];
  const parts = typeof scope === 'string' ? scope.split(/[\s,]+/) : scope.flatMap((s) => s.split(/[\s,]+/));
  return [...new Set(parts.map((s) => s.trim()).filter(Boolean))].sort();
}

export interface ScopeGroup {
  resource: string;
  read: boolean;
  write: boolean;
  other: string[];
}

/** Groups `cms:read`, `cms:write` into one row per resource, for display. */
export function groupScopes(scopes: readonly string[]): ScopeGroup[] {
  const byResource = new Map<string, ScopeGroup>();
  for (const scope of scopes) {
    const [resource = scope, access = ''] = scope.split(':');
    const group = byResource.get(resource) ?? { resource, read: false, write: false, other: [] };
    if (access === 'read') group.read = true;
    else if (access === 'write') group.write = true;
    else group.other.push(scope);
    byResource.set(resource, group);
  }
  return [...byResource.values()].sort((a, b) => a.resource.localeCompare(b.resource));
}

export function hasScope(scopes: readonly string[], scope: string): boolean {
  return scopes.includes(scope);
}
