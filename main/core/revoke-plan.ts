// What revoking means for each kind of token. Webflow has no API to revoke Site or Workspace
// tokens, so for those the plan is a guided trip to the dashboard followed by a verification.
import type { PublicToken } from './token.js';

export interface RevokePlan {
  method: 'api' | 'dashboard';
  /** Where to click, in Webflow's own words. */
  steps: string;
  /** A page to open; the Apps & integrations path segment is not documented, so this is the closest known page. */
  url: string;
}

export function revokePlan(token: PublicToken, webflowBaseUrl: string): RevokePlan {
  const base = webflowBaseUrl.replace(/\/+$/, '');
  if (token.kind === 'oauth') {
    return {
      method: 'api',
      steps: "Revoked through Webflow's OAuth API with the app's client credentials, then verified by a test that must fail with 401.",
      url: `${base}/dashboard`,
    };
  }
  if (token.kind === 'workspace') {
    return {
      method: 'dashboard',
      steps: 'In Webflow: Workspace → Apps & integrations → Manage → Workspace API access → find the token → Revoke.',
      url: `${base}/dashboard`,
    };
  }
  const shortName = token.sites.find((s) => s.shortName)?.shortName;
  return {
    method: 'dashboard',
    steps: 'In Webflow: Site settings → Apps & integrations → API access → find the token → Revoke.',
    url: shortName ? `${base}/dashboard/sites/${encodeURIComponent(shortName)}/general` : `${base}/dashboard`,
  };
}
