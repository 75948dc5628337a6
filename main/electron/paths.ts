// Where the app's files are. The bundle lives in dist/electron/, the sources in main/electron/:
// both sit two levels below the app root (inside app.asar once packaged).
import { join, resolve } from 'node:path';

export const APP_ROOT = resolve(import.meta.dirname, '..', '..');
export const PRELOAD_FILE = join(APP_ROOT, 'dist', 'electron', 'preload.cjs');
export const RENDERER_DIR = join(APP_ROOT, 'renderer', 'dist');
export const ASSETS_DIR = join(APP_ROOT, 'assets');
export const APP_ICON = join(ASSETS_DIR, 'icon.png');
export const PLACEHOLDER_HTML = join(ASSETS_DIR, 'placeholder.html');
