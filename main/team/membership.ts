// Creating, joining, admitting and removing: the changes of the member list.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../core/errors.js';
import { verifyChain, type TeamMember } from '../core/team-chain.js';
import { Git, TEAM_BRANCH } from './git.js';
import { chainCrypto, deleteSecrets, identityFileText, memberFingerprint, newMemberKeys, parseIdentityFile, storeSecrets } from './keys.js';
import { checkTeamName, saveState, teamDir, teamsDir, type TeamState } from './local-state.js';
import { MARKER_FILE, readChain, writeEntry } from './repo-files.js';
import { changeAndPush } from './sync.js';
import { firstEntry, keychainAccount, keyStore, Team, teamIdOf, type TeamContext } from './team.js';
import { identityToRecipient } from 'age-encryption';

export interface Person {
  name: string;
  email: string;
}

const REQUEST_PREFIX = 'wfvault-team-join:1:';

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

async function cloneInto(url: string, dest: string, branch: string | null): Promise<Git> {
  await mkdir(path.dirname(dest), { recursive: true, mode: 0o700 });
  const git = new Git(dest);
  const pick = branch ? ['--branch', branch] : [];
  await git.run(['clone', '--quiet', '--no-tags', ...pick, '--', url, dest], `Cloning ${url}`, { cwd: null });
  return git;
}

function checkPerson(p: Person): Person {
  const name = p.name.trim();
  const email = p.email.trim();
  if (!name || name.length > 80 || /[\n\r,]/u.test(name)) throw new AppError('usage', 'Give a member name of 1 to 80 characters without commas (--name, or your git user.name).');
  if (email.length > 200 || /[\s]/u.test(email)) throw new AppError('usage', 'Give an e-mail address without spaces (--email, or your git user.email).');
  return { name, email };
}

async function freshLocalDir(ctx: TeamContext, name: string): Promise<void> {
  if (await exists(teamDir(ctx.vaultDir, name))) {
    throw new AppError('usage', `A team named ${name} is already set up here (${teamDir(ctx.vaultDir, name)}).`);
  }
}

export async function createTeam(ctx: TeamContext, input: { name: string; remote: string; me: Person }): Promise<{ state: TeamState; fingerprint: string }> {
  const name = checkTeamName(input.name);
  const me = checkPerson(input.me);
  await freshLocalDir(ctx, name);
  const dir = teamDir(ctx.vaultDir, name);
  const repo = path.join(dir, 'repo');
  let account: string | null = null;
  let store = ctx.keychain;
  try {
    const git = await cloneInto(input.remote, repo, null);
    if (await git.head('refs/remotes/origin/HEAD').then((h) => h ?? git.head())) {
      const isTeam = (await readdir(repo)).includes('members');
      throw new AppError('usage', isTeam ? `${input.remote} already holds a team: join it with \`wfvault team join ${input.remote}\`.` : `${input.remote} is not empty; a team needs an empty repository of its own.`);
    }
    await git.run(['symbolic-ref', 'HEAD', `refs/heads/${TEAM_BRANCH}`], 'git symbolic-ref');
    const keys = await newMemberKeys();
    const member: TeamMember = { name: me.name, email: me.email, recipient: keys.recipient, signingKey: keys.publicSigningKey, machine: false };
    const entry = firstEntry(keys, member, name, ctx.now().toISOString());
    const teamId = teamIdOf(entry);
    const fingerprint = memberFingerprint(member);
    await writeFile(path.join(repo, MARKER_FILE), `${JSON.stringify({ format: 'wfvault-team', v: 1 })}\n`);
    await writeEntry(repo, entry);
    const home = (await ctx.keysHome?.()) ?? 'keychain';
    const state: TeamState = { v: 1, name, teamId, remote: input.remote, me: { ...me, fingerprint, machine: false }, keys: home, chainHead: null, gitHead: null, lastSyncAt: null };
    store = keyStore(ctx, home);
    account = keychainAccount(state);
    // Keys first: a team pushed without its creator's keys could never be used.
    await storeSecrets(store, account, keys);
    const withId = new Git(repo, me);
    await withId.commitAll('wfvault: create team');
    await withId.run(['push', '--quiet', '-u', 'origin', `HEAD:refs/heads/${TEAM_BRANCH}`], `Pushing to ${input.remote}`);
    const head = await withId.head();
    const roster = verifyChain(chainCrypto, await readChain(repo), teamId, null);
    const saved: TeamState = { ...state, chainHead: roster.head, gitHead: head, lastSyncAt: ctx.now().toISOString() };
    await saveState(ctx.vaultDir, saved);
    return { state: saved, fingerprint };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    if (account) await deleteSecrets(store, account);
    throw e;
  }
}

