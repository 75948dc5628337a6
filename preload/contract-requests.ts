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
  'tokens:test': ById,
  'tokens:testAll': Empty,
  'tokens:copy': ById,
  'tokens:revoke': ById,
  'tokens:confirmRevoke': ById,
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
} as const;

/** Request fields that hold secrets: scrubbed from any error message as a last line of defence. */
export const SECRET_FIELDS = ['secret', 'passphrase', 'clientSecret'] as const;
