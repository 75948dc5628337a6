// Wipes variables from this process's original environment block, the one /proc/PID/environ
// serves to every program of the same user for as long as the process lives. Deleting a variable
// from process.env only unlinks it from `environ`; the bytes stay where the kernel placed them at
// start-up, so they are overwritten in place through /proc/self/mem (Linux only).
import { closeSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';

/** True when none of `names` can be read from /proc/self/environ any more. */
export function scrubEnviron(names: readonly string[]): boolean {
  if (process.platform !== 'linux') return false;
  let fd: number | undefined;
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after "(comm)" start at field 3; env_start and env_end are fields 50 and 51.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[47]);
    const end = Number(fields[48]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start || end - start > 64 * 1024 * 1024) return false;
    fd = openSync('/proc/self/mem', 'r+');
    const block = Buffer.alloc(end - start);
    readSync(fd, block, 0, block.length, start);
    for (const name of names) {
      const prefix = Buffer.from(`${name}=`);
      for (let at = block.indexOf(prefix); at >= 0; at = block.indexOf(prefix, at + 1)) {
        if (at > 0 && block[at - 1] !== 0) continue;
        let stop = block.indexOf(0, at);
        if (stop < 0) stop = block.length;
        const zeros = Buffer.alloc(stop - at);
        writeSync(fd, zeros, 0, zeros.length, start + at);
        zeros.copy(block, at);
      }
    }
    const after = readFileSync('/proc/self/environ');
    return names.every((name) => !after.includes(Buffer.from(`${name}=`)));
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
