// What `scan` tells a person to do about each plaintext find: a command that handles that file.
import type { FileKind } from './file-kinds.js';

/** Quotes a path for a POSIX shell only when it needs it, so the advice can be pasted. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export const APP_CREDENTIAL_ADVICE = 'OAuth app credential: keep it with `wfvault app add --name NAME --client-id ID --redirect-uri URI` (the client secret on stdin), then delete it here';

export function adviceFor(kind: FileKind | null, path: string, line: number): string {
  const file = shellQuote(path);
  switch (kind) {
    case 'env':
    case 'shell-rc':
    case 'mcp-config':
    case 'webflowrc-js':
      return `wfvault import ${file} --rewrite`;
    case 'webflow-cli-auth':
      return `wfvault import ${file}, then \`webflow auth logout\` and run the Webflow CLI through \`wfvault exec\``;
    case 'webflowrc-json':
      return `wfvault import ${file}, then replace authToken as \`wfvault import\` explains`;
    case 'history':
      return `wfvault import ${file}, then delete line ${line} from the history`;
    default:
      return `wfvault import ${file}, then remove the token from the file and pass it with \`wfvault exec\``;
  }
}
