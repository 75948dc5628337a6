// Which links the app may hand to the system browser. Only Webflow's own https pages qualify: a
// compromised renderer must not be able to launch file://, custom schemes or look-alike hosts.

const WEBFLOW_HOST = 'webflow.com';

export function isAllowedExternalUrl(raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  // Credentials in a URL are a classic disguise (https://webflow.com@evil.example/).
  if (url.username || url.password) return false;
  if (url.port !== '') return false;
  // URL lower-cases and punycodes the host, so look-alike Unicode hosts never compare equal.
  const host = url.hostname;
  return host === WEBFLOW_HOST || host.endsWith(`.${WEBFLOW_HOST}`);
}
