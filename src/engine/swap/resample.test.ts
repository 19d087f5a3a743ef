import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACES_DIR, loadRaster } from '../../../test/load-raster.ts';
import { createRaster, type Raster } from '../image/raster.ts';
import { enlargeBilinear, lanczos, resizeRaster } from './resample.ts';

function meanAbsDiff(a: Raster, b: Raster, channels = 3): number {
  let total = 0;
  for (let p = 0; p < a.width * a.height; p++) for (let c = 0; c < channels; c++) total += Math.abs(a.data[p * 4 + c] - b.data[p * 4 + c]);
  return total / (a.width * a.height * channels);
}

describe('lanczos', () => {
  it('is 1 at 0, 0 at other integers and past its lobes', () => {
    expect(lanczos(0)).toBe(1);
    for (const x of [1, 2, -1, -2]) expect(Math.abs(lanczos(x))).toBeLessThan(1e-12);
    expect(lanczos(3)).toBe(0);
    expect(lanczos(-3.5)).toBe(0);
  });
});

describe('resizeRaster', () => {
  it('produces the requested sizes', () => {
    const img = createRaster(37, 21);
    for (const [w, h] of [[74, 42], [13, 9], [37, 21], [1, 1], [100, 5]]) {
      const out = resizeRaster(img, w, h);
      expect([out.width, out.height, out.data.length]).toEqual([w, h, w * h * 4]);
    }
  });

  it('keeps a constant image exactly constant, up and down, opaque or not', () => {
    for (const alpha of [255, 128]) {
      const img = createRaster(41, 29);
      for (let p = 0; p < 41 * 29; p++) img.data.set([17, 128, 240, alpha], p * 4);
      for (const [w, h] of [[97, 61], [20, 13], [41, 29]]) {
        const out = resizeRaster(img, w, h);
        let off = 0;
        for (let p = 0; p < w * h; p++) {
          const d = out.data.subarray(p * 4, p * 4 + 4);
          if (Math.abs(d[0] - 17) + Math.abs(d[1] - 128) + Math.abs(d[2] - 240) + Math.abs(d[3] - alpha) > (alpha === 255 ? 0 : 2)) off++;
        }
        expect(off).toBe(0);
      }
    }
  });

  it('is the identity at the same size', () => {
    const img = createRaster(16, 9);
    for (let i = 0; i < img.data.length; i++) img.data[i] = (i * 31) & 255;
    for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
    expect(Array.from(resizeRaster(img, 16, 9).data)).toEqual(Array.from(img.data));
  });

  it('does not darken colours next to transparent pixels (premultiplied alpha)', () => {
    const img = createRaster(8, 8);
    for (let p = 0; p < 64; p++) img.data.set(p % 8 < 4 ? [255, 40, 40, 255] : [0, 0, 0, 0], p * 4);
    const out = resizeRaster(img, 16, 16);
    for (let x = 0; x < 16; x++) {
      const d = out.data.subarray((8 * 16 + x) * 4, (8 * 16 + x) * 4 + 4);
      if (d[3] > 8) expect(d[0]).toBeGreaterThan(240);
    }
  });

  it.skipIf(!existsSync(FACES_DIR))('upscale then downscale of a real photo comes back within a level or so', async () => {
    const photo = await loadRaster('img10.jpg'); // 408 x 594
    const up = resizeRaster(photo, photo.width * 2, photo.height * 2);
    const back = resizeRaster(up, photo.width, photo.height);
    expect(meanAbsDiff(back, photo)).toBeLessThan(1.5);
    const odd = resizeRaster(resizeRaster(photo, 731, 1063), photo.width, photo.height);
    expect(meanAbsDiff(odd, photo)).toBeLessThan(2);
    // Downscaling keeps the mean colour.
    const small = resizeRaster(photo, 102, 148);
    for (let c = 0; c < 3; c++) {
      let a = 0;
      let b = 0;
      for (let p = 0; p < photo.width * photo.height; p++) a += photo.data[p * 4 + c];
      for (let p = 0; p < small.width * small.height; p++) b += small.data[p * 4 + c];
      expect(b / (small.width * small.height)).toBeCloseTo(a / (photo.width * photo.height), 0);
    }
  });
});

describe('enlargeBilinear', () => {
  it('keeps a constant, and a linear ramp exactly linear between the edge samples', () => {
    const w = 5, h = 4;
    const src = new Float32Array(w * h * 2);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) src.set([7, 10 * x + 3 * y], (y * w + x) * 2);
    const out = enlargeBilinear(src, 2, w, h, 15, 12);
    expect(out.length).toBe(15 * 12 * 2);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 15; x++) {
        expect(out[(y * 15 + x) * 2]).toBeCloseTo(7, 5);
        // Centres aligned: output x maps to (x + 0.5) / 3 - 0.5 in the input, clamped to the edge samples.
        const sx = Math.min(w - 1, Math.max(0, (x + 0.5) / 3 - 0.5));
        const sy = Math.min(h - 1, Math.max(0, (y + 0.5) / 3 - 0.5));
        expect(out[(y * 15 + x) * 2 + 1]).toBeCloseTo(10 * sx + 3 * sy, 4);
      }
    }
  });
});
