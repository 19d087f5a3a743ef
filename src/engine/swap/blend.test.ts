import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FACES_DIR, loadRaster } from '../../../test/load-raster.ts';
import { createRaster, type Raster } from '../image/raster.ts';
import { compositeInto, multiBandBlend, poissonBlend } from './blend.ts';
import { featherMask, rasterizePolygon } from './mask.ts';
import { readRgb } from './patch.ts';
import { boundingRect, type Rect } from './region.ts';
import { ellipse } from '../../../test/shapes.ts';

/** Mean |I(p) - I(q)| (RGB summed) over 4-neighbour pairs where the mask crosses 0.5. */
function seamError(img: Raster, rect: Rect, mask: Float32Array): number {
  let total = 0;
  let pairs = 0;
  const { width: w, height: h } = rect;
  for (let j = 0; j < h; j++) {
    for (let i = 0; i < w; i++) {
      const p = j * w + i;
      for (const q of [i + 1 < w ? p + 1 : -1, j + 1 < h ? p + w : -1]) {
        if (q < 0 || (mask[p] >= 0.5) === (mask[q] >= 0.5)) continue;
        const a = ((rect.y + Math.floor(p / w)) * img.width + rect.x + (p % w)) * 4;
        const b = ((rect.y + Math.floor(q / w)) * img.width + rect.x + (q % w)) * 4;
        total += Math.abs(img.data[a] - img.data[b]) + Math.abs(img.data[a + 1] - img.data[b + 1]) + Math.abs(img.data[a + 2] - img.data[b + 2]);
        pairs++;
      }
    }
  }
  return total / pairs;
}

function clone(img: Raster): Raster {
  return { width: img.width, height: img.height, data: img.data.slice() };
}

describe('poissonBlend (membrane solve)', () => {
  const w = 220;
  const h = 160;
  const rect = { x: 0, y: 0, width: w, height: h };
  const mask = rasterizePolygon(ellipse(110, 80, 90, 60), rect);

  it('removes a harmonic (linear) difference between source and target exactly', () => {
    const target = new Float32Array(w * h * 3);
    const source = new Float32Array(w * h * 3);
    let s = 4;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const q = (y * w + x) * 3;
        s = (s * 1103515245 + 12345) >>> 0;
        // Texture only inside the domain, so the boundary difference is exactly linear (harmonic).
        const tex = mask[y * w + x] > 0 ? ((s >>> 16) % 31) - 15 : 0;
        for (let c = 0; c < 3; c++) {
          target[q + c] = 100 + 20 * c;
          source[q + c] = target[q + c] + tex + 40 - 0.2 * x + 0.3 * y * (c - 1);
        }
      }
    }
    const out = poissonBlend(target, source, mask, w, h);
    let worst = 0;
    let tex = 0;
    for (let p = 0; p < w * h; p++) {
      if (!(mask[p] > 0)) {
        for (let c = 0; c < 3; c++) if (out[p * 3 + c] !== target[p * 3 + c]) worst = Infinity;
        continue;
      }
      const x = p % w;
      const y = Math.floor(p / w);
      for (let c = 0; c < 3; c++) {
        const texture = source[p * 3 + c] - target[p * 3 + c] - (40 - 0.2 * x + 0.3 * y * (c - 1));
        worst = Math.max(worst, Math.abs(out[p * 3 + c] - (target[p * 3 + c] + texture)));
        tex = Math.max(tex, Math.abs(texture));
      }
    }
    expect(tex).toBeGreaterThan(10);
    expect(worst).toBeLessThan(0.5);
  });

  it('converges: a constant offset on the boundary is removed everywhere inside', () => {
    const target = new Float32Array(w * h * 3).fill(90);
    const source = new Float32Array(w * h * 3).fill(150);
    const out = poissonBlend(target, source, mask, w, h);
    let worst = 0;
    for (let p = 0; p < w * h; p++) if (mask[p] > 0) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(out[p * 3 + c] - 90));
    expect(worst).toBeLessThan(0.5);
  });

  it('limits the correction with maxCorrection', () => {
    const target = new Float32Array(w * h * 3).fill(0);
    const source = new Float32Array(w * h * 3).fill(200);
    const out = poissonBlend(target, source, mask, w, h, { maxCorrection: 50 });
    expect(out[(80 * w + 110) * 3]).toBeCloseTo(150, 3);
  });
});

