// Draws the app and tray icons into assets/ as PNGs, so they are reproducible from this file
// rather than binary blobs of unknown origin. Run: node scripts/make-icons.js
import { mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const OUT = new URL('../assets/', import.meta.url);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const rows = [];
  for (let y = 0; y < size; y++) rows.push(Buffer.from([0]), rgba.subarray(y * size * 4, (y + 1) * size * 4));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Paints layers (later ones on top); each layer is [coverage(x, y) in unit square, [r, g, b]]. */
function render(size, layers) {
  const out = Buffer.alloc(size * size * 4);
  const S = 4; // supersampling per axis, for smooth edges at 16 px
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const x = (px + (sx + 0.5) / S) / size;
          const y = (py + (sy + 0.5) / S) / size;
          let cr = 0, cg = 0, cb = 0, ca = 0;
          for (const [inside, [lr, lg, lb]] of layers) {
            if (inside(x, y)) [cr, cg, cb, ca] = [lr, lg, lb, 1];
          }
          r += cr * ca; g += cg * ca; b += cb * ca; a += ca;
        }
      }
      const i = (py * size + px) * 4;
      const n = S * S;
      out[i] = a ? Math.round(r / a) : 0;
      out[i + 1] = a ? Math.round(g / a) : 0;
      out[i + 2] = a ? Math.round(b / a) : 0;
      out[i + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}

const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const ring = (cx, cy, r1, r2) => (x, y) => {
  const d = (x - cx) ** 2 + (y - cy) ** 2;
  return d <= r2 * r2 && d >= r1 * r1;
};
const rect = (x0, y0, x1, y1) => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const roundRect = (x0, y0, x1, y1, rad) => (x, y) => {
  if (!rect(x0, y0, x1, y1)(x, y)) return false;
  const cx = Math.min(Math.max(x, x0 + rad), x1 - rad);
  const cy = Math.min(Math.max(y, y0 + rad), y1 - rad);
  return (x - cx) ** 2 + (y - cy) ** 2 <= rad * rad;
};
const union = (...fs) => (x, y) => fs.some((f) => f(x, y));
const minus = (f, g) => (x, y) => f(x, y) && !g(x, y);

// The vault door: a ring with a keyhole.
const keyhole = union(circle(0.5, 0.44, 0.09), rect(0.46, 0.44, 0.54, 0.66));
const door = minus(union(ring(0.5, 0.5, 0.3, 0.42), circle(0.5, 0.5, 0.22)), keyhole);

const BADGE = { ok: [34, 160, 80], warning: [230, 150, 20], failing: [214, 48, 49], locked: null };
const GLYPH = { light: [34, 34, 34], dark: [238, 238, 238] };

mkdirSync(OUT, { recursive: true });
for (const [state, colour] of Object.entries(BADGE)) {
  for (const [theme, glyph] of Object.entries(GLYPH)) {
    for (const [suffix, size] of [['', 16], ['@2x', 32]]) {
      const layers = [];
      if (colour) {
        // A coloured badge, with the door cut back around it so the two do not blur together.
        layers.push([minus(door, circle(0.78, 0.78, 0.27)), glyph], [circle(0.78, 0.78, 0.2), colour]);
      } else {
        // Locked: a small padlock instead of a colour, which monochrome panels still show.
        const lock = union(roundRect(0.62, 0.72, 0.96, 0.98, 0.03), minus(ring(0.79, 0.72, 0.07, 0.12), rect(0.6, 0.72, 1, 1)));
        layers.push([minus(door, rect(0.56, 0.54, 1, 1)), glyph], [lock, glyph]);
      }
      writeFileSync(new URL(`tray-${state}-${theme}${suffix}.png`, OUT), png(size, render(size, layers)));
    }
  }
}

const appIcon = [
  [roundRect(0.04, 0.04, 0.96, 0.96, 0.18), [67, 83, 255]],
  [(x, y) => door((x - 0.5) / 0.8 + 0.5, (y - 0.5) / 0.8 + 0.5), [255, 255, 255]],
];
writeFileSync(new URL('icon.png', OUT), png(512, render(512, appIcon)));
console.log('icons written to assets/');
