// What the CLI does when its output cannot be written. A reader that went away (`| head -1`, a
// closed pipe) ends the command quietly with status 0, as git does: the reader got what it wanted.
// A full disk or another write failure on stdout is said on stderr and exits 1, never as a stack
// trace from an unhandled stream error.
import { EXIT } from '../core/errors.js';

export function handleOutputErrors(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.ok);
    try {
      const { why, fix } = describe(e.code);
      process.stderr.write(`error: could not write the output: ${why}, so nothing more was printed; ${fix}.\n`);
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

function describe(code: string | undefined): { why: string; fix: string } {
  if (code === 'ENOSPC' || code === 'EDQUOT') return { why: 'the disk it goes to is full', fix: 'free some space there, or send the output elsewhere, and run the command again' };
  if (code === 'EIO') return { why: 'an input/output error', fix: 'check where the output goes (a terminal that went away, a failing disk) and run the command again' };
  if (code === 'EBADF') return { why: 'standard output is closed', fix: 'give the command somewhere to write (e.g. `> file`) and run it again' };
  return { why: `the system refused the write (${code ?? 'unknown error'})`, fix: 'send the output elsewhere and run the command again' };
}
