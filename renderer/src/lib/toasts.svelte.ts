// Short messages in their own strip at the bottom of the window. Errors stay until dismissed
// (role="alert" in the view); everything else fades after a few seconds. The copy toast counts
// down to the moment main clears the clipboard, so the person knows how long the token is there.
export type Tone = 'info' | 'success' | 'error';

export interface Toast {
  id: number;
  tone: Tone;
  text: string;
  /** Seconds left, for a countdown shown next to the text; null for plain toasts. */
  secondsLeft: number | null;
}

class ToastList {
  items = $state<Toast[]>([]);
  private next = 1;
  private timers = new Map<number, ReturnType<typeof setInterval>>();

  show(text: string, tone: Tone = 'info', ms = tone === 'error' ? 0 : 5000): number {
    const id = this.next++;
    this.items = [...this.items, { id, tone, text, secondsLeft: null }];
    if (ms > 0) this.timers.set(id, setTimeout(() => this.dismiss(id), ms));
    return id;
  }

  error(text: string): number {
    return this.show(text, 'error');
  }

  /** "Copied X" with a countdown, then a last word when the clearing time has come. */
  countdown(text: string, seconds: number, done: string): number {
    const id = this.next++;
    this.items = [...this.items, { id, tone: 'success', text, secondsLeft: seconds }];
    const ends = Date.now() + seconds * 1000;
    const timer = setInterval(() => {
      const left = Math.max(0, Math.ceil((ends - Date.now()) / 1000));
      if (left > 0) {
        this.update(id, { secondsLeft: left });
        return;
      }
      clearInterval(timer);
      this.timers.delete(id);
      this.update(id, { text: done, secondsLeft: null, tone: 'info' });
      this.timers.set(id, setTimeout(() => this.dismiss(id), 4000));
    }, 1000);
    this.timers.set(id, timer);
    return id;
  }

  dismiss(id: number): void {
    const t = this.timers.get(id);
    if (t !== undefined) {
      clearTimeout(t);
      clearInterval(t);
    }
    this.timers.delete(id);
    this.items = this.items.filter((i) => i.id !== id);
  }

  private update(id: number, patch: Partial<Toast>): void {
    this.items = this.items.map((i) => (i.id === id ? { ...i, ...patch } : i));
  }
}

export const toasts = new ToastList();
