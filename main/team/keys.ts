// A member's keys: an age X25519 identity (to read tokens) and an Ed25519 key (to sign changes).
// The private halves live in the OS keychain, one entry per team, or, for a vault in passphrase
// mode, inside the personal vault file (vault-keychain.ts); they are never written to the
// repository or to a file in clear (export-identity prints the age identity on request only).
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type webcrypto } from 'node:crypto';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { bech32 } from '@scure/base';
import { AppError } from '../core/errors.js';
import { fingerprintOf, type ChainCrypto, type TeamMember } from '../core/team-chain.js';
import type { Keychain } from '../vault/keychain.js';

export interface MemberSecrets {
  /** `AGE-SECRET-KEY-1...` */
  identity: string;
  /** Ed25519 private key, PKCS#8 DER, base64; empty for a machine member. */
  signingKey: string;
}

export interface MemberKeys extends MemberSecrets {
  recipient: string;
  /** Raw Ed25519 public key, base64; empty for a machine member. */
  publicSigningKey: string;
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

// A team has few signers and thousands of signed files: each key is parsed once.
const publicKeys = new Map<string, ReturnType<typeof createPublicKey>>();

function publicKeyOf(key: string): ReturnType<typeof createPublicKey> | null {
  let pub = publicKeys.get(key);
  if (!pub) {
    const raw = Buffer.from(key, 'base64');
    if (raw.length !== 32) return null;
    pub = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    publicKeys.set(key, pub);
  }
  return pub;
}

export const chainCrypto: ChainCrypto = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  verify: (key, text, sig) => {
    try {
      const pub = publicKeyOf(key);
      if (!pub) return false;
      return verify(null, Buffer.from(text, 'utf8'), pub, Buffer.from(sig, 'base64'));
    } catch {
      return false;
    }
  },
};

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function newMemberKeys(opts: { machine?: boolean } = {}): Promise<MemberKeys> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  if (opts.machine) return { identity, recipient, signingKey: '', publicSigningKey: '' };
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return {
    identity,
    recipient,
    signingKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicSigningKey: spki.subarray(ED25519_SPKI_PREFIX.length).toString('base64'),
  };
}

// Re-encrypting a team signs thousands of files with one key: it is parsed once per secrets
// object, and forgotten with it.
const privateKeys = new WeakMap<MemberSecrets, { der: string; key: ReturnType<typeof createPrivateKey> }>();

export function signText(secrets: MemberSecrets, text: string): string {
  if (!secrets.signingKey) throw new AppError('team_not_member', 'A machine member cannot sign changes to the team.');
  let parsed = privateKeys.get(secrets);
  if (!parsed || parsed.der !== secrets.signingKey) {
    parsed = { der: secrets.signingKey, key: createPrivateKey({ key: Buffer.from(secrets.signingKey, 'base64'), format: 'der', type: 'pkcs8' }) };
    privateKeys.set(secrets, parsed);
  }
  return sign(null, Buffer.from(text, 'utf8'), parsed.key).toString('base64');
}

export function memberFingerprint(member: Pick<TeamMember, 'recipient' | 'signingKey'>): string {
  return fingerprintOf(chainCrypto, member);
}

function account(teamKey: string): string {
  return `team:${teamKey}`;
}

export async function storeSecrets(keychain: Keychain, teamKey: string, secrets: MemberSecrets): Promise<void> {
  await keychain.set(account(teamKey), JSON.stringify({ v: 1, ...secrets }));
}

/** Where a member's keys are kept: the OS keychain, or the personal vault in passphrase mode. */
export type KeysHome = 'keychain' | 'vault';

export async function loadSecrets(keychain: Keychain, teamKey: string, teamName: string, home: KeysHome = 'keychain'): Promise<MemberSecrets> {
  const raw = await keychain.get(account(teamKey));
  const store = home === 'vault' ? `Your vault (${keychain.backend})` : `The OS keychain (${keychain.backend})`;
  if (raw === null) {
    throw new AppError(
      'keychain_key_missing',
      `${store} has no keys for team ${teamName} on this machine. Join the team again from this account, or in CI set WFVAULT_TEAM_IDENTITY_FILE to a machine identity.`,
    );
  }
  try {
    const o = JSON.parse(raw) as { identity?: unknown; signingKey?: unknown };
    if (typeof o.identity === 'string' && o.identity.startsWith('AGE-SECRET-KEY-1') && typeof o.signingKey === 'string') return { identity: o.identity, signingKey: o.signingKey };
  } catch {
    // fall through to the error below
  }
  throw new AppError('wrong_key', `${home === 'vault' ? 'The vault entry' : 'The OS keychain entry'} for team ${teamName} does not hold wfvault team keys; it was replaced by something else.`);
}

export async function deleteSecrets(keychain: Keychain, teamKey: string): Promise<void> {
  await keychain.delete(account(teamKey)).catch(() => undefined);
}

/**
 * An identity file as stock `age -i` reads it: comment lines, then the secret key. The comments
 * name the team so that the file can be told apart from others in a CI secret store.
 */
export function identityFileText(opts: { teamName: string; teamId: string; member: string; identity: string; machine: boolean }): string {
  return [
    `# wfvault team identity: team ${opts.teamName}, member ${opts.member}${opts.machine ? ' (machine)' : ''}`,
    `# team-id: ${opts.teamId}`,
    '# Anyone holding this file can read every token shared with this member. Keep it secret.',
    opts.identity,
    '',
  ].join('\n');
}

export function parseIdentityFile(text: string): { identity: string; teamId: string | null } {
  let identity: string | null = null;
  let teamId: string | null = null;
  for (const line of text.split(/\r?\n/u).map((l) => l.trim())) {
    const id = /^# team-id: ([0-9a-f]{32})$/u.exec(line);
    if (id) teamId = id[1]!;
    else if (line.startsWith('AGE-SECRET-KEY-1')) identity = line;
  }
  if (!identity) throw new AppError('usage', 'The team identity file holds no age identity (a line starting AGE-SECRET-KEY-1).');
  return { identity, teamId };
}

const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/**
 * The identity as a WebCrypto key, imported once: handed to age's Decrypter it saves importing
 * the key again for every file (opening a team of thousands of tokens is about three times
 * faster). Falls back to the string where WebCrypto has no X25519.
 */
export async function identityKey(identity: string): Promise<string | webcrypto.CryptoKey> {
  try {
    const raw = bech32.fromWords(bech32.decode(identity as `${string}1${string}`, 2000).words);
    if (raw.length !== 32) return identity;
    return await globalThis.crypto.subtle.importKey('pkcs8', Buffer.concat([X25519_PKCS8_PREFIX, Buffer.from(raw)]), { name: 'X25519' }, false, ['deriveBits']);
  } catch {
    return identity;
  }
}
