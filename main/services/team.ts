// Team use cases: the same token operations as the personal vault, on a team's repository.
import { AppError } from '../core/errors.js';
import { resolveRef } from '../core/ref.js';
import { inferKind, newTokenRecord } from '../core/records.js';
import { normalizeSecret } from '../core/secret.js';
import type { TestOutcome } from '../core/test-outcome.js';
import type { PublicToken, StoredToken, TokenKind } from '../core/token.js';
import { toPublic } from '../core/token-values.js';
import { formatFingerprint } from '../core/team-chain.js';
import { OsKeychain } from '../vault/keychain.js';
import { listTeams, loadState } from '../team/local-state.js';
import { listConflicts, resolveConflict, syncTeam, type SyncResult } from '../team/sync.js';
import { Team, type TeamContext, type TeamRecord, type TeamToken } from '../team/team.js';
import { VaultKeychain } from '../team/vault-keychain.js';
import { loadHealth, withHealth, type TeamHealth } from '../team/health.js';
import { TeamLookup } from '../team/label-index.js';
import type { ServiceDeps } from './deps.js';

export function teamContext(deps: ServiceDeps): TeamContext {
  return {
    vaultDir: deps.vault.dir,
    keychain: deps.keychain ?? new OsKeychain(),
    vaultKeychain: new VaultKeychain(deps.vault),
    // Passphrase mode is chosen for machines without a keychain: team keys follow the vault key.
    keysHome: async () => ((await deps.vault.status()).mode === 'passphrase' ? 'vault' : 'keychain'),
    now: deps.now,
    identityText: deps.teamIdentity?.() ?? null,
    lockOptions: deps.vault.lockOptions,
  };
}

export async function openTeam(deps: ServiceDeps, name: string): Promise<Team> {
  return Team.open(teamContext(deps), name);
}

export async function teamNames(deps: ServiceDeps): Promise<string[]> {
  return listTeams(deps.vault.dir);
}

/** A team token as lists and details show it: the public record plus where it lives. */
export interface TeamTokenView extends PublicToken {
  team: string;
  /** Removed members who could read this secret; empty once rotated. */
  exposedTo: string[];
  /** Members it is shared with; empty = all. */
  only: string[];
  /** Who wrote the current version, and when. */
  changedBy: string;
  changedAt: string;
}

function view(team: Team, t: TeamToken, health?: TeamHealth): TeamTokenView {
  const token = health ? withHealth(team, health, t.record.token) : t.record.token;
  return { ...toPublic(token), team: team.name, exposedTo: [...new Set([...t.record.exposedTo, ...t.pendingExposure])], only: t.record.only, changedBy: t.record.writtenBy, changedAt: t.record.writtenAt };
}

export async function listTeamTokens(deps: ServiceDeps, name: string): Promise<TeamTokenView[]> {
  const team = await openTeam(deps, name);
  team.requireMember();
  const tokens = await team.readAll();
  const health = await loadHealth(team);
  return tokens.map((t) => view(team, t, health));
}

export function findTeamToken(team: Team, tokens: TeamToken[], ref: string): TeamToken {
  return resolveInTeam(team, tokens.map((t) => ({ id: t.record.token.id, label: t.record.token.label, t })), ref).t;
}

function resolveInTeam<T extends { id: string; label: string }>(team: Team, items: readonly T[], ref: string): T {
  try {
    return resolveRef(items, ref);
  } catch (e) {
    if (e instanceof AppError && e.code === 'ref_not_found') {
      throw new AppError('ref_not_found', `${e.message.replace(/ Run `wfvault list`.*$/u, '')} in team ${team.name}. Run \`wfvault list --team ${team.name}\` to see its tokens.`);
    }
    throw e;
  }
}

