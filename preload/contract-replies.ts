// What main may send back, and what it pushes. Replies are parsed with these schemas before they
// leave main, and zod drops keys a schema does not name: a secret field added to a record by
// mistake is stripped here rather than sent to the window.
import { z } from 'zod';
import { PublicOAuthApp, PublicToken, Settings, Tombstone, TokenKind } from '../main/core/token.js';

export const VaultState = z.enum(['uninitialized', 'locked', 'unlocked']);
export const VaultStatusReply = z.object({
  state: VaultState,
  mode: z.enum(['keychain', 'passphrase']).nullable(),
  /** The vault file, for the window's About and troubleshooting text. */
  path: z.string(),
  /** Present only when the app talks to hosts other than Webflow's own (a simulator, a proxy): the window says so. */
  endpoints: z.object({ api: z.string(), oauth: z.string() }).optional(),
  /** What is loose or shared about the vault's folder and file, for the window to show. */
  warnings: z.array(z.string()).optional(),
});

export const TestStatus = z.enum(['valid', 'rejected', 'rate_limited', 'server_error', 'network', 'timeout', 'malformed_response']);

export const TokenTestResult = z.object({
  id: z.string(),
  label: z.string(),
  kind: TokenKind,
  ok: z.boolean(),
  status: TestStatus,
  httpStatus: z.number().int().nullable(),
  code: z.string().nullable(),
  message: z.string(),
  latencyMs: z.number(),
  rateLimit: z.number().int().nullable(),
  rateLimitRemaining: z.number().int().nullable(),
  scopes: z.array(z.string()),
  siteIds: z.array(z.string()),
  /** A team token's team, in the results of "Test all". */
  team: z.string().optional(),
});

export const TestCounts = z.object({
  total: z.number().int(),
  valid: z.number().int(),
  rejected: z.number().int(),
  rateLimited: z.number().int(),
  unreachable: z.number().int(),
});

const RevokePlan = z.object({ method: z.enum(['api', 'dashboard']), steps: z.string(), url: z.string() });

export const RevokeReply = z.discriminatedUnion('state', [
  /** `opened`: whether the dashboard page was handed to the browser (only Webflow's https pages are). */
  z.object({ state: z.literal('pending'), token: PublicToken, plan: RevokePlan, opened: z.boolean() }),
  z.object({ state: z.literal('revoked'), tombstone: Tombstone }),
]);

const TokenReply = z.object({ token: PublicToken });

/** A team's token as the list shows it: the public record, the team, and who could read it after leaving. */
export const TeamTokenReply = PublicToken.extend({
  team: z.string(),
  /** Removed members who could read this secret; the token is flagged until it is rotated. */
  exposedTo: z.array(z.string()),
  /** Members it is shared with; empty means every member. */
  only: z.array(z.string()),
  changedBy: z.string(),
  changedAt: z.string(),
});

const ErrorFacts = z.object({ code: z.string(), message: z.string() });

export const TeamsListReply = z.object({
  teams: z.array(
    z.object({
      name: z.string(),
      tokens: z.array(TeamTokenReply),
      /** Why the team's tokens could not be read (not admitted yet, refused changes, keychain): one sentence. */
      error: ErrorFacts.nullable(),
    }),
  ),
});

const SyncOutcome = z.object({
  at: z.string(),
  /** `offline`: the remote could not be reached; the team works from the last synced state. */
  state: z.enum(['synced', 'offline', 'failed']),
  pulled: z.boolean(),
  pushed: z.boolean(),
  /** One plain sentence: what happened, or what went wrong. */
  message: z.string(),
  conflicts: z.array(z.string()),
});

export const TeamStatusReply = z.object({
  team: z.string(),
  teamId: z.string(),
  remote: z.string(),
  me: z.object({ name: z.string(), fingerprint: z.string(), admitted: z.boolean(), machine: z.boolean() }),
  members: z.array(z.object({ name: z.string(), email: z.string(), fingerprint: z.string(), machine: z.boolean(), removed: z.boolean(), me: z.boolean() })),
  tokens: z.number().int(),
  readable: z.number().int(),
  exposed: z.array(z.object({ id: z.string(), label: z.string().nullable(), exposedTo: z.array(z.string()) })),
  conflicts: z.array(z.string()),
  lastSyncAt: z.string().nullable(),
  /** Commits made here and not pushed yet, and commits fetched and not merged yet. */
  ahead: z.number().int(),
  behind: z.number().int(),
  /** The last sync this run of the app made, by timer or on demand; null before the first. */
  lastSync: SyncOutcome.nullable(),
  /** The rotation walk-through: every exposed token this member can read, with what rotating it takes. */
  rotation: z.array(z.object({ id: z.string(), label: z.string(), kind: TokenKind, exposedTo: z.array(z.string()), revokePending: z.boolean() })),
  /** Exposed tokens not shared with this member: a member who can read them rotates them. */
  unreadable: z.array(z.string()),
});

