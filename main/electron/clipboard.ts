// The clipboard port on Electron: the text and the "concealed" markers go in one atomic write, so
// history managers (Klipper, CopyQ, Windows clipboard history, macOS managers) skip the token.
import { clipboard, ClipboardItem } from 'electron';
import type { ClipboardPort } from '../services/app-ports.js';

const raw = (format: string) => `electron application/osclipboard;format="${format}"`;

/** The platform's "do not keep this" formats, as KeePassXC writes them. */
export function concealedFormats(platform: NodeJS.Platform): Record<string, string | Blob> {
  if (platform === 'darwin') return { [raw('org.nspasteboard.ConcealedType')]: '' };
  if (platform === 'win32') {
    const dwordZero = new Blob([new Uint8Array(4)]);
    return {
      [raw('ExcludeClipboardContentFromMonitorProcessing')]: '',
      [raw('CanIncludeInClipboardHistory')]: dwordZero,
      [raw('CanUploadToCloudClipboard')]: dwordZero,
    };
  }
  return { [raw('x-kde-passwordManagerHint')]: 'secret' };
}

export function electronClipboard(platform: NodeJS.Platform = process.platform): ClipboardPort {
  return {
    writeConcealed: (text) => clipboard.write([new ClipboardItem({ 'text/plain': text, ...concealedFormats(platform) })]),
    readText: () => clipboard.readText(),
    clear: async () => clipboard.clear(),
  };
}
