// What this machine learned by testing a team's tokens: the last test, its history, and what
// Webflow said the token reaches. Health is per machine (one member's network or rate limit says
// nothing about another's), so it stays out of the repository: a commit per test would be a change
// for the whole team on every run. The file sits beside the clone, encrypted with age to this
// member alone, because test results and site names name clients as much as labels do.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { StoredToken } from '../core/token.js';
import { writeFileDurably } from '../vault/atomic.js';
import { withFileLock, type LockOptions } from '../vault/lock.js';
import { teamDir } from './local-state.js';
import { myRecipient, openPrivate, sealForMe } from './private-file.js';
import type { Team } from './team.js';

/** The fields a test changes (see applyTestOutcome). */
const HEALTH_FIELDS = ['lastTest', 'testHistory', 'scopes', 'siteIds', 'sites', 'workspaceIds', 'authorizedUser', 'grantType', 'createdOn', 'lastUsedAt', 'expiresAt'] as const;
type HealthFields = Pick<StoredToken, (typeof HEALTH_FIELDS)[number]>;

interface HealthEntry {
  /** Ties the entry to one secret: a rotated token keeps its id but not its health. */
  tag: string;
  fields: HealthFields;
}

interface HealthFile {
  v: 1;
  tokens: Record<string, HealthEntry>;
}

export type TeamHealth = Map<string, HealthEntry>;

function healthFile(team: Team): string {
  return path.join(teamDir(team.ctx.vaultDir, team.name), 'health.age');
}

/** Never deleted, like the vault's lock file (see vault/lock.ts). */
function healthLockFile(team: Team): string {
  return path.join(teamDir(team.ctx.vaultDir, team.name), 'health.lock');
}

function tagOf(team: Team, token: Pick<StoredToken, 'id' | 'secret'>): string {
  return createHash('sha256').update(`wfvault-team-health\0${team.state.teamId}\0${token.id}\0${token.secret}`, 'utf8').digest('hex');
}

/** This machine's test results for the team; empty when there are none or they cannot be read. */
export async function loadHealth(team: Team): Promise<TeamHealth> {
  const parsed = (await openPrivate(team, healthFile(team))) as Partial<HealthFile> | null;
  if (parsed?.v !== 1 || typeof parsed.tokens !== 'object' || parsed.tokens === null) return new Map();
  return new Map(Object.entries(parsed.tokens).filter(([, e]) => typeof e?.tag === 'string' && typeof e.fields === 'object' && e.fields !== null));
}

/** The token as this machine knows it: the shared record, with a newer local test laid over it. */
export function withHealth(team: Team, health: TeamHealth, token: StoredToken): StoredToken {
  const entry = health.get(token.id);
  if (!entry || entry.tag !== tagOf(team, token)) return token;
  const local = entry.fields.lastTest?.at ?? '';
  if (token.lastTest && token.lastTest.at >= local) return token;
  return { ...token, ...entry.fields };
}

/**
 * Records tested tokens; entries of tokens that left the team are dropped. The file is read again
 * first, so that a test run that ended meanwhile (the window and a CLI, say) keeps its results;
 * the read and the write happen under one lock, or two runs saving at once would each write back
 * what they read and the later would wipe the other's results.
 */
export async function saveHealth(team: Team, tested: readonly StoredToken[], lockOptions: LockOptions = {}): Promise<void> {
  const recipient = myRecipient(team);
  if (!recipient) return;
  const file = healthFile(team);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const subject = { name: `team ${team.name}'s health file`, whose: `team ${team.name}'s health` };
  await withFileLock(healthLockFile(team), subject, async (lock) => {
    const health = await loadHealth(team);
    for (const t of tested) {
      const fields = Object.fromEntries(HEALTH_FIELDS.map((f) => [f, t[f]])) as HealthFields;
      health.set(t.id, { tag: tagOf(team, t), fields });
    }
    const tokens: Record<string, HealthEntry> = {};
    for (const [id, entry] of health) if (team.files.has(id)) tokens[id] = entry;
    const body: HealthFile = { v: 1, tokens };
    const bytes = await sealForMe(recipient, body);
    lock.assertHeld();
    await writeFileDurably(file, bytes);
  }, lockOptions);
}
