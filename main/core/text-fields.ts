// Labels, notes and tags end up in terminals, the window and notifications: control characters
// there could move the cursor, rewrite earlier lines or fake output, so they are refused where the
// text enters (the services, for the CLI and the window alike).
import { AppError } from './errors.js';

export const MAX_LABEL_CHARS = 200;
export const MAX_NOTE_CHARS = 4000;
export const MAX_TAG_CHARS = 64;

// C0, DEL and C1 controls, and the bidirectional overrides that reorder what a terminal shows.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;
// Notes may span lines and use tabs; nothing else.
// eslint-disable-next-line no-control-regex
const NOTE_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

function controlAt(text: string, re: RegExp): number | null {
  const m = re.exec(text);
  return m ? m.index + 1 : null;
}

export function checkLabel(raw: string, flag = '--label'): string {
  const label = raw.trim();
  if (!label) throw new AppError('usage', `A label cannot be empty (${flag}).`);
  const at = controlAt(label, CONTROL);
  if (at !== null) throw new AppError('usage', `The label contains a control character (a newline, tab or terminal escape) at position ${at}; use plain text (${flag}).`);
  if (label.length > MAX_LABEL_CHARS) throw new AppError('usage', `The label is longer than ${MAX_LABEL_CHARS} characters (${flag}).`);
  return label;
}

export function checkNote(note: string, flag = '--note'): string {
  const at = controlAt(note, NOTE_CONTROL);
  if (at !== null) throw new AppError('usage', `The note contains a control character (a terminal escape or similar) at position ${at}; use plain text (${flag}).`);
  if (note.length > MAX_NOTE_CHARS) throw new AppError('usage', `The note is longer than ${MAX_NOTE_CHARS} characters (${flag}).`);
  return note;
}

export function checkTag(raw: string, flag = '--tag'): string {
  const tag = raw.trim();
  if (!tag) throw new AppError('usage', `A tag cannot be empty (${flag}).`);
  const at = controlAt(tag, CONTROL);
  if (at !== null) throw new AppError('usage', `A tag contains a control character at position ${at}; use plain text (${flag}).`);
  if (tag.length > MAX_TAG_CHARS) throw new AppError('usage', `A tag is at most ${MAX_TAG_CHARS} characters (${flag}).`);
  return tag;
}

export function checkTags(tags: readonly string[], flag = '--tag'): string[] {
  return [...new Set(tags.map((t) => checkTag(t, flag)))];
}
