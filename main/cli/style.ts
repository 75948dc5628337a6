// Terminal output helpers. Colour only on a TTY and never with NO_COLOR.
import { escapeText } from '../core/safe-text.js';

const useColor = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';

function paint(code: number, stream: NodeJS.WriteStream) {
  return (text: string) => (useColor(stream) ? `\u001b[${code}m${text}\u001b[0m` : text);
}

export const out = {
  green: paint(32, process.stdout),
  red: paint(31, process.stdout),
  yellow: paint(33, process.stdout),
  dim: paint(2, process.stdout),
  bold: paint(1, process.stdout),
};

export const err = {
  red: paint(31, process.stderr),
  yellow: paint(33, process.stderr),
  dim: paint(2, process.stderr),
};

// C1 controls and bidi overrides survive JSON.stringify raw; as \u escapes the JSON means the same.
const JSON_UNSAFE = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function jsonText(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(JSON_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${jsonText(value)}\n`);
}

// Our own colour codes are the one escape sequence a line may carry, and only where colour is on.
// eslint-disable-next-line no-control-regex
const SGR = /^\u001b\[[0-9;]*m$/;

/** Text for a terminal: every control character but newline and tab (and our colours) made visible. */
export function terminalText(text: string, colour: boolean): string {
  // eslint-disable-next-line no-control-regex
  const parts = colour ? text.split(/(\u001b\[[0-9;]*m)/) : [text];
  return parts.map((part, i) => (colour && i % 2 === 1 && SGR.test(part) ? part : part.split(/([\n\t])/).map((p) => (p === '\n' || p === '\t' ? p : escapeText(p))).join(''))).join('');
}

/**
 * Makes every string this process writes to a stream terminal-safe: file names, labels and
 * anything Webflow said reach the terminal with their escapes shown, not obeyed. Installed once at
 * start-up, so commands added later are covered too. Only strings are changed: a child's output
 * that `exec` passes through arrives as Buffers and reaches the terminal byte for byte.
 */
export function guardOutput(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const colour = useColor(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? terminalText(chunk, colour) : chunk, ...rest)) as typeof stream.write;
}

export function info(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`${err.yellow('warning:')} ${message}\n`);
}

/** Left-aligned columns; the last column is not padded. */
export function table(rows: string[][]): string {
  if (rows.length === 0) return '';
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => visible(r[i] ?? '').length)));
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - visible(cell).length))).join('  '))
    .join('\n');
}

function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
