// The ways a hostile or careless server can echo a token back: whole, re-cased, encoded or cut.
// Tests inject them all and then look for any 12-character window of any of them.

export function echoForms(secret: string): Record<string, string> {
  const pct = (s: string) => [...s].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
  return {
    exact: secret,
    upper: secret.toUpperCase(),
    base64: Buffer.from(`Bearer ${secret}`).toString('base64'),
    base64url: Buffer.from(`?${secret}!`).toString('base64url'),
    percent: pct(secret),
    cut: secret.slice(9, 23),
  };
}

/** Every form at once, as one hostile sentence. */
export function echoSentence(secret: string): string {
  return Object.entries(echoForms(secret))
    .map(([name, form]) => `${name}=${form}`)
    .join(' ');
}

/** Throws when the text holds 12 or more consecutive characters of any echo form (letter case ignored). */
export function assertNoEcho(text: string, secret: string, where: string): void {
  const haystack = text.toLowerCase();
  for (const [name, form] of Object.entries(echoForms(secret))) {
    const f = form.toLowerCase();
    for (let i = 0; i + 12 <= f.length; i++) {
      if (haystack.includes(f.slice(i, i + 12))) throw new Error(`the ${name} echo of a token appeared in ${where}`);
    }
  }
}

/** Throws when human output holds a control byte other than newline and tab, a C1 control or a bidi override. */
export function assertTerminalSafe(text: string, where: string): void {
  // eslint-disable-next-line no-control-regex
  const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.exec(text);
  if (bad) throw new Error(`${where} holds U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}: ${JSON.stringify(text.slice(Math.max(0, bad.index - 20), bad.index + 20))}`);
}
