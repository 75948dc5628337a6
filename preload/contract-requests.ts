// What the window may send. Every object is strict: an unknown key is refused rather than dropped,
// so a renderer bug or an injected script cannot smuggle options the handlers never meant to take.
import { z } from 'zod';
import { Settings, TokenKind } from '../main/core/token.js';

const Empty = z.object({}).strict();

/** Ids come from `newId` (base32, 10 chars); prefixes are a CLI convenience the window never needs. */
export const TokenId = z.string().regex(/^[0-9a-z]{4,40}$/, 'expected a token id');
const AppId = TokenId;
const Label = z.string().min(1).max(200);
const Notes = z.string().max(10_000);
const Tags = z.array(z.string().max(64)).max(50);
/** Long enough for any Webflow token; `normalizeSecret` applies the exact rules and messages. */
const Secret = z.string().min(1).max(8192);
const Passphrase = z.string().min(1).max(1024);
const Scopes = z.array(z.string().regex(/^[a-z_]+(?::[a-z_]+)?$/, 'expected a scope such as sites:read')).max(64);

const ById = z.object({ id: TokenId }).strict();

/** The same rule as a team's folder name on disk (main/team/local-state.ts TEAM_NAME_RE). */
export const TeamName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,39}$/u, 'expected a team name');
/** A personal token by id, or a team's token when `team` names the team. */
const ByTokenRef = z.object({ id: TokenId, team: TeamName.optional() }).strict();
const ByTeam = z.object({ team: TeamName }).strict();

/** Every setting optional: `settings:set` changes only what it names. */
const SettingsPatch = z
  .object({
    clipboardClearSeconds: Settings.shape.clipboardClearSeconds.unwrap(),
    rotationReminderDays: Settings.shape.rotationReminderDays.unwrap(),
    autoLockMinutes: Settings.shape.autoLockMinutes.unwrap(),
    trayOnClose: Settings.shape.trayOnClose.unwrap(),
    launchAtLogin: Settings.shape.launchAtLogin.unwrap(),
  })
  .partial()
  .strict();

export const REQUESTS = {
  'vault:status': Empty,
  'vault:init': z.discriminatedUnion('mode', [
    z.object({ mode: z.literal('keychain') }).strict(),
    z.object({ mode: z.literal('passphrase'), passphrase: Passphrase }).strict(),
  ]),
  /** A keychain vault unlocks without a passphrase; a passphrase vault needs one. */
  'vault:unlock': z.object({ passphrase: Passphrase.optional() }).strict(),
  'vault:lock': Empty,
  'tokens:list': Empty,
  /** The only call that carries a token's secret towards main. */
  'tokens:add': z
    .object({
      // Without a label, main names the token after its sites or workspace (core/auto-label.ts).
      label: Label.optional(),
      kind: TokenKind.optional(),
      secret: Secret,
      offline: z.boolean().optional(),
      notes: Notes.optional(),
      tags: Tags.optional(),
    })
    .strict(),
  'tokens:update': z.object({ id: TokenId, label: Label.optional(), notes: Notes.optional(), tags: Tags.optional() }).strict(),
  'tokens:test': ByTokenRef,
  'tokens:testAll': Empty,
  'tokens:copy': ByTokenRef,
  'tokens:revoke': ByTokenRef,
  'tokens:confirmRevoke': ByTokenRef,
  'tokens:remove': ById,
  'oauthApps:list': Empty,
  'oauthApps:add': z
    .object({
      name: Label,
      clientId: z.string().min(1).max(256),
      clientSecret: Secret,
      redirectUri: z.string().min(1).max(2048),
      scopes: Scopes,
    })
    .strict(),
  'oauthApps:remove': z.object({ id: AppId }).strict(),
  'oauth:connect': z.object({ appId: AppId, label: Label.optional(), scopes: Scopes.optional() }).strict(),
  'oauth:cancel': Empty,
  'settings:get': Empty,
  'settings:set': SettingsPatch,
  'teams:list': Empty,
  'teams:status': ByTeam,
  /** Without a team: every team this machine joined. */
  'teams:sync': z.object({ team: TeamName.optional() }).strict(),
  /** Which version of a token changed here and by another member wins; main checks that it is a conflict. */
  'teams:resolve': z.object({ team: TeamName, id: TokenId, keep: z.enum(['mine', 'theirs']) }).strict(),
  /** A Site or Workspace token's replacement, pasted in: the second call that carries a secret towards main. */
  'teams:rotate': z.object({ team: TeamName, id: TokenId, secret: Secret }).strict(),
  'teams:rotateOAuth': z.object({ team: TeamName, id: TokenId }).strict(),
  /** `replace`: the person agreed to replace a wfvault the app did not write. */
  'settings:installCli': z.object({ replace: z.boolean().optional() }).strict(),
} as const;

/** Request fields that hold secrets: scrubbed from any error message as a last line of defence. */
export const SECRET_FIELDS = ['secret', 'passphrase', 'clientSecret'] as const;
