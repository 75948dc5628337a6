// Reading secrets: from stdin when it is piped, from a no-echo prompt when it is a terminal.
// Never from argv or environment (except the documented passphrase sources).
import { AppError } from '../core/errors.js';
import { decodeSecretBytes, MAX_SECRET_BYTES, normalizeSecret } from '../core/secret.js';
import { givenPassphrase } from './passphrase-sources.js';
import { MIN_PASSPHRASE_CHARS } from '../vault/keys.js';

/** Reads at most MAX_SECRET_BYTES (+ a little whitespace) from piped stdin; more is refused without reading on. */
export async function readPipedSecret(what: string): Promise<string> {
  // Room for the surrounding whitespace a paste brings along, which is trimmed.
  const limit = MAX_SECRET_BYTES + 64;
  const chunks: Buffer[] = [];
  let size = 0;
  const stdin = process.stdin;
  for await (const chunk of stdin as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    size += chunk.length;
    if (size > limit) {
      stdin.destroy();
      throw new AppError('invalid_secret', `The ${what} on stdin is longer than ${MAX_SECRET_BYTES} bytes; Webflow tokens are much shorter. Check what was piped in.`);
    }
  }
  return normalizeSecret(decodeSecretBytes(Buffer.concat(chunks), what), what);
}

/** A prompt on stderr whose answer is not echoed. Ctrl-C cancels with exit 130. */
export function promptHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let answer = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err: Error | null) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(answer);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(null);
        if (ch === '\u0003') return done(new AppError('failed', 'Cancelled.', { cancelled: true }));
        if (ch === '\u0004' && answer === '') return done(null);
        if (ch === '\u007f' || ch === '\b') answer = answer.slice(0, -1);
        else answer += ch;
      }
    };
    stdin.on('data', onData);
  });
}

export async function readSecret(what: string): Promise<string> {
  if (process.stdin.isTTY) return normalizeSecret(await promptHidden(`Paste the ${what} (input is hidden): `), what);
  return readPipedSecret(what);
}

/**
 * The vault passphrase: --passphrase-fd, WFVAULT_PASSPHRASE_FILE or WFVAULT_PASSPHRASE, else a
 * terminal prompt (twice when creating).
 */
export async function readPassphrase(purpose: 'unlock' | 'create'): Promise<string> {
  const given = givenPassphrase();
  if (given !== undefined) return given;
  if (!process.stdin.isTTY) {
    throw new AppError('passphrase_required', 'This vault uses a passphrase. Give it with --passphrase-fd N, WFVAULT_PASSPHRASE_FILE or WFVAULT_PASSPHRASE, or run the command in a terminal to be asked for it.');
  }
  const first = await promptHidden(purpose === 'create' ? 'New vault passphrase: ' : 'Vault passphrase: ');
  if (purpose === 'create') {
    if ([...first.normalize('NFC')].length < MIN_PASSPHRASE_CHARS) throw new AppError('usage', `Choose a passphrase of at least ${MIN_PASSPHRASE_CHARS} characters.`);
    const again = await promptHidden('Repeat the passphrase: ');
    if (again !== first) throw new AppError('usage', 'The two passphrases differ; nothing was created.');
  }
  return first;
}
