// The Electron clipboard adapter writes the token and the "concealed" markers in one write.
import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./electron-mock.js')));

const { clipboard } = await import('./electron-mock.js');
const { concealedFormats, electronClipboard } = await import('../../main/electron/clipboard.js');

describe('Electron clipboard adapter', () => {
  it('marks the copy concealed for each platform', () => {
    expect(concealedFormats('linux')).toEqual({ 'electron application/osclipboard;format="x-kde-passwordManagerHint"': 'secret' });
    expect(Object.keys(concealedFormats('darwin'))).toEqual(['electron application/osclipboard;format="org.nspasteboard.ConcealedType"']);
    expect(Object.keys(concealedFormats('win32'))).toContain('electron application/osclipboard;format="ExcludeClipboardContentFromMonitorProcessing"');
  });

  it('writes text and markers atomically, reads and clears', async () => {
    const port = electronClipboard('linux');
    await port.writeConcealed('tok');
    expect(clipboard.write).toHaveBeenCalledTimes(1);
    const [items] = clipboard.written.at(-1)!;
    expect(items!.types).toEqual(['text/plain', 'electron application/osclipboard;format="x-kde-passwordManagerHint"']);
    expect(await port.readText()).toBe('tok');
    await port.clear();
    expect(await port.readText()).toBe('');
  });
});
