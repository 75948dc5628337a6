// Opens the authorize URL in the user's browser ($BROWSER when set, else the platform's opener)
// through a redirecting page in a private file, so the URL and its state never sit in a command
// line (see services/redirect-page.ts).
import { spawn } from 'node:child_process';
import { writeRedirectPage, type RedirectPage } from '../services/redirect-page.js';

export interface BrowserOpener {
  open(url: string): Promise<void>;
  /** Removes the redirecting page; call when the login has ended, whichever way. */
  close(): Promise<void>;
}

function launch(target: string): Promise<void> {
  const [command, args] =
    process.env.BROWSER
      ? [process.env.BROWSER, [target]]
      : process.platform === 'darwin'
        ? ['open', [target]]
        : process.platform === 'win32'
          ? ['rundll32', ['url.dll,FileProtocolHandler', target]]
          : ['xdg-open', [target]];
  return new Promise((resolve) => {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    // Failing to open a browser is not fatal: the URL is printed for the user to open.
    child.once('error', () => resolve());
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export function browserOpener(): BrowserOpener {
  let page: RedirectPage | null = null;
  return {
    async open(url) {
      page = await writeRedirectPage(url);
      await launch(page.url);
    },
    async close() {
      await page?.remove();
    },
  };
}
