// A FAKE of an opened team, holding only what the per-machine health file reads: the vault folder,
// the team's name and id, this member's age recipient, the token ids and a decrypter. Shared by
// the health tests and the child processes they start.
import { Decrypter, identityToRecipient } from 'age-encryption';
import type { Team } from '../../main/team/team.js';

/** `beforeDecrypt` runs each time the health file is about to be decrypted (it has just been read). */
export async function fakeHealthTeam(dir: string, ids: readonly string[], identity: string, beforeDecrypt?: () => Promise<void>): Promise<Team> {
  const d = new Decrypter();
  d.addIdentity(identity);
  return {
    ctx: { vaultDir: dir },
    name: 'acme',
    state: { teamId: '0'.repeat(32), me: { fingerprint: 'me' } },
    roster: { members: new Map([['me', { recipient: await identityToRecipient(identity) }]]) },
    files: new Map(ids.map((id) => [id, {}])),
    decrypter: async () => {
      await beforeDecrypt?.();
      return d;
    },
  } as unknown as Team;
}
