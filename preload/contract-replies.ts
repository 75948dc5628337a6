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
const SettingsReply = z.object({ settings: Settings });
const AppReply = z.object({ app: PublicOAuthApp });

export const REPLIES = {
  'vault:status': VaultStatusReply,
  'vault:init': VaultStatusReply,
  'vault:unlock': VaultStatusReply,
  'vault:lock': VaultStatusReply,
  'tokens:list': z.object({ tokens: z.array(PublicToken), tombstones: z.array(Tombstone) }),
  'tokens:add': z.object({ token: PublicToken, tested: z.boolean() }),
  'tokens:update': TokenReply,
  'tokens:test': z.object({ result: TokenTestResult }),
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
} as const;

export const OAuthStage = z.enum(['listening', 'browser_opened', 'callback_refused', 'exchanging_code', 'testing', 'done', 'failed', 'cancelled']);

export const EVENTS = {
  'event:vaultChanged': VaultStatusReply.extend({ reason: z.enum(['initialized', 'unlocked', 'locked', 'changed']) }),
  'event:testProgress': z.object({ done: z.number().int(), total: z.number().int(), result: TokenTestResult }),
  /** `authorizeUrl` lets the window show the link when the browser could not be opened. */
  'event:oauthProgress': z.object({ stage: OAuthStage, message: z.string(), authorizeUrl: z.string().optional() }),
  /** The tray's "Open in window": the window brings that token into view. */
  'event:showToken': z.object({ id: z.string() }),
} as const;
