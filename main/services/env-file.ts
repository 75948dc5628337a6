// Reading .env files for `wfvault run` and `wfvault status`: dotenv's parser for the values, and
// the line each variable was set on, so that a reference that does not resolve can be pointed at.
import { readFile } from 'node:fs/promises';
import { parse } from 'dotenv';
import { AppError } from '../core/errors.js';
import { parseVaultRef } from '../core/vault-ref.js';

export interface EnvEntry {
  name: string;
  value: string;
  file: string;
  /** 1-based line of the last assignment, which is the one dotenv keeps. */
  line: number;
  /** The REF of a `wfvault://REF` value; absent for plain values. */
  ref?: string;
  /** Why a `wfvault://` value cannot be read as a reference. */
  refProblem?: string;
}

export async function readEnvFile(file: string): Promise<EnvEntry[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : 'it could not be read';
    throw new AppError('usage', `Cannot read env file ${file}: ${why}.`);
  }
  return envEntries(text, file);
}

export function envEntries(text: string, file: string): EnvEntry[] {
  const lines = text.split(/\r\n|\r|\n/);
  return Object.entries(parse(text)).map(([name, value]) => {
    const entry: EnvEntry = { name, value, file, line: assignmentLine(lines, name) };
    const parsed = parseVaultRef(value);
    if (parsed?.ok) entry.ref = parsed.ref;
    else if (parsed) entry.refProblem = parsed.reason;
    return entry;
  });
}

function assignmentLine(lines: readonly string[], name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const assigns = new RegExp(`^\\s*(?:export\\s+)?${escaped}\\s*(?:=|:)`);
  for (let i = lines.length - 1; i >= 0; i--) if (assigns.test(lines[i]!)) return i + 1;
  return 0;
}
