// Team use cases as the window needs them: every team's tokens for the list (a team that cannot be
// read says why, without hiding the others), one team's state for the team view, a sync whose
// outcome is a sentence, and the per-token test and copy. Secrets stay in here: every reply is
// built from public records.
import { AppError, isAppError, windowMessage } from '../core/errors.js';
import type { StoredToken } from '../core/token.js';
import { TEAM_BRANCH } from '../team/git.js';
import type { Team } from '../team/team.js';
import type { ServiceDeps } from './deps.js';
import { planOf } from './team-rotate.js';
import { listTeamTokens, openTeam, resolveTeamConflict, statusOf, syncTeams, teamNames, teamStoredToken, type ConflictSide, type TeamStatus, type TeamTokenView } from './team.js';
import type { TokenTestResult } from './testing.js';

export interface WindowTeam {
  name: string;
  tokens: TeamTokenView[];
  error: { code: string; message: string } | null;
}

function errorFacts(e: unknown): { code: string; message: string } {
  if (isAppError(e)) return { code: e.code, message: windowMessage(e) };
  return { code: 'failed', message: 'The team could not be read. Try again; if it keeps happening, run `wfvault team status` in a terminal.' };
}

/** Every team this machine joined, with the tokens shared with this member. */
export async function listTeamsForWindow(deps: ServiceDeps): Promise<WindowTeam[]> {
  const out: WindowTeam[] = [];
  for (const name of await teamNames(deps)) {
    try {
      out.push({ name, tokens: await listTeamTokens(deps, name), error: null });
    } catch (e) {
      out.push({ name, tokens: [], error: errorFacts(e) });
    }
  }
  return out;
}

export interface SyncOutcome {
  team: string;
  at: string;
  state: 'synced' | 'offline' | 'failed';
  pulled: boolean;
  pushed: boolean;
  message: string;
  conflicts: string[];
}

function syncedSentence(team: string, pulled: boolean, pushed: boolean, conflicts: string[]): string {
  const what = pulled && pushed ? 'Pulled the team’s changes and pushed yours.' : pulled ? 'Pulled the team’s changes.' : pushed ? 'Pushed your changes.' : 'Up to date.';
  if (conflicts.length === 0) return what;
  return `${what} ${conflicts.length} token(s) were changed here and by someone else; both versions are kept: pick one under “Changed on both sides” in team ${team}.`;
}

/** Syncs one team (or every team), never throwing: each outcome is a state and one sentence. */
export async function syncForWindow(deps: ServiceDeps, name?: string): Promise<SyncOutcome[]> {
  const names = name ? [name] : await teamNames(deps);
  const out: SyncOutcome[] = [];
  for (const n of names) {
    const at = () => deps.now().toISOString();
    try {
      const [r] = await syncTeams(deps, n);
      if (!r) continue;
      if (r.offline) {
        out.push({ team: n, at: at(), state: 'offline', pulled: r.pulled, pushed: false, message: `The remote cannot be reached (${r.reason ?? 'no answer'}); working from the last synced state.`, conflicts: r.conflicts });
      } else {
        out.push({ team: n, at: at(), state: 'synced', pulled: r.pulled, pushed: r.pushed, message: syncedSentence(n, r.pulled, r.pushed, r.conflicts), conflicts: r.conflicts });
      }
    } catch (e) {
      out.push({ team: n, at: at(), state: 'failed', pulled: false, pushed: false, message: errorFacts(e).message, conflicts: [] });
    }
  }
  return out;
}

export interface ResolveOutcome {
  id: string;
  /** Null when the version kept is not shared with this member. */
  label: string | null;
  keep: ConflictSide;
  message: string;
  sync: SyncOutcome | null;
}

/**
 * `wfvault team resolve` followed by a sync, so the other members get the choice without a
 * second click. `sync` is the caller's own, so that the window's sync queue, events and last
 * outcome see this sync like any other.
 */
