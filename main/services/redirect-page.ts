// The OAuth authorize URL carries the login's `state`. A browser started with that URL on its
// command line shows it to every local user (/proc/*/cmdline is world-readable), and anyone who
// knows the state can finish the login with their own account's code. So the browser is handed a
// file instead: a small page that redirects to the URL, readable by this user only (0600 in a
// fresh 0700 folder), removed again when the login ends.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface RedirectPage {
  path: string;
  /** file:// URL of the page, for openers that take URLs. */
  url: string;
  remove(): Promise<void>;
}

function htmlAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function page(target: string): string {
  const attr = htmlAttr(target);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${attr}">
<title>Opening Webflow…</title></head>
<body><p>Opening Webflow's consent page… If nothing happens, <a href="${attr}">continue to Webflow</a>.</p></body></html>
`;
}

/** Where the page goes: the per-user runtime folder when there is one, else the temp folder. */
function baseDir(env: NodeJS.ProcessEnv): string {
  const runtime = env.XDG_RUNTIME_DIR?.trim();
  return runtime ? runtime : tmpdir();
}

export async function writeRedirectPage(target: string, env: NodeJS.ProcessEnv = process.env): Promise<RedirectPage> {
  // mkdtemp creates the folder with mode 0700 under a name nobody can predict.
  const dir = await mkdtemp(join(baseDir(env), 'wfvault-login-'));
  const path = join(dir, 'open-webflow.html');
  try {
    await writeFile(path, page(target), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  let removed = false;
  return {
    path,
    url: pathToFileURL(path).href,
    async remove() {
      if (removed) return;
      removed = true;
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
