// Files beside a team's clone that only this member reads (test results, labels): JSON encrypted
// with age to the member's own recipient, since what they hold names clients. Both are caches of
// what this machine learned, so one that is missing or does not open with this member's key
// (new keys, damage) reads as nothing.
import { readFile } from 'node:fs/promises';
import { Encrypter } from 'age-encryption';
import type { Team } from './team.js';

/** The member's own age recipient; null for a joiner not admitted yet, who has nothing to keep. */
export function myRecipient(team: Team): string | null {
  return team.roster.members.get(team.state.me.fingerprint)?.recipient ?? null;
}

export async function sealForMe(recipient: string, body: unknown): Promise<Uint8Array> {
  const enc = new Encrypter();
  enc.addRecipient(recipient);
  return enc.encrypt(JSON.stringify(body));
}

/** The parsed contents, or null when the file is missing or does not open. */
export async function openPrivate(team: Team, file: string): Promise<unknown> {
  try {
    const bytes = await readFile(file);
    return JSON.parse(await (await team.decrypter()).decrypt(bytes, 'text')) as unknown;
  } catch {
    return null;
  }
}