/** One team token by REF, decrypting only what this machine's label index cannot answer for. */
async function lookUp(team: Team, lookup: TeamLookup, ref: string): Promise<TeamToken> {
  const { id } = resolveInTeam(team, lookup.refs, ref);
  // An index that disagrees with the token it named is not trusted for the others either.
  return (await lookup.token(id)) ?? findTeamToken(team, await team.readAll(), ref);
}

export async function showTeamToken(deps: ServiceDeps, name: string, ref: string): Promise<TeamTokenView> {
  const team = await openTeam(deps, name);
  team.requireMember();
  const token = await lookUp(team, await TeamLookup.open(team), ref);
  return view(team, token, await loadHealth(team));
}

/** Opens a team once; the finder then resolves REFs among its tokens, decrypting the ones it picks. */
export async function teamTokenFinder(deps: ServiceDeps, name: string): Promise<(ref: string) => Promise<{ token: StoredToken; exposedTo: string[] }>> {
  const team = await openTeam(deps, name);
  team.requireMember();
  const lookup = await TeamLookup.open(team);
  const health = await loadHealth(team);
  return async (ref) => {
    const t = await lookUp(team, lookup, ref);
    return { token: withHealth(team, health, t.record.token), exposedTo: [...new Set([...t.record.exposedTo, ...t.pendingExposure])] };
  };
}

/** The full stored record, for tests and revokes that run in this process only. */
export async function teamStoredToken(deps: ServiceDeps, name: string, ref: string): Promise<{ team: Team; token: TeamToken }> {
  const team = await openTeam(deps, name);
  team.requireMember();
  return { team, token: await lookUp(team, await TeamLookup.open(team), ref) };
}

function checkOnly(team: Team, only: readonly string[] | undefined): string[] {
  if (!only || only.length === 0) return [];
  const me = team.requireHuman().name;
  const names = [...new Set([me, ...only.map((n) => n.trim()).filter(Boolean)])];
  for (const n of names) team.memberByName(n);
  return names.sort();
}

export interface TeamAddInput {
  label: string;
  kind?: TokenKind;
  secret: string;
  offline?: boolean;
  notes?: string;
  only?: string[];
}

async function assertNewInTeam(team: Team, secret: string, label: string): Promise<void> {
  for (const t of await team.readAll()) {
    if (t.record.token.secret === secret) throw new AppError('duplicate_token', `This token is already in team ${team.name} as ${t.record.token.id} (${t.record.token.label}).`, { id: t.record.token.id, reason: 'secret' });
    if (t.record.token.label === label) throw new AppError('duplicate_token', `The label "${label}" is already used in team ${team.name} by ${t.record.token.id}; pick another with --label.`, { id: t.record.token.id, reason: 'label' });
  }
}

async function storeInTeam(team: Team, token: StoredToken, only: string[], now: Date): Promise<void> {
  const record: TeamRecord = { v: 1, token, only, exposedTo: [], writtenBy: team.requireHuman().name, writtenAt: now.toISOString() };
  await team.change(async () => {
    await team.writeRecord(record);
    await commitWritten(team, 'wfvault: store a token');
  });
}

/**
 * Commits what was just written. A new ciphertext always differs from the committed one, so
 * nothing to commit means the file was undone under us (a program that does not take the clone's
 * lock, such as an older wfvault, resetting the clone at that moment): the caller must not go on as if it were stored, e.g. delete the
 * personal copy of a moved token.
 */
async function commitWritten(team: Team, message: string): Promise<void> {
  if (await team.git.commitAll(message)) return;
  throw new AppError('team_git', `The change to team ${team.name} was undone before it could be committed (another program changed the team's clone at the same time). Nothing was changed; run the command again.`);
}

