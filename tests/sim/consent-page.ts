// HTML of the simulated consent and error pages. Plain forms, no script: a person can click
// through them in a browser and a test can drive them with two HTTP requests.
import { escapeHtml } from './http-util.js';
import type { PendingConsent, SimApp } from './state.js';

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.3rem}.note{color:#666;font-size:.85rem}ul{padding-left:1.2rem}
button{font:inherit;padding:.5rem 1.2rem;margin-right:.5rem;border-radius:4px;border:1px solid #888;cursor:pointer}
button.primary{background:#146ef5;color:#fff;border-color:#146ef5}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<p class="note">Webflow simulator: a local fake of Webflow's consent screen.</p>
${body}
</body>
</html>
`;
}

export function consentPage(app: SimApp, consent: PendingConsent): string {
  const scopes = consent.scopes.map((s) => `  <li><code>${escapeHtml(s)}</code></li>`).join('\n');
  return page(
    `Authorize ${app.name}`,
    `<h1><strong>${escapeHtml(app.name)}</strong> wants to access your Webflow account</h1>
<p>It asks for these permissions:</p>
<ul class="scopes">
${scopes}
</ul>
<p>It will be sent back to <code>${escapeHtml(consent.redirectUri)}</code>.</p>
<form method="post" action="/oauth/authorize/decision">
  <input type="hidden" name="request" value="${escapeHtml(consent.id)}">
  <button type="submit" name="decision" value="allow" class="primary">Authorize</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>`);
}
