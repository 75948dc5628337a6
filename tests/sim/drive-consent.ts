// Drives the simulator's consent screen the way a person in a browser would: open the authorize
// link, read the form, press Authorize or Deny. Used by tests of the OAuth flow.

export interface ConsentResult {
  /** Status of the authorize page itself (200 for the form, 302 for an early redirect, 400 for a refusal). */
  pageStatus: number;
  html: string;
  /** Where the browser was sent back to, if it was. */
  location: URL | null;
}

export async function openAuthorize(authorizeUrl: string): Promise<{ status: number; html: string; location: URL | null }> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await res.text();
  const loc = res.headers.get('location');
  return { status: res.status, html, location: loc ? new URL(loc) : null };
}

/** Follows the consent form; `decision` is the button pressed. */
export async function consent(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<ConsentResult> {
  const page = await openAuthorize(authorizeUrl);
  if (page.status !== 200) return { pageStatus: page.status, html: page.html, location: page.location };
  const request = /name="request" value="([^"]+)"/.exec(page.html)?.[1];
  if (!request) throw new Error('consent page has no request field');
  const res = await fetch(new URL('/oauth/authorize/decision', authorizeUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request, decision }).toString(),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  const loc = res.headers.get('location');
  return { pageStatus: page.status, html: page.html, location: loc ? new URL(loc) : null };
}
