// Which tokens a `wfvault exec ...` command line hands over, read back from a config that starts
// a program through the vault (an MCP client's `command` + `args`), so `status` can name them.
import { parseVaultRef } from './vault-ref.js';

/** exec's options that take a value; every other option is a flag. */
const WITH_VALUE = new Set(['--as', '--env', '--vault-dir', '--passphrase-fd']);

export interface ExecRef {
  /** `REF` for the main token, or the variable name of an `--env NAME=REF`. */
  via: string;
  ref: string | null;
  problem: string | null;
}

/** The REFs in `exec`'s arguments (`args` starting after `exec`), up to the `--` before the command. */
export function execRefs(args: readonly string[]): ExecRef[] {
  const refs: ExecRef[] = [];
  let main: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq > 0 ? arg.slice(0, eq) : arg;
      const value = eq > 0 ? arg.slice(eq + 1) : WITH_VALUE.has(name) ? args[++i] : undefined;
      if (name === '--env' && value !== undefined) {
        const at = value.indexOf('=');
        if (at > 0) refs.push(refOf(value.slice(0, at), value.slice(at + 1)));
      }
      continue;
    }
    if (main === undefined) {
      main = arg;
      refs.unshift(refOf('REF', arg));
    }
  }
  return refs;
}

function refOf(via: string, text: string): ExecRef {
  const parsed = parseVaultRef(text);
  if (!parsed) return { via, ref: text, problem: null };
  return parsed.ok ? { via, ref: parsed.ref, problem: null } : { via, ref: null, problem: parsed.reason };
}
