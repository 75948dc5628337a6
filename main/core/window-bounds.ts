// Where the window reopens. A remembered place is used only while it is still on a screen: after
// a monitor is unplugged, a window restored off-screen cannot be reached.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowPlace extends Rect {
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1100, height: 720 } as const;
export const MIN_SIZE = { width: 720, height: 480 } as const;
/** How much of the title bar must be on a screen for the place to count as reachable. */
const VISIBLE_MIN = 64;

export function isWindowPlace(value: unknown): value is WindowPlace {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const num = (k: string) => typeof v[k] === 'number' && Number.isFinite(v[k]) && Math.abs(v[k]) < 100_000;
  return num('x') && num('y') && num('width') && num('height') && typeof v.maximized === 'boolean';
}

/** The saved place if it still fits a screen (size clamped to that screen), else centred on the primary one. */
export function placeWindow(saved: WindowPlace | null, workAreas: readonly Rect[]): WindowPlace {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved) {
    const screen = workAreas.find((area) => titleBarVisible(saved, area));
    if (screen) {
      const width = clamp(saved.width, MIN_SIZE.width, screen.width);
      const height = clamp(saved.height, MIN_SIZE.height, screen.height);
      return { x: saved.x, y: saved.y, width, height, maximized: saved.maximized };
    }
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  return {
    x: Math.round(primary.x + (primary.width - width) / 2),
    y: Math.round(primary.y + (primary.height - height) / 2),
    width,
    height,
    maximized: saved?.maximized ?? false,
  };
}

function titleBarVisible(win: Rect, area: Rect): boolean {
  const overlapX = Math.min(win.x + win.width, area.x + area.width) - Math.max(win.x, area.x);
  const top = win.y;
  return overlapX >= VISIBLE_MIN && top >= area.y && top <= area.y + area.height - VISIBLE_MIN;
}

function clamp(n: number, min: number, max: number): number {
  return Math.max(Math.min(n, max), Math.min(min, max));
}
