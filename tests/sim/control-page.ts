// The simulator's control page, /_sim/ on the API host: a stand-in for the token list of Webflow's
// dashboard, so a person can revoke a seeded Site token there and then try `wfvault revoke --confirm`.
// Any web page the browser has open can POST to loopback, so every request must carry the per-run
// key `npm run sim` prints, and a request sent from another origin is refused even with it.
import { timingSafeEqual } from 'node:crypto';
import { escapeHtml, readFields, redirect, sendHtml, type SimContext } from './http-util.js';
import type { SimState, SimToken } from './state.js';

export const CONTROL_PREFIX = '/_sim';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
.banner{background:#fff3cd;border:1px solid #d6b656;padding:.6rem .9rem;border-radius:4px}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #ddd}
button{font:inherit;padding:.25rem .9rem;border-radius:4px;border:1px solid #888;cursor:pointer}`;

function keyMatches(given: string | undefined, key: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuse(ctx: SimContext, status: number, why: string): void {
  sendHtml(ctx.res, status, page('Refused', `<p>${escapeHtml(why)}</p>`));
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)} · Webflow simulator</title><style>${STYLE}</style></head>
<body>
<p class="banner"><strong>This is the Webflow simulator, not Webflow.</strong> It is a local fake running on
your computer; its tokens work only against it and are forgotten when it stops.</p>
${body}
</body>
</html>
`;
}

/** The first characters of a secret, enough to tell tokens apart, never the whole of it. */
function secretPrefix(token: SimToken): string {
  return `${token.token.slice(0, 6)}…`;
}

function listPage(state: SimState, key: string): string {
  const rows = [...state.tokens.values()]
    .map((t) => {
      const action =
        t.kind === 'site' && !t.revoked
          ? `<form method="post" action="${CONTROL_PREFIX}/revoke"><input type="hidden" name="key" value="${escapeHtml(key)}"><input type="hidden" name="id" value="${escapeHtml(t.id)}"><button type="submit">Revoke</button></form>`
          : '';
      return `<tr><td><code>${escapeHtml(t.id)}</code></td><td>${escapeHtml(t.kind)}</td><td><code>${escapeHtml(secretPrefix(t))}</code></td><td>${escapeHtml(t.scopes.join(', '))}</td><td>${t.revoked ? 'revoked' : 'active'}</td><td>${action}</td></tr>`;
    })
    .join('\n');
  return page(
    'Tokens',
    `<h1>Simulated API access tokens</h1>
<p>Revoking a Site token here is what deleting it under Apps &amp; integrations → API access does on
Webflow: from then on the simulator answers it with 401.</p>
<table>
<tr><th>Id</th><th>Kind</th><th>Starts with</th><th>Scopes</th><th>Status</th><th></th></tr>
${rows}
</table>`,
  );
}

/** Serves /_sim/...; answers every request it is given. */
export async function handleControl(ctx: SimContext, state: SimState, key: string, ownOrigin: string): Promise<void> {
  const origin = ctx.req.headers.origin;
  if (origin !== undefined && origin !== ownOrigin) return refuse(ctx, 403, 'Requests from other web pages are refused.');
  if (ctx.req.method === 'GET' && (ctx.path === CONTROL_PREFIX || ctx.path === `${CONTROL_PREFIX}/`)) {
    if (!keyMatches(ctx.url.searchParams.get('key') ?? undefined, key)) {
      return refuse(ctx, 403, 'Open the control page with the address `npm run sim` printed (it holds this run’s key).');
    }
    return sendHtml(ctx.res, 200, listPage(state, key));
  }
  if (ctx.req.method === 'POST' && ctx.path === `${CONTROL_PREFIX}/revoke`) {
    const fields = await readFields(ctx.req);
    if (!fields || !keyMatches(fields.key, key)) return refuse(ctx, 403, 'The control key is missing or wrong.');
    const token = [...state.tokens.values()].find((t) => t.id === fields.id);
    if (!token) return refuse(ctx, 404, 'No simulated token has that id.');
    if (token.kind !== 'site') return refuse(ctx, 400, 'Only Site tokens are revoked in the dashboard; revoke others through their own flow.');
    token.revoked = true;
    // 303 so a browser reloads the list with GET instead of re-posting.
    return redirect(ctx.res, `${CONTROL_PREFIX}/?key=${encodeURIComponent(key)}`, 303);
  }
  return refuse(ctx, 404, 'Unknown control address.');
}
