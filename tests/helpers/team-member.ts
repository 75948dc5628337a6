// A team member for tests of git and age: their own vault in a folder under `root`, its key in a
// keychain of their own (in memory: these tests are not about the OS keychain), and Webflow a
// closed loopback port, since nothing done with it tests a token.
import { join } from 'node:path';
import { PassphraseBroker } from '../../main/services/app-passphrase.js';
import type { ServiceDeps } from '../../main/services/deps.js';
import { MemoryKeychain } from '../../main/vault/keychain.js';
import { makeVault } from './test-vault.js';

export async function offlineMember(root: string, name: string, passphrase = new PassphraseBroker()): Promise<ServiceDeps> {
  const keychain = new MemoryKeychain();
  const vault = makeVault(join(root, name), passphrase, keychain);
  await vault.init('keychain');
  const webflow = { apiBaseUrl: 'http://127.0.0.1:9', oauthBaseUrl: 'http://127.0.0.1:9', timeoutMs: 100, maxRetries: 0, maxRetryWaitMs: 0 };
  return { vault, keychain, webflow, now: () => new Date() };
}
