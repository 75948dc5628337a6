// Replaces secrets in a byte stream, also when a secret arrives split across several writes:
// bytes that could be the start of a secret are held back until the next write decides.
import { Transform, type TransformCallback } from 'node:stream';

export const MASK = '<concealed by wfvault>';
const MASK_BYTES = Buffer.from(MASK);

export class MaskStream extends Transform {
  private readonly secrets: Buffer[];
  private pending = Buffer.alloc(0);

  constructor(secrets: readonly string[]) {
    super();
    // Longest first, so that a secret containing another is replaced whole.
    this.secrets = [...new Set(secrets.filter((s) => s.length > 0))].map((s) => Buffer.from(s)).sort((a, b) => b.length - a.length);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const { out, rest } = this.replace(buf);
    const hold = this.partialSuffix(rest);
    this.pending = Buffer.from(rest.subarray(rest.length - hold));
    const ready = rest.subarray(0, rest.length - hold);
    if (out.length > 0 || ready.length > 0) this.push(Buffer.concat([...out, ready]));
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.pending.length > 0) this.push(this.pending);
    this.pending = Buffer.alloc(0);
    done();
  }

  /** Every whole secret replaced; `rest` is what follows the last replacement. */
  private replace(buf: Buffer): { out: Buffer[]; rest: Buffer } {
    const out: Buffer[] = [];
    let from = 0;
    for (;;) {
      let at = -1;
      let hit: Buffer | undefined;
      for (const s of this.secrets) {
        const i = buf.indexOf(s, from);
        if (i >= 0 && (at < 0 || i < at)) {
          at = i;
          hit = s;
        }
      }
      if (!hit) return { out, rest: buf.subarray(from) };
      out.push(buf.subarray(from, at), MASK_BYTES);
      from = at + hit.length;
    }
  }

  /** Length of the longest tail of `buf` that is the beginning of a secret. */
  private partialSuffix(buf: Buffer): number {
    const longest = this.secrets[0]?.length ?? 0;
    for (let k = Math.min(longest - 1, buf.length); k > 0; k--) {
      const tail = buf.subarray(buf.length - k);
      if (this.secrets.some((s) => s.length > k && s.subarray(0, k).equals(tail))) return k;
    }
    return 0;
  }
}