export async function resolveForWindow(
  deps: ServiceDeps,
  name: string,
  id: string,
  keep: ConflictSide,
  sync: (name: string) => Promise<SyncOutcome[]>,
): Promise<ResolveOutcome> {
  const team = await resolveTeamConflict(deps, name, id, keep);
  // The label only: the record is decrypted here and its secret goes no further.
  const label = await team
    .read(id)
    .then((t) => t.record.token.label)
    .catch(() => null);
  const [synced = null] = await sync(name);
  const what = label ?? `token ${id}`;
  let message: string;
  if (keep === 'theirs') message = `Kept the version of ${what} from team ${name}; the one made here is dropped.`;
  else if (synced?.state === 'synced') message = `Kept your version of ${what}${synced.pushed ? '; every member gets it at their next sync' : ''}.`;
  else message = `Kept your version of ${what} here; the team gets it at the next sync that reaches the remote. ${synced?.message ?? ''}`.trim();
  // A sync that brought in another conflict says so; the view lists it at once.
  if (synced?.state === 'synced' && synced.conflicts.length > 0) message += ` ${synced.message}`;
  return { id, label, keep, message, sync: synced };
}

/** Commits here and not pushed yet, and commits fetched and not merged yet. */
async function aheadBehind(team: Team): Promise<{ ahead: number; behind: number }> {
  const head = await team.git.head();
  if (!head) return { ahead: 0, behind: 0 };
  const remote = await team.git.head(`refs/remotes/origin/${TEAM_BRANCH}`).catch(() => null);
  if (!remote) {
    const r = await team.git.raw(['rev-list', '--count', 'HEAD']);
    return { ahead: r.code === 0 ? Number(r.stdout.trim()) || 0 : 0, behind: 0 };
  }
  const r = await team.git.raw(['rev-list', '--left-right', '--count', `HEAD...${remote}`]);
  if (r.code !== 0) return { ahead: 0, behind: 0 };
  const [ahead, behind] = r.stdout.trim().split(/\s+/u).map((n) => Number(n) || 0);
  return { ahead: ahead ?? 0, behind: behind ?? 0 };
}

export interface WindowTeamStatus extends Omit<TeamStatus, 'me' | 'unpushed'> {
  me: TeamStatus['me'] & { machine: boolean };
  ahead: number;
  behind: number;
  lastSync: Omit<SyncOutcome, 'team'> | null;
  rotation: { id: string; label: string; kind: StoredToken['kind']; exposedTo: string[]; revokePending: boolean }[];
  unreadable: string[];
}

export async function teamOverview(deps: ServiceDeps, name: string, lastSync: SyncOutcome | null): Promise<WindowTeamStatus> {
  // One open and one read of every token file serve the status and the walk-through alike.
  const team = await openTeam(deps, name);
  const readable = team.isMember ? await team.readAll() : [];
  const { unpushed: _unpushed, ...status } = await statusOf(team, readable);
  const me = status.members.find((m) => m.me && !m.removed);
  let rotation: WindowTeamStatus['rotation'] = [];
  let unreadable = status.exposed.filter((e) => e.label === null).map((e) => e.id);
  // Only a human member rotates; a machine member or a joiner not admitted yet sees the list only.
  if (me && !me.machine) {
    team.requireHuman();
    const plan = planOf(team, readable);
    rotation = plan.steps.map(({ id, label, kind, exposedTo, revokePending }) => ({ id, label, kind, exposedTo, revokePending }));
    unreadable = plan.unreadable;
  }
  const { team: _team, ...sync } = lastSync ?? { team: name };
  return {
    ...status,
    me: { ...status.me, machine: team.state.me.machine },
    ...(await aheadBehind(team)),
    lastSync: lastSync ? (sync as Omit<SyncOutcome, 'team'>) : null,
    rotation,
    unreadable,
  };
}

/**
 * Tests one team token as `wfvault test --team` does: the result is kept on this machine, not
 * committed. `notKept` says why it could not be kept (a read-only or full disk), as the CLI warns.
 */
export async function testTeamToken(deps: ServiceDeps, name: string, id: string): Promise<{ result: TokenTestResult; notKept?: string }> {
  const { testTeamTokens } = await import('./team-testing.js');
  let notKept: string | undefined;
  const [result] = await testTeamTokens(deps, name, { refs: [id], onNotKept: (e) => void (notKept = windowMessage(e)) });
  if (!result) throw new AppError('not_found', 'The token left the team while it was being tested.');
  const { team: _team, ...rest } = result;
  return notKept === undefined ? { result: rest } : { result: rest, notKept };
}

/** The secret of one team token, for the clipboard only. */
export async function teamSecretForCopy(deps: ServiceDeps, name: string, id: string): Promise<{ label: string; secret: string }> {
  const { token } = await teamStoredToken(deps, name, id);
  const { label, secret } = token.record.token;
  if (!secret) throw new AppError('not_found', 'That team token holds no secret.');
  return { label, secret };
}