/** Tests the token (unless offline) and stores it in the team's clone; `team sync` shares it. */
export async function addTeamToken(deps: ServiceDeps, name: string, input: TeamAddInput): Promise<{ token: TeamTokenView; outcome: TestOutcome | null }> {
  const team = await openTeam(deps, name);
  team.requireHuman();
  const secret = normalizeSecret(input.secret);
  const label = input.label.trim();
  if (!label) throw new AppError('usage', 'A label is required (--label).');
  const only = checkOnly(team, input.only);
  await assertNewInTeam(team, secret, label);
  let outcome: TestOutcome | null = null;
  if (!input.offline) {
    const { testToken } = await import('../webflow/test-token.js');
    const { outcomeError } = await import('./tokens.js');
    outcome = await testToken(deps.webflow, secret, { kind: input.kind ?? 'site' });
    if (!outcome.ok) throw outcomeError(outcome, 'The token was not stored. Add --offline to store it without a check.');
  }
  const kind = input.kind ?? (outcome && inferKind(outcome)) ?? 'site';
  const token = newTokenRecord({ id: team.newTokenId(), label, kind, secret, notes: input.notes }, outcome, deps.now());
  await storeInTeam(team, token, only, deps.now());
  return { token: { ...toPublic(token), team: team.name, exposedTo: [], only, changedBy: team.state.me.name, changedAt: deps.now().toISOString() }, outcome };
}

/** Moves a token from the personal vault into a team; it leaves the personal vault once the team holds it. */
export async function moveToTeam(deps: ServiceDeps, ref: string, name: string, onlyIn?: string[]): Promise<TeamTokenView> {
  const { findLive } = await import('./token-use.js');
  const team = await openTeam(deps, name);
  team.requireHuman();
  const only = checkOnly(team, onlyIn);
  const personal = findLive(await deps.vault.read(), ref);
  await assertNewInTeam(team, personal.secret, personal.label);
  const token: StoredToken = { ...personal, id: team.files.has(personal.id) ? team.newTokenId() : personal.id };
  await storeInTeam(team, token, only, deps.now());
  await deps.vault.update((data) => {
    data.tokens = data.tokens.filter((t) => t.id !== personal.id);
  });
  return { ...toPublic(token), team: team.name, exposedTo: [], only, changedBy: team.state.me.name, changedAt: deps.now().toISOString() };
}

/**
 * Writes a changed record back (revoke-pending marks, a rotated secret) and commits it locally.
 * `t` is the token as the caller read it, maybe seconds ago (a test against Webflow, a revoke):
 * when another wfvault command changed the token since, nothing is written, unless
 * `overwrite` (a secret rotated away, whose old value must not come back either way).
 */
export async function updateTeamRecord(team: Team, t: TeamToken, token: StoredToken, now: Date, extra: Partial<TeamRecord> = {}, opts: { overwrite?: boolean } = {}): Promise<void> {
  await team.change(async () => {
    if (!opts.overwrite) assertUnchanged(team, t);
    const record: TeamRecord = { ...t.record, ...extra, token, writtenBy: team.requireHuman().name, writtenAt: now.toISOString() };
    await team.writeRecord(record);
    await commitWritten(team, 'wfvault: update a token');
  });
}

/** Deletes a token's file, if it is still the version `t` was read from (see updateTeamRecord). */
export async function deleteTeamToken(team: Team, t: TeamToken): Promise<void> {
  team.requireHuman();
  await team.change(async () => {
    assertUnchanged(team, t);
    await team.deleteToken(t.record.token.id);
    await team.git.commitAll('wfvault: remove a token');
  });
}

/**
 * Refuses to build on a token read before another change to it landed in the clone (a rotation
 * in another window, a sync that brought a member's change in): writing the older copy back
 * would undo that change, a rotated secret included.
 */
export function assertUnchanged(team: Team, t: TeamToken): void {
  const { id, label } = t.record.token;
  const now = team.files.get(id);
  if (now && now.sig.ver === t.sig.ver && now.sig.sig === t.sig.sig) return;
  throw new AppError(
    'team_conflict',
    `${label} (${id}) in team ${team.name} was ${now ? 'changed' : 'removed'} by another wfvault command while this one ran (a sync that brought in a member's change, say). Nothing was written; run the command again to act on the token as it is now.`,
    { id },
  );
}

