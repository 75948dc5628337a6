// An in-memory stand-in for main/vault's Vault with the same surface (status, init, read, update,
// lock) and the same passphrase behaviour, for handler tests that must not depend on a keychain.
import { AppError } from '../../main/core/errors.js';
import { VaultData } from '../../main/core/token.js';
import { emptyVaultData } from '../../main/core/token-values.js';

type Mode = 'keychain' | 'passphrase';

export class FakeVault {
  private data: VaultData | null = null;
  private unlocked = false;
  private mode: Mode | null = null;
  private passphrase: string | null = null;

  constructor(private readonly opts: { dir: string; getPassphrase(purpose: 'unlock' | 'create'): Promise<string> }) {}

  /** The vault folder, where the real vault's teams live too. */
  get dir(): string {
    return this.opts.dir;
  }

  async status() {
    return { initialized: this.data !== null, unlocked: this.unlocked, mode: this.mode, dir: this.opts.dir, path: `${this.opts.dir}/vault.wfv`, warnings: [] as string[] };
  }

  async init(mode: Mode) {
    if (this.data) throw new AppError('already_initialized', 'A vault already exists here.');
    if (mode === 'passphrase') this.passphrase = await this.opts.getPassphrase('create');
    this.data = emptyVaultData();
    this.mode = mode;
    this.unlocked = true;
    return this.status();
  }

  async read(): Promise<VaultData> {
    await this.open();
    return structuredClone(this.data!);
  }

  async update<T>(fn: (data: VaultData) => T | Promise<T>): Promise<T> {
    await this.open();
    const copy = structuredClone(this.data!);
    const result = await fn(copy);
    this.data = VaultData.parse(copy);
    return result;
  }

  async lock() {
    this.unlocked = false;
  }

  private async open() {
    if (!this.data) throw new AppError('vault_not_initialized', 'No vault yet: create one first.');
    if (this.unlocked) return;
    if (this.mode === 'passphrase') {
      const given = await this.opts.getPassphrase('unlock');
      if (given !== this.passphrase) throw new AppError('wrong_passphrase', 'Wrong passphrase.');
    }
    this.unlocked = true;
  }
}
