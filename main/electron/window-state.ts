// Remembers where the window was. Stored beside the vault as plain JSON: a window's place is not a
// secret, and a broken or missing file just means the default place.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
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

export function saveWindowPlace(dir: string, place: WindowPlace): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, FILE), `${JSON.stringify(place)}\n`, { mode: 0o600 });
  } catch {
    /* losing the window's place is not worth an error dialog */
  }
}
