#!/usr/bin/env node
// Draws the KVMNet icon from one description into kvmnet.svg and png/<size>x<size>.png, with
// nothing but node:zlib (no ImageMagick, no rasterizer): two guests linked to a bridge and an uplink.
// Run after changing the shapes: node resources/icons/generate-icons.mjs
import { deflateSync, crc32 } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const VIEW = 512;
const SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const BACKGROUND = '#0e7490';
const LINK = '#e0f2fe';
const GUEST = '#ffffff';
const BRIDGE = '#fbbf24';

/** Painted in order, in a 512×512 space. */
const shapes = [
  { kind: 'roundRect', x: 32, y: 32, w: 448, h: 448, r: 96, fill: BACKGROUND },
  { kind: 'line', x1: 150, y1: 176, x2: 256, y2: 330, width: 30, fill: LINK },
  { kind: 'line', x1: 362, y1: 176, x2: 256, y2: 330, width: 30, fill: LINK },
  { kind: 'line', x1: 256, y1: 330, x2: 256, y2: 440, width: 30, fill: LINK },
  { kind: 'circle', cx: 150, cy: 176, r: 58, fill: GUEST },
  { kind: 'circle', cx: 362, cy: 176, r: 58, fill: GUEST },
  { kind: 'circle', cx: 256, cy: 330, r: 62, fill: BRIDGE },
];

function svg() {
  const body = shapes.map((s) => {
    if (s.kind === 'roundRect') return `<rect x="${s.x}" y="${s.y}" width="${s.w}" height="${s.h}" rx="${s.r}" fill="${s.fill}"/>`;
    if (s.kind === 'line') return `<line x1="${s.x1}" y1="${s.y1}" x2="${s.x2}" y2="${s.y2}" stroke="${s.fill}" stroke-width="${s.width}" stroke-linecap="round"/>`;
    return `<circle cx="${s.cx}" cy="${s.cy}" r="${s.r}" fill="${s.fill}"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${VIEW} ${VIEW}" width="${VIEW}" height="${VIEW}">\n  <title>KVMNet</title>\n  ${body.join('\n  ')}\n</svg>\n`;
}

function inside(s, x, y) {
  if (s.kind === 'circle') return (x - s.cx) ** 2 + (y - s.cy) ** 2 <= s.r ** 2;
  if (s.kind === 'line') {
    const dx = s.x2 - s.x1;
    const dy = s.y2 - s.y1;
    const t = Math.max(0, Math.min(1, ((x - s.x1) * dx + (y - s.y1) * dy) / (dx * dx + dy * dy)));
    return (x - s.x1 - t * dx) ** 2 + (y - s.y1 - t * dy) ** 2 <= (s.width / 2) ** 2;
  }
  const cx = Math.max(s.x + s.r, Math.min(s.x + s.w - s.r, x));
  const cy = Math.max(s.y + s.r, Math.min(s.y + s.h - s.r, y));
  return x >= s.x && x <= s.x + s.w && y >= s.y && y <= s.y + s.h && (x - cx) ** 2 + (y - cy) ** 2 <= s.r ** 2;
}

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** 4×4 supersampling per pixel; colours are averaged with premultiplied alpha. */
function rasterize(size) {
  const samples = 4;
  const pixels = Buffer.alloc(size * size * 4);
  const colours = shapes.map((s) => rgb(s.fill));
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = ((px + (sx + 0.5) / samples) * VIEW) / size;
          const y = ((py + (sy + 0.5) / samples) * VIEW) / size;
          for (let i = shapes.length - 1; i >= 0; i--) {
            if (!inside(shapes[i], x, y)) continue;
            [r, g, b] = [r + colours[i][0], g + colours[i][1], b + colours[i][2]];
            a++;
            break;
          }
        }
      }
      const o = (py * size + px) * 4;
      if (a > 0) [pixels[o], pixels[o + 1], pixels[o + 2]] = [Math.round(r / a), Math.round(g / a), Math.round(b / a)];
      pixels[o + 3] = Math.round((a * 255) / (samples * samples));
    }
  }
  return pixels;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(here, 'png'), { recursive: true });
writeFileSync(join(here, 'kvmnet.svg'), svg());
for (const size of SIZES) writeFileSync(join(here, 'png', `${size}x${size}.png`), png(size, rasterize(size)));
console.log(`wrote kvmnet.svg and ${SIZES.length} PNGs (${SIZES.join(', ')} px) to ${here}`);