describe('multiBandBlend', () => {
  it('returns the source where the mask is 1 everywhere and the target where it is 0', () => {
    const w = 97;
    const h = 61;
    const a = new Float32Array(w * h * 3).map((_, i) => (i * 37) % 255);
    const b = new Float32Array(w * h * 3).map((_, i) => (i * 53) % 255);
    const one = multiBandBlend(a, b, new Float32Array(w * h).fill(1), w, h);
    const zero = multiBandBlend(a, b, new Float32Array(w * h), w, h);
    let e1 = 0;
    let e0 = 0;
    for (let k = 0; k < a.length; k++) {
      e1 = Math.max(e1, Math.abs(one[k] - b[k]));
      e0 = Math.max(e0, Math.abs(zero[k] - a[k]));
    }
    expect(e1).toBeLessThan(1e-3);
    expect(e0).toBeLessThan(1e-3);
  });
});

describe('compositeInto', () => {
  it('lerps by the mask, rounds, keeps alpha, and ignores the part of the rectangle off the picture', () => {
    const img = createRaster(4, 3);
    img.data.fill(100);
    const rect = { x: 2, y: 1, width: 3, height: 2 };
    const rgb = new Float32Array(18).fill(200);
    const mask = new Float32Array([1, 0.5, 1, 0, 0.25, 1]);
    compositeInto(img, rect, rgb, mask);
    const px = (x: number, y: number) => Array.from(img.data.subarray((y * 4 + x) * 4, (y * 4 + x) * 4 + 4));
    expect(px(2, 1)).toEqual([200, 200, 200, 100]);
    expect(px(3, 1)).toEqual([150, 150, 150, 100]);
    expect(px(2, 2)).toEqual([100, 100, 100, 100]);
    expect(px(3, 2)).toEqual([125, 125, 125, 100]);
    expect(px(0, 0)).toEqual([100, 100, 100, 100]);
  });
});

describe.skipIf(!existsSync(FACES_DIR))('blending a real face into a real photo', () => {
  let target: Raster;
  let source: Raster;
  const outline = ellipse(715, 690, 225, 310);
  let rect: Rect;
  let poly: Float32Array;
  let mask: Float32Array;
  let tRgb: Float32Array;
  let sRgb: Float32Array;

  beforeAll(async () => {
    target = await loadRaster('img1.jpg');
    source = await loadRaster('img3.jpg');
    rect = boundingRect(outline, { pad: 10, clipWidth: target.width, clipHeight: target.height });
    poly = rasterizePolygon(outline, rect);
    mask = featherMask(poly, rect.width, rect.height, { erode: 4, feather: 36 });
    tRgb = readRgb(target, rect);
    // The other face, shifted so the eyes roughly line up (a crop is enough for blending).
    sRgb = readRgb(source, { x: rect.x + 40, y: rect.y + 160, width: rect.width, height: rect.height });
  });

  for (const [name, blend] of [
    ['multi-band', multiBandBlend],
    ['Poisson', poissonBlend],
  ] as const) {
    it(`${name}: leaves every pixel outside the mask bit-identical and hides the seam better than a hard paste`, () => {
      const out = clone(target);
      compositeInto(out, rect, blend(tRgb, sRgb, mask, rect.width, rect.height), mask);
      let changedOutside = 0;
      let changedInside = 0;
      for (let y = 0; y < target.height; y++) {
        for (let x = 0; x < target.width; x++) {
          const i = x - rect.x;
          const j = y - rect.y;
          const inMask = i >= 0 && j >= 0 && i < rect.width && j < rect.height && mask[j * rect.width + i] > 0;
          const d = (y * target.width + x) * 4;
          const same = out.data[d] === target.data[d] && out.data[d + 1] === target.data[d + 1] && out.data[d + 2] === target.data[d + 2] && out.data[d + 3] === target.data[d + 3];
          if (!inMask && !same) changedOutside++;
          if (inMask && !same) changedInside++;
        }
      }
      expect(changedOutside).toBe(0);
      expect(changedInside).toBeGreaterThan(100_000);

      const hard = new Float32Array(poly.length).map((_, p) => (poly[p] >= 0.5 ? 1 : 0));
      const pasted = clone(target);
      compositeInto(pasted, rect, sRgb, hard);
      const hardSeam = seamError(pasted, rect, hard);
      const blendSeam = seamError(out, rect, mask);
      const natural = seamError(target, rect, mask);
      expect(blendSeam).toBeLessThan(hardSeam * 0.5);
      expect(blendSeam).toBeLessThan(natural * 2);
    });
  }
});
