// What a plaintext Webflow token looks like in a file. Webflow's Site, Workspace and OAuth tokens
// are 64 hexadecimal characters; other 64-hex values (hashes, commit ids) are common, so a match
// counts only where its line, its variable or key, the enclosing object or the file's path
// mentions Webflow, or when the value is already in the vault.
export const TOKEN_RE = /(?<![0-9a-fA-F])[0-9a-f]{64}(?![0-9a-fA-F])/g;

export function tokenCandidates(line: string): string[] {
  return [...line.matchAll(TOKEN_RE)].map((m) => m[0]);
}

export function mentionsWebflow(text: string): boolean {
  return /webflow/i.test(text);
}

export function looksLikeToken(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

/**
 * A value that may be a Webflow token: 64 lowercase hex, or the looser 64 alphanumerics that
 * public secret scanners accept when the variable's name says WEBFLOW.
 */
export function looksLikeTokenNamed(name: string, value: string): boolean {
  return looksLikeToken(value) || (mentionsWebflow(name) && /^[A-Za-z0-9]{64}$/.test(value));
}

/**
 * OAuth apps' own settings (`WEBFLOW_CLIENT_ID`, `WEBFLOW_CLIENT_SECRET`, the CLI's
 * `WEBFLOW_OAUTH_CLIENT_ID`, `clientSecret`, any `*SECRET*`) are 64 hex as well, but they are not
 * tokens: they are never imported as one nor sent to Webflow as a Bearer token.
 */
export function isAppCredentialName(name: string): boolean {
  const flat = name.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return flat.includes('CLIENTID') || flat.includes('CLIENTSECRET') || flat.includes('SECRET');
}
