// A team's member list: a chain of signed changes that starts at the creator. Each change names
// the previous one by hash and is signed by someone who was a (human) member before it, so the git
// host, or anyone else with push access, can store and delete entries but not add a member.
// Pure: hashing and signature checks are passed in by the node side.
import { AppError } from './errors.js';

export interface TeamMember {
  name: string;
  email: string;
  /** age X25519 recipient (`age1...`). */
  recipient: string;
  /** Ed25519 public key, raw 32 bytes, base64. Empty for machine members, which never sign. */
  signingKey: string;
  /** A machine member (CI) reads the tokens shared with it and nothing more. */
  machine: boolean;
}

export type ChainOp = 'create' | 'add' | 'remove';

export interface ChainEntry {
  v: 1;
  seq: number;
  /** Hash of the previous entry; null for the first. */
  prev: string | null;
  op: ChainOp;
  /** The team's name, set by the first entry only. */
  team: string | null;
  member: TeamMember;
  /** Fingerprint of the signer. */
  by: string;
  at: string;
  sig: string;
}

export interface ChainCrypto {
  sha256Hex(text: string): string;
  /** True when `sig` (base64) is `key`'s (raw base64 Ed25519 public key) signature of `text`. */
  verify(key: string, text: string, sig: string): boolean;
}

export interface TeamRoster {
  teamName: string;
  /** Hash of the first entry: the team's identity, pinned by every member at join. */
  teamId: string;
  members: Map<string, TeamMember>;
  removed: Map<string, TeamMember>;
  head: { seq: number; hash: string };
  /** Hash of every entry by seq, to check a remembered head against. */
  hashes: string[];
}

export function fingerprintText(member: Pick<TeamMember, 'recipient' | 'signingKey'>): string {
  return `wfvault-team-member\n${member.recipient}\n${member.signingKey}`;
}

/** A fingerprint for people to compare: 32 hex digits in groups of four. */
export function formatFingerprint(hex: string): string {
  return (hex.slice(0, 32).match(/.{4}/gu) ?? []).join(' ');
}

export function fingerprintOf(c: Pick<ChainCrypto, 'sha256Hex'>, member: Pick<TeamMember, 'recipient' | 'signingKey'>): string {
  return formatFingerprint(c.sha256Hex(fingerprintText(member)));
}

/** The bytes a chain entry's signature covers: every field but the signature, in a fixed order. */
export function entrySignedText(e: Omit<ChainEntry, 'sig'>): string {
  const m = e.member;
  return JSON.stringify(['wfvault-team-chain', e.v, e.seq, e.prev, e.op, e.team, [m.name, m.email, m.recipient, m.signingKey, m.machine], e.by, e.at]);
}

export function entryHash(c: Pick<ChainCrypto, 'sha256Hex'>, e: ChainEntry): string {
  return c.sha256Hex(`${entrySignedText(e)}\n${e.sig}`);
}

function tampered(reason: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('team_tampered', message, { reason, ...details });
}

/** Checks a parsed entry's shape; anything else in the repository is refused, not guessed at. */
export function parseEntry(raw: unknown, where: string): ChainEntry {
  const o = raw as Record<string, unknown> | null;
  const m = (o?.member ?? null) as Record<string, unknown> | null;
  const str = (v: unknown) => typeof v === 'string';
  const ok =
    o !== null &&
    typeof o === 'object' &&
    o.v === 1 &&
    Number.isInteger(o.seq) &&
    (o.prev === null || str(o.prev)) &&
    (o.op === 'create' || o.op === 'add' || o.op === 'remove') &&
    (o.team === null || str(o.team)) &&
    str(o.by) &&
    str(o.at) &&
    str(o.sig) &&
    m !== null &&
    typeof m === 'object' &&
    str(m.name) &&
    str(m.email) &&
    str(m.recipient) &&
    str(m.signingKey) &&
    typeof m.machine === 'boolean';
  if (!ok) throw tampered('chain_malformed', `The team's member list is damaged: ${where} is not a valid entry. It was not used.`, { where });
  return {
    v: 1,
    seq: o.seq as number,
    prev: o.prev as string | null,
    op: o.op as ChainOp,
    team: o.team as string | null,
    member: { name: m.name as string, email: m.email as string, recipient: m.recipient as string, signingKey: m.signingKey as string, machine: m.machine as boolean },
    by: o.by as string,
    at: o.at as string,
    sig: o.sig as string,
  };
}

/**
 * Verifies the whole chain and returns the member list it ends with. `pinnedTeamId` is the hash of
 * the first entry as the caller first saw it; `remembered` is the last head the caller verified,
 * which the chain must still contain (otherwise history was rolled back or rewritten).
 */
