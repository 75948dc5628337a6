// Remembers where the window was. Stored beside the vault as plain JSON: a window's place is not a
// secret, and a broken or missing file just means the default place. Written as the vault is
// (temp file, rename), and never through a link someone put at its name.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from '../vault/atomic.js';
import { isWindowPlace, type WindowPlace } from '../core/window-bounds.js';

const FILE = 'window-state.json';

export function loadWindowPlace(dir: string): WindowPlace | null {
  try {
    const value: unknown = JSON.parse(readFileSync(join(dir, FILE), 'utf8'));
    return isWindowPlace(value) ? value : null;
  } catch {
    return null;
  }
}

export async function saveWindowPlace(dir: string, place: WindowPlace): Promise<void> {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    await writeFileDurably(join(dir, FILE), `${JSON.stringify(place)}\n`, { mode: 0o600, followLinks: false });
  } catch {
    /* losing the window's place is not worth an error dialog */
  }
}