export type ConflictSide = 'mine' | 'theirs';

/**
 * Picks which version of a token changed here and by another member wins, for `wfvault team
 * resolve` and the team view alike. The choice is committed in this clone only: a sync shares it.
 */
export async function resolveTeamConflict(deps: ServiceDeps, name: string, id: string, keep: ConflictSide): Promise<Team> {
  const team = await openTeam(deps, name);
  await resolveConflict(team, id, keep);
  return team;
}

export interface TeamSyncReport extends SyncResult {
  team: string;
  members: number;
  tokens: number;
  admitted: boolean;
}

export async function syncTeams(deps: ServiceDeps, name?: string): Promise<TeamSyncReport[]> {
  const names = name ? [name] : await teamNames(deps);
  if (names.length === 0) throw new AppError('team_not_found', 'This machine has joined no team yet. Create one with `wfvault team create NAME --remote URL` or join one with `wfvault team join URL`.');
  const reports: TeamSyncReport[] = [];
  for (const n of names) {
    const team = await openTeam(deps, n);
    const result = await syncTeam(team);
    reports.push({ ...result, conflicts: await listConflicts(team), team: n, members: team.roster.members.size, tokens: team.files.size, admitted: team.isMember });
  }
  return reports;
}

export interface TeamMemberView {
  name: string;
  email: string;
  fingerprint: string;
  machine: boolean;
  removed: boolean;
  me: boolean;
}

export interface TeamStatus {
  team: string;
  teamId: string;
  remote: string;
  me: { name: string; fingerprint: string; admitted: boolean };
  members: TeamMemberView[];
  tokens: number;
  readable: number;
  exposed: { id: string; label: string | null; exposedTo: string[] }[];
  conflicts: string[];
  lastSyncAt: string | null;
  unpushed: boolean;
}

export async function teamStatus(deps: ServiceDeps, name: string): Promise<TeamStatus> {
  const team = await openTeam(deps, name);
  return statusOf(team, team.isMember ? await team.readAll() : []);
}

/** The status of a team already open, from the tokens already read from it (`readable`). */
export async function statusOf(team: Team, readable: TeamToken[]): Promise<TeamStatus> {
  const members: TeamMemberView[] = [];
  for (const [fp, m] of team.roster.members) members.push({ name: m.name, email: m.email, fingerprint: fp, machine: m.machine, removed: false, me: fp === team.state.me.fingerprint });
  for (const [fp, m] of team.roster.removed) members.push({ name: m.name, email: m.email, fingerprint: fp, machine: m.machine, removed: true, me: fp === team.state.me.fingerprint });
  const byId = new Map(readable.map((t) => [t.record.token.id, t]));
  const exposed: TeamStatus['exposed'] = [];
  for (const file of team.files.values()) {
    const t = byId.get(file.id);
    const pending = file.sig.readers.filter((fp) => team.roster.removed.has(fp)).map((fp) => team.roster.removed.get(fp)!.name);
    const names = [...new Set([...(t?.record.exposedTo ?? []), ...pending])];
    if (names.length) exposed.push({ id: file.id, label: t?.record.token.label ?? null, exposedTo: names });
  }
  const head = await team.git.head();
  return {
    team: team.name,
    teamId: formatFingerprint(team.state.teamId),
    remote: team.state.remote,
    me: { name: team.state.me.name, fingerprint: team.state.me.fingerprint, admitted: team.isMember },
    members,
    tokens: team.files.size,
    readable: readable.length,
    exposed,
    conflicts: await listConflicts(team),
    lastSyncAt: team.state.lastSyncAt,
    unpushed: head !== null && head !== team.state.gitHead,
  };
}

export async function teamState(deps: ServiceDeps, name: string) {
  return loadState(deps.vault.dir, name);
}
