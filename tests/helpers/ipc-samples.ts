// One well-formed request per channel: the base the fuzz mutates, and proof that the schemas
// accept what the window really sends.
import type { CallChannel, RequestOf } from '../../preload/contract.js';

export const VALID_REQUESTS: { [C in CallChannel]: RequestOf<C> } = {
  'vault:status': {},
  'vault:init': { mode: 'passphrase', passphrase: 'correct horse battery staple' },
  'vault:unlock': { passphrase: 'correct horse battery staple' },
  'vault:lock': {},
  'tokens:list': {},
  'tokens:add': { label: 'Acme site', kind: 'site', secret: 'a'.repeat(64), offline: true, notes: 'n', tags: ['prod'] },
  'tokens:update': { id: 'abcd123456', label: 'Renamed', notes: 'x', tags: ['a'] },
  'tokens:test': { id: 'abcd123456' },
  'tokens:testAll': {},
  'tokens:copy': { id: 'abcd123456' },
  'tokens:revoke': { id: 'abcd123456' },
  'tokens:confirmRevoke': { id: 'abcd123456' },
  'tokens:remove': { id: 'abcd123456' },
  'oauthApps:list': {},
  'oauthApps:add': { name: 'My app', clientId: 'cid', clientSecret: 'csecret', redirectUri: 'http://localhost:8976/callback', scopes: ['sites:read'] },
  'oauthApps:remove': { id: 'abcd123456' },
  'oauth:connect': { appId: 'abcd123456', label: 'Acme OAuth', scopes: ['sites:read', 'cms:write'] },
  'oauth:cancel': {},
  'settings:get': {},
  'settings:set': { clipboardClearSeconds: 45, autoLockMinutes: 5 },
  'teams:list': {},
  'teams:status': { team: 'acme' },
  'teams:sync': { team: 'acme' },
  'teams:resolve': { team: 'acme', id: 'abcd123456', keep: 'mine' },
  'teams:rotate': { team: 'acme', id: 'abcd123456', secret: 'b'.repeat(64) },
  'teams:rotateOAuth': { team: 'acme', id: 'abcd123456' },
  'settings:installCli': {},
};
