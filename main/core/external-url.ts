// Which links the app may hand to the system browser: the few Webflow pages it actually opens (the
// dashboard, a site's settings, the OAuth consent page), over https on webflow.com. A compromised
// renderer must not be able to launch file://, custom schemes, look-alike hosts or arbitrary pages.

const WEBFLOW_HOST = 'webflow.com';

// Site short names are slugs; the settings tab is one path segment ("general", "custom-code", ...).
const ALLOWED_PATHS: readonly RegExp[] = [
  /^\/dashboard\/?$/,
  /^\/dashboard\/sites\/[A-Za-z0-9-]{1,100}(\/[a-z-]{1,40})?\/?$/,
  /^\/oauth\/authorize$/,
];

/** The normalised URL to open, or null when the link is not one the app may open. */
export function checkedExternalUrl(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  // Credentials in a URL are a classic disguise (https://webflow.com@evil.example/).
  if (url.username || url.password) return null;
  if (url.port !== '') return null;
  // URL lower-cases and punycodes the host, so look-alike Unicode hosts never compare equal.
  if (url.hostname !== WEBFLOW_HOST) return null;
  if (!ALLOWED_PATHS.some((p) => p.test(url.pathname))) return null;
  // Only the consent page takes a query; a fragment is never needed.
  if (url.hash) return null;
  if (url.search && url.pathname !== '/oauth/authorize') return null;
  return url.href;
}

export function isAllowedExternalUrl(raw: unknown): boolean {
  return checkedExternalUrl(raw) !== null;
}