export const TeamSyncEvent = SyncOutcome.extend({ team: z.string() });
const SettingsReply = z.object({ settings: Settings });
const AppReply = z.object({ app: PublicOAuthApp });
/** `foreign`: another wfvault is where the launcher would go; ask, then call again with `replace`. */
const CliInstallReply = z.object({
  status: z.enum(['installed', 'no_node', 'foreign', 'failed', 'unavailable']),
  message: z.string(),
  path: z.string().optional(),
  onPath: z.boolean().optional(),
});

export const REPLIES = {
  'vault:status': VaultStatusReply,
  'vault:init': VaultStatusReply,
  'vault:unlock': VaultStatusReply,
  'vault:lock': VaultStatusReply,
  'tokens:list': z.object({ tokens: z.array(PublicToken), tombstones: z.array(Tombstone) }),
  'tokens:add': z.object({ token: PublicToken, tested: z.boolean() }),
  'tokens:update': TokenReply,
  // notKept: a team token's result could not be kept on this machine (a read-only or full disk), and why.
  'tokens:test': z.object({ result: TokenTestResult, notKept: z.string().optional() }),
  'tokens:testAll': z.object({ results: z.array(TokenTestResult), counts: TestCounts, summary: z.string() }),
  'tokens:copy': z.object({ clearsInSeconds: z.number().int().positive() }),
  'tokens:revoke': RevokeReply,
  'tokens:confirmRevoke': RevokeReply,
  'tokens:remove': TokenReply,
  'oauthApps:list': z.object({ apps: z.array(PublicOAuthApp) }),
  'oauthApps:add': AppReply,
  'oauthApps:remove': AppReply,
  'oauth:connect': TokenReply,
  'oauth:cancel': z.object({ cancelled: z.boolean() }),
  'settings:get': SettingsReply,
  'settings:set': SettingsReply,
  'teams:list': TeamsListReply,
  'teams:status': TeamStatusReply,
  'teams:sync': z.object({ results: z.array(TeamSyncEvent) }),
  'teams:resolve': z.object({
    id: z.string(),
    /** Null when the version kept is not shared with this member: the window shows the id. */
    label: z.string().nullable(),
    keep: z.enum(['mine', 'theirs']),
    /** One sentence: which version won, and whether the team has it yet. */
    message: z.string(),
    /** The sync that followed, to share the choice; null when none ran. */
    sync: TeamSyncEvent.nullable(),
  }),
  'teams:rotate': z.object({
    token: z.object({ id: z.string(), label: z.string() }),
    /** The replaced secret, kept in the team as revoke pending until Webflow rejects it. */
    old: z.object({ id: z.string(), label: z.string(), plan: RevokePlan }),
  }),
  'teams:rotateOAuth': z.object({ id: z.string(), label: z.string() }),
  'settings:installCli': CliInstallReply,
} as const;

export const OAuthStage = z.enum(['listening', 'browser_opened', 'callback_refused', 'exchanging_code', 'testing', 'done', 'failed', 'cancelled']);

export const EVENTS = {
  'event:vaultChanged': VaultStatusReply.extend({ reason: z.enum(['initialized', 'unlocked', 'locked', 'changed']) }),
  'event:testProgress': z.object({ done: z.number().int(), total: z.number().int(), result: TokenTestResult }),
  /** `authorizeUrl` lets the window show the link when the browser could not be opened. */
  'event:oauthProgress': z.object({ stage: OAuthStage, message: z.string(), authorizeUrl: z.string().optional() }),
  /** The tray's "Open in window": the window brings that token into view. */
  /** The tray asks the window to show a token; `team` names a team token's team. */
  'event:showToken': z.object({ id: z.string(), team: z.string().optional() }),
  /** A team sync finished (timer or "Sync now"): its state only, never a token. */
  'event:teamSync': TeamSyncEvent,
} as const;