export function verifyChain(c: ChainCrypto, entries: readonly ChainEntry[], pinnedTeamId: string | null, remembered: { seq: number; hash: string } | null): TeamRoster {
  if (entries.length === 0) throw tampered('chain_missing', "The team repository has no member list; it is not a wfvault team, or its history was deleted.");
  const members = new Map<string, TeamMember>();
  const removed = new Map<string, TeamMember>();
  const hashes: string[] = [];
  let teamName = '';
  let teamId = '';
  for (const [i, e] of entries.entries()) {
    const where = `entry ${i + 1}`;
    if (e.seq !== i + 1) throw tampered('chain_gap', `The team's member list is out of order at ${where}: an entry is missing or duplicated. Nothing was used.`, { seq: e.seq });
    const expectedPrev = i === 0 ? null : hashes[i - 1]!;
    if (e.prev !== expectedPrev) throw tampered('chain_broken', `The team's member list is broken at ${where}: it does not follow the entry before it. Nothing was used.`, { seq: e.seq });
    const text = entrySignedText(e);
    if (i === 0) {
      if (e.op !== 'create' || !e.team || e.member.machine) throw tampered('chain_start', 'The team\'s member list does not start with its creator. Nothing was used.');
      if (e.by !== fingerprintOf(c, e.member) || !c.verify(e.member.signingKey, text, e.sig)) {
        throw tampered('member_unsigned', "The first entry of the team's member list is not signed by its creator. Nothing was used.", { seq: 1 });
      }
      teamName = e.team;
      members.set(e.by, e.member);
    } else {
      const signer = members.get(e.by);
      if (!signer) {
        const gone = removed.get(e.by);
        if (gone) throw tampered('removed_signer', `Entry ${e.seq} of the member list is signed by ${gone.name}, who was removed from the team before it. It was refused; nothing was used.`, { seq: e.seq, signer: gone.name });
        throw tampered('member_unsigned', `Entry ${e.seq} of the member list (${e.op} ${e.member.name}) is not signed by a member of the team. It was refused; nothing was used.`, { seq: e.seq });
      }
      if (signer.machine) throw tampered('machine_signer', `Entry ${e.seq} of the member list is signed by the machine member ${signer.name}; machines cannot change the member list. Nothing was used.`, { seq: e.seq });
      if (!c.verify(signer.signingKey, text, e.sig)) {
        throw tampered('member_unsigned', `Entry ${e.seq} of the member list (${e.op} ${e.member.name}) does not carry a valid signature. It was refused; nothing was used.`, { seq: e.seq });
      }
      const fp = fingerprintOf(c, e.member);
      if (e.op === 'add') {
        if (members.has(fp) || removed.has(fp)) throw tampered('chain_invalid', `Entry ${e.seq} adds ${e.member.name}, whose keys were already in the team. Nothing was used.`, { seq: e.seq });
        if ([...members.values()].some((m) => m.name === e.member.name)) throw tampered('chain_invalid', `Entry ${e.seq} adds a second member named ${e.member.name}. Nothing was used.`, { seq: e.seq });
        members.set(fp, e.member);
      } else if (e.op === 'remove') {
        if (!members.has(fp)) throw tampered('chain_invalid', `Entry ${e.seq} removes ${e.member.name}, who is not a member. Nothing was used.`, { seq: e.seq });
        members.delete(fp);
        removed.set(fp, e.member);
      } else {
        throw tampered('chain_invalid', `Entry ${e.seq} creates the team a second time. Nothing was used.`, { seq: e.seq });
      }
    }
    hashes.push(entryHash(c, e));
    if (i === 0) teamId = hashes[0]!.slice(0, 32);
  }
  if (pinnedTeamId !== null && teamId !== pinnedTeamId) {
    throw tampered('team_replaced', 'The team repository now starts with another creator than the one you joined: it was replaced. Nothing was used.');
  }
  if (remembered && (entries.length < remembered.seq || hashes[remembered.seq - 1] !== remembered.hash)) {
    throw new AppError(
      'team_rollback',
      `The team's member list is older than, or differs from, the one this machine verified before (entry ${remembered.seq}): its history was rolled back or rewritten. Nothing was used; ask the team who pushed it.`,
      { reason: 'chain_rollback', seq: remembered.seq },
    );
  }
  return { teamName, teamId, members, removed, head: { seq: entries.length, hash: hashes[hashes.length - 1]! }, hashes };
}

/**
 * Text covered by a token file's signature: the team, the id, the ciphertext and who can read it;
 * from format 2 on also how it is shared and the token's version, so that an older copy of the
 * file cannot pass for the current one.
 */
export function tokenSignedText(teamId: string, id: string, ciphertextSha256: string, readers: readonly string[], versioned: { ver: number; share: string } | null = null): string {
  if (!versioned) return JSON.stringify(['wfvault-team-token', 1, teamId, id, ciphertextSha256, [...readers]]);
  return JSON.stringify(['wfvault-team-token', 2, teamId, id, ciphertextSha256, [...readers], versioned.share, versioned.ver]);
}
