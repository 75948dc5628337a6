// Terminal output helpers. Colour only on a TTY and never with NO_COLOR.
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

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
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
