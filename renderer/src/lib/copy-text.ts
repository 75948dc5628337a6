// Copies plain, non-secret text (a site id, a command) from a click. The window has no clipboard
// permission (main denies every permission request), but a copy command run from a user's click
// needs none; the copy event carries exactly this text. Secrets are never copied from here: main
// copies those (tokens:copy) and clears them again.
export function copyText(text: string): boolean {
  const put = (event: ClipboardEvent) => {
    event.clipboardData?.setData('text/plain', text);
    event.preventDefault();
  };
  document.addEventListener('copy', put, { capture: true, once: true });
  try {
    return document.execCommand('copy');
  } finally {
    document.removeEventListener('copy', put, { capture: true });
  }
}
