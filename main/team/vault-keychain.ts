// Team keys in passphrase mode: a machine that keeps its vault key under a passphrase may have no
// OS keychain at all (a server, a container, a desktop without a Secret Service), so the member's
// private keys go inside the personal vault file, encrypted with the same passphrase-derived key
// as the tokens. Behind the Keychain interface, the team code needs no second path.
import type { Keychain } from '../vault/keychain.js';
import type { Vault } from '../vault/vault.js';

export class VaultKeychain implements Keychain {
  readonly backend: string;

  constructor(private readonly vault: Pick<Vault, 'read' | 'update' | 'path'>) {
    this.backend = `the passphrase vault at ${vault.path}`;
  }

  async get(account: string): Promise<string | null> {
    const data = await this.vault.read();
    return Object.hasOwn(data.teamKeys ?? {}, account) ? data.teamKeys![account]! : null;
  }

  async set(account: string, secret: string): Promise<void> {
    await this.vault.update((data) => {
      data.teamKeys = { ...data.teamKeys, [account]: secret };
    });
  }

  async delete(account: string): Promise<boolean> {
    return this.vault.update((data) => {
      if (!data.teamKeys || !Object.hasOwn(data.teamKeys, account)) return false;
      const { [account]: _gone, ...rest } = data.teamKeys;
      data.teamKeys = rest;
      return true;
    });
  }
}
