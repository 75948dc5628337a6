// How an MCP client should start this CLI: `wfvault` when it is on PATH, else the absolute path
// of the running script (through node where the script cannot be run directly), so a rewritten
// config works whichever way wfvault was installed.
import { constants } from 'node:fs';
import { access, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { VaultLauncher } from '../core/mcp-config.js';
import { defaultVaultDir } from '../vault/paths.js';

async function executable(file: string): Promise<boolean> {
  return access(file, constants.X_OK).then(
    () => true,
    () => false,
  );
}

export async function onPath(name: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const names = process.platform === 'win32' ? [`${name}.cmd`, `${name}.exe`] : [name];
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const n of names) if (await executable(path.join(dir, n))) return true;
  }
  return false;
}

export async function vaultLauncher(vaultDir: string): Promise<VaultLauncher & { note?: string }> {
  // An MCP client starts servers without the shell's WFVAULT_DIR, so a vault elsewhere is named.
  const dirArgs = path.resolve(vaultDir) === path.resolve(defaultVaultDir()) ? [] : ['--vault-dir', path.resolve(vaultDir)];
  if (await onPath('wfvault')) return { command: 'wfvault', args: dirArgs };
  const script = await realpath(process.argv[1] ?? '');
  const direct = process.platform !== 'win32' && (await executable(script));
  const launcher = direct ? { command: script, args: dirArgs } : { command: process.execPath, args: [script, ...dirArgs] };
  return { ...launcher, note: `wfvault is not on PATH, so the config starts it by its absolute path (${launcher.command}). Install the wfvault command to keep the config short.` };
}
