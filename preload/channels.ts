// The one list of IPC channel names, shared by the preload, the main process and the browser
// harness. Kept free of imports so the sandboxed preload bundle stays tiny.

/** Request/reply calls from the window to main, as `namespace:method`. */
export const CALL_CHANNELS = [
  'vault:status',
  'vault:init',
  'vault:unlock',
  'vault:lock',
  'tokens:list',
  'tokens:add',
  'tokens:update',
  'tokens:test',
  'tokens:testAll',
  'tokens:copy',
  'tokens:revoke',
  'tokens:confirmRevoke',
  'tokens:remove',
  'oauthApps:list',
  'oauthApps:add',
  'oauthApps:remove',
  'oauth:connect',
  'oauth:cancel',
  'settings:get',
  'settings:set',
  'teams:list',
  'teams:status',
  'teams:sync',
  'teams:resolve',
  'teams:rotate',
  'teams:rotateOAuth',
  'settings:installCli',
] as const;
export type CallChannel = (typeof CALL_CHANNELS)[number];

/** Pushes from main to the window. */
export const EVENT_CHANNELS = ['event:vaultChanged', 'event:testProgress', 'event:oauthProgress', 'event:showToken', 'event:teamSync'] as const;
export type EventChannel = (typeof EVENT_CHANNELS)[number];

/** Name of the object the preload puts on `window`. */
export const API_GLOBAL = 'wfvault';

export function isCallChannel(value: unknown): value is CallChannel {
  return typeof value === 'string' && (CALL_CHANNELS as readonly string[]).includes(value);
}

/** `onVaultChanged` for `event:vaultChanged`: the name the renderer subscribes with. */
export function subscriberName(channel: EventChannel): string {
  const rest = channel.slice('event:'.length);
  return `on${rest[0]!.toUpperCase()}${rest.slice(1)}`;
}
