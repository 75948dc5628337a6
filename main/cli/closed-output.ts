// What the CLI does when its output cannot be written. A reader that went away (`| head -1`, a
// closed pipe) ends the command quietly with status 0, as git does: the reader got what it wanted.
// A full disk or another write failure on stdout is said on stderr and exits 1, never as a stack
// trace from an unhandled stream error.
import { EXIT } from '../core/errors.js';

export function handleOutputErrors(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    try {
      process.stderr.write(`error: could not write the output: ${describe(e.code)}. Nothing more was printed.\n`);
    } catch {
      // stderr is gone too: the exit code says it.
    }
    process.exit(EXIT.failed);
  });
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    // Nowhere left to say anything; a closed stderr is no failure of the command itself.
    process.exit(e.code === 'EPIPE' ? EXIT.ok : EXIT.failed);
  });
}

function describe(code: string | undefined): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'the disk it goes to is full';
  if (code === 'EIO') return 'an input/output error';
  if (code === 'EBADF') return 'standard output is closed';
  return code ?? 'unknown error';
}
