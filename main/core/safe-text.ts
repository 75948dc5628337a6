// Text from elsewhere (Webflow's answers, file names found on disk) that ends up in a terminal or
// a menu. C0/C1 control characters carry terminal escapes (OSC 52 writes the clipboard, CSI moves
// the cursor) and bidi overrides make text read differently from what it is, so server strings are
// cleaned when parsed and every human-readable output escapes whatever is left.

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A server string fit to store: controls become spaces, bidi overrides go, runs of space collapse. */
export function cleanText(text: string): string {
  return text.replace(BIDI, '').replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** A value for one line of human output: every control or bidi character shown as a visible escape. */
export function escapeText(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