export interface JoinRequest {
  team: string;
  teamName: string;
  member: TeamMember;
  fingerprint: string;
}

export function formatJoinRequest(r: Omit<JoinRequest, 'fingerprint'>): string {
  return REQUEST_PREFIX + Buffer.from(JSON.stringify({ team: r.team, teamName: r.teamName, ...r.member })).toString('base64url');
}

export function parseJoinRequest(text: string): JoinRequest {
  const t = text.trim();
  const bad = new AppError('usage', `That is not a join request: it starts with ${REQUEST_PREFIX} and is printed by \`wfvault team join\`.`);
  if (!t.startsWith(REQUEST_PREFIX)) throw bad;
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(Buffer.from(t.slice(REQUEST_PREFIX.length), 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw bad;
  }
  const s = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const member: TeamMember = { name: s('name'), email: s('email'), recipient: s('recipient'), signingKey: s('signingKey'), machine: false };
  if (!s('team') || !member.name || !member.recipient.startsWith('age1') || Buffer.from(member.signingKey, 'base64').length !== 32) throw bad;
  return { team: s('team'), teamName: s('teamName'), member, fingerprint: memberFingerprint(member) };
}

export interface JoinResult {
  state: TeamState;
  request: string | null;
  fingerprint: string;
  creator: { name: string; fingerprint: string };
}

/**
 * Clones the team and makes this member's keys. Trust starts here, as with SSH: the creator's
 * fingerprint is shown to compare out of band, and from now on the chain that starts at that
 * creator decides. With an identity file (CI), no keys are made: the identity must be a member.
 */
export async function joinTeam(ctx: TeamContext, input: { url: string; me: Person | null }): Promise<JoinResult> {
  await mkdir(teamsDir(ctx.vaultDir), { recursive: true, mode: 0o700 });
  const tmp = path.join(teamsDir(ctx.vaultDir), `.join-${randomBytes(6).toString('hex')}`);
  let account: string | null = null;
  let store = ctx.keychain;
  let moved: string | null = null;
  try {
    await cloneInto(input.url, path.join(tmp, 'repo'), TEAM_BRANCH);
    const roster = verifyChain(chainCrypto, await readChain(path.join(tmp, 'repo')), null, null);
    const name = checkTeamName(roster.teamName);
    await freshLocalDir(ctx, name);
    const head = await new Git(path.join(tmp, 'repo')).head();
    const creatorEntry = [...roster.members.entries()][0] ?? [...roster.removed.entries()][0]!;
    const creator = { name: creatorEntry[1].name, fingerprint: creatorEntry[0] };
    let state: TeamState;
    let request: string | null = null;
    let fingerprint: string;
    if (ctx.identityText) {
      const parsed = parseIdentityFile(ctx.identityText);
      if (parsed.teamId && parsed.teamId !== roster.teamId) throw new AppError('usage', `The identity given belongs to another team than ${name}.`);
      const recipient = await identityToRecipient(parsed.identity);
      const found = [...roster.members.entries()].find(([, m]) => m.recipient === recipient);
      if (!found) throw new AppError('team_not_member', `The identity given is not a member of team ${name}; a member adds it with \`wfvault team add-machine\`.`);
      fingerprint = found[0];
      state = { v: 1, name, teamId: roster.teamId, remote: input.url, me: { name: found[1].name, email: found[1].email, fingerprint, machine: found[1].machine }, keys: 'identity-file', chainHead: roster.head, gitHead: head, lastSyncAt: ctx.now().toISOString() };
    } else {
      const me = checkPerson(input.me ?? { name: '', email: '' });
      if ([...roster.members.values()].some((m) => m.name === me.name)) throw new AppError('usage', `Team ${name} already has a member named ${me.name}; join with another --name.`);
      const keys = await newMemberKeys();
      const member: TeamMember = { name: me.name, email: me.email, recipient: keys.recipient, signingKey: keys.publicSigningKey, machine: false };
      fingerprint = memberFingerprint(member);
      const home = (await ctx.keysHome?.()) ?? 'keychain';
      state = { v: 1, name, teamId: roster.teamId, remote: input.url, me: { ...me, fingerprint, machine: false }, keys: home, chainHead: roster.head, gitHead: head, lastSyncAt: ctx.now().toISOString() };
      store = keyStore(ctx, home);
      account = keychainAccount(state);
      await storeSecrets(store, account, keys);
      request = formatJoinRequest({ team: roster.teamId, teamName: name, member });
    }
    await rename(tmp, teamDir(ctx.vaultDir, name));
    moved = teamDir(ctx.vaultDir, name);
    await saveState(ctx.vaultDir, state);
    return { state, request, fingerprint, creator };
  } catch (e) {
    await rm(moved ?? tmp, { recursive: true, force: true });
    if (account) await deleteSecrets(store, account);
    throw e;
  }
}

/** Admits the member of a join request; the caller has shown the fingerprint and had it confirmed. */
export async function admitMember(team: Team, request: JoinRequest): Promise<{ reencrypted: number }> {
  if (request.team !== team.state.teamId) throw new AppError('usage', `That join request is for another team (${request.teamName || request.team}), not ${team.name}.`);
  return changeAndPush(team, 'wfvault: admit a member', async () => {
    team.requireHuman();
    if (team.roster.members.has(request.fingerprint)) throw new AppError('usage', `${request.member.name} is already a member of team ${team.name}.`);
    if ([...team.roster.members.values()].some((m) => m.name === request.member.name)) throw new AppError('usage', `Team ${team.name} already has a member named ${request.member.name}.`);
    await team.appendEntry('add', request.member);
    const { reencrypted } = await team.reconcile();
    return { reencrypted: reencrypted.length };
  });
}

/** Adds a machine member (CI) and returns its identity file, to be shown once and never stored. */
export async function addMachine(team: Team, name: string): Promise<{ identityFile: string; fingerprint: string }> {
  const keys = await newMemberKeys({ machine: true });
  const member: TeamMember = { name: checkPerson({ name, email: '' }).name, email: '', recipient: keys.recipient, signingKey: '', machine: true };
  await changeAndPush(team, 'wfvault: admit a machine member', async () => {
    team.requireHuman();
    if ([...team.roster.members.values()].some((m) => m.name === member.name)) throw new AppError('usage', `Team ${team.name} already has a member named ${member.name}.`);
    await team.appendEntry('add', member);
    await team.reconcile();
  });
  return { identityFile: identityFileText({ teamName: team.name, teamId: team.state.teamId, member: member.name, identity: keys.identity, machine: true }), fingerprint: memberFingerprint(member) };
}

export interface Removal {
  /** Every token the leaver could read, by id; labels only for those this member can read. */
  exposed: { id: string; label: string | null }[];
  reencrypted: number;
}

export async function removeMember(team: Team, name: string): Promise<Removal> {
  return changeAndPush(team, 'wfvault: remove a member', async () => {
    const me = team.requireHuman();
    const [fp, member] = team.memberByName(name);
    if (member.name === me.name) throw new AppError('usage', 'You cannot remove yourself; ask another member to remove you.');
    if (!member.machine && [...team.roster.members.values()].filter((m) => !m.machine).length <= 1) throw new AppError('usage', 'The last human member cannot be removed.');
    const readable = new Map((await team.readAll()).map((t) => [t.record.token.id, t.record.token.label]));
    const exposed = [...team.files.values()].filter((f) => f.sig.readers.includes(fp)).map((f) => ({ id: f.id, label: readable.get(f.id) ?? null }));
    await team.appendEntry('remove', member);
    const { reencrypted } = await team.reconcile();
    return { exposed, reencrypted: reencrypted.length };
  });
}
