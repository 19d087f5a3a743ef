import { describe, expect, it } from 'vitest';
import { createRaster, cropRaster, type Raster } from '../image/raster.ts';
import { loadRaster } from '../../../test/load-raster.ts';
import {
  applyAffine,
  composeAffine,
  cropAffine,
  estimateSimilarity,
  invertAffine,
  warpToTensor,
  type Affine,
} from './affine.ts';
import { buildPyramid, halve, halvedCrop, pickLevel } from './pyramid.ts';

function gradient(width: number, height: number): Raster {
  const r = createRaster(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      r.data[i] = x;
      r.data[i + 1] = y;
      r.data[i + 2] = (x + y) & 255;
      r.data[i + 3] = 255;
    }
  }
  return r;
}

describe('affine maps', () => {
  it('inverts and composes', () => {
    const m: Affine = [1.3, -0.4, 12, 0.2, 0.9, -7];
    const id = composeAffine(invertAffine(m), m);
    [1, 0, 0, 0, 1, 0].forEach((v, i) => expect(id[i]).toBeCloseTo(v, 10));
    const [x, y] = applyAffine(m, 3, 4);
    expect(applyAffine(invertAffine(m), x, y)).toEqual([expect.closeTo(3, 10), expect.closeTo(4, 10)]);
  });

  it('crops a turned square onto the output, centre to centre', () => {
    const m = cropAffine(100, 50, 40, Math.PI / 6, 192);
    expect(applyAffine(m, 100, 50)).toEqual([expect.closeTo(96, 9), expect.closeTo(96, 9)]);
    // A point along the turned x axis lands on the output's horizontal through the centre.
    const [x, y] = applyAffine(m, 100 + 20 * Math.cos(Math.PI / 6), 50 + 20 * Math.sin(Math.PI / 6));
    expect(x).toBeCloseTo(192, 9);
    expect(y).toBeCloseTo(96, 9);
  });

  it('recovers a similarity from point pairs', () => {
    const truth = cropAffine(40, 60, 80, 0.3, 112);
    const from = [10, 20, 70, 25, 40, 60, 20, 90, 65, 95];
    const to: number[] = [];
    for (let i = 0; i < from.length; i += 2) to.push(...applyAffine(truth, from[i], from[i + 1]));
    const fit = estimateSimilarity(from, to);
    fit.forEach((v, i) => expect(v).toBeCloseTo(truth[i], 9));
  });
});

describe('warpToTensor', () => {
  const image = gradient(64, 48);

  it('copies pixels through the identity, mapping 0…255 to the range', () => {
    const t = warpToTensor(image, [1, 0, 0, 0, 1, 0], 64, 48, { range: [-1, 1] });
    const at = (x: number, y: number, c: number) => t[(y * 64 + x) * 3 + c];
    expect(at(10, 20, 0)).toBeCloseTo(-1 + (2 * 10) / 255, 5);
    expect(at(10, 20, 1)).toBeCloseTo(-1 + (2 * 20) / 255, 5);
    expect(at(63, 47, 2)).toBeCloseTo(-1 + (2 * 110) / 255, 5);
  });

  it('interpolates bilinearly and reads black outside the picture', () => {
    // Shift by half a pixel: each output pixel averages two source columns.
    const t = warpToTensor(image, [1, 0, -0.5, 0, 1, 0], 8, 8, { range: [0, 255], samples: 1 });
    expect(t[(3 * 8 + 4) * 3]).toBeCloseTo(4.5, 4);
    const outside = warpToTensor(image, [1, 0, 100, 0, 1, 0], 4, 4, { range: [0, 1] });
    expect(Math.max(...outside)).toBe(0);
    const edge = warpToTensor(image, [1, 0, -100, 0, 1, 0], 4, 4, { range: [0, 255], border: 'edge' });
    expect(edge[0]).toBeCloseTo(63, 4);
  });

  it('reads the picture mirrored about its outermost pixels beyond its edges', () => {
    // Output pixel (u, v) reads pixel (u - 10, v - 5): red is x, green y in the picture.
    const t = warpToTensor(image, [1, 0, 10, 0, 1, 5], 84, 58, { range: [0, 255], samples: 1, border: 'mirror' });
    const at = (u: number, v: number) => [t[(v * 84 + u) * 3], t[(v * 84 + u) * 3 + 1]];
    expect(at(3, 2)[0]).toBeCloseTo(7, 4);
    expect(at(3, 2)[1]).toBeCloseTo(3, 4);
    expect(at(20, 20)).toEqual([10, 15]);
    // Past the right and bottom edges (x 63, y 47): x 66 reads 60, y 50 reads 44.
    expect(at(76, 55)[0]).toBeCloseTo(60, 4);
    expect(at(76, 55)[1]).toBeCloseTo(44, 4);
  });

  it('gives the same result on the fast and the general path', () => {
    const m = cropAffine(30, 20, 50, 0.4, 40);
    const fast = warpToTensor(image, m, 40, 40, { samples: 1 });
    const general = warpToTensor(image, m, 40, 40, { samples: 1, border: 'edge' });
    // Inside the picture both paths sample identically.
    const inv = invertAffine(m);
    for (let v = 0; v < 40; v++) {
      for (let u = 0; u < 40; u++) {
        const [x, y] = applyAffine(inv, u + 0.5, v + 0.5);
        if (x < 1 || y < 1 || x > 63 || y > 47) continue;
        expect(fast[(v * 40 + u) * 3]).toBeCloseTo(general[(v * 40 + u) * 3], 5);
      }
    }
  });

  it('samples a crop inside the picture as it samples one reaching past its edge', () => {
    // The same picture inside a black frame of 10 px: there, the crop lies wholly inside.
    const framed = createRaster(84, 68);
    for (let y = 0; y < 48; y++) framed.data.set(image.data.subarray(y * 64 * 4, (y + 1) * 64 * 4), ((y + 10) * 84 + 10) * 4);
    const m = cropAffine(20, 15, 30, 0.3, 16);
    for (const samples of [1, 2, 3]) {
      const edge = warpToTensor(image, m, 16, 16, { samples });
      const inside = warpToTensor(framed, composeAffine(m, [1, 0, -10, 0, 1, -10]), 16, 16, { samples });
      expect(Math.max(...edge.map((v, i) => Math.abs(v - inside[i])))).toBeLessThan(1e-5);
      expect(Math.max(...inside)).toBeGreaterThan(0.1);
    }
  });

  it('averages several samples per pixel when shrinking', () => {
    const stripes = createRaster(64, 64);
    for (let i = 0; i < 64 * 64; i++) stripes.data[i * 4] = (i % 64) % 2 ? 255 : 0;
    const t = warpToTensor(stripes, [0.25, 0, 0, 0, 0.25, 0], 16, 16, { range: [0, 1] });
    expect(t[(8 * 16 + 8) * 3]).toBeCloseTo(0.5, 2);
  });
});

describe('pyramid', () => {
  it('halves by 2×2 averages and picks the level that keeps a pixel per output pixel', () => {
    const image = gradient(256, 256);
    const half = halve(image);
    expect(half.width).toBe(128);
    expect(half.data[(10 * 128 + 20) * 4]).toBe(Math.round((40 + 41) / 2));
    const pyramid = buildPyramid(image, 32);
    expect(pyramid.levels.map((l) => l.width)).toEqual([256, 128, 64, 32]);
    const m: Affine = [0.2, 0, 0, 0, 0.2, 0];
    const level = pickLevel(pyramid, m, 0.2);
    expect(level.image.width).toBe(64);
    // The re-expressed map sends a level pixel where the original map sends the matching original pixel.
    expect(applyAffine(level.toOutput, 10, 10)).toEqual(applyAffine(m, 40, 40));
  });

  it('halves every channel with per-byte rounding, odd sizes and unaligned buffers included', () => {
    const width = 5, height = 3;
    const bytes = new Uint8ClampedArray(new ArrayBuffer(width * height * 4 + 1), 1, width * height * 4);
    bytes.forEach((_, i) => (bytes[i] = (i * 97 + 13) % 256));
    const half = halve({ width, height, data: bytes });
    expect([half.width, half.height]).toEqual([2, 1]);
    for (let x = 0; x < 2; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dx: number, dy: number) => bytes[(dy * width + 2 * x + dx) * 4 + c];
        expect(half.data[x * 4 + c]).toBe(c === 3 ? 255 : (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) >> 2);
      }
    }
  });

  it('halves a crop of a photo as halving the cropped copy does, an odd corner and odd sizes included', async () => {
    const photo = await loadRaster('img1.jpg');
    const area = { x: 301, y: 457, width: 611, height: 743 };
    for (const halvings of [0, 1, 3]) {
      let expected = cropRaster(photo, area);
      for (let k = 0; k < halvings; k++) expected = halve(expected);
      const got = halvedCrop(photo, area, halvings);
      expect([got.width, got.height]).toEqual([expected.width, expected.height]);
      expect(Buffer.from(got.data).equals(Buffer.from(expected.data))).toBe(true);
    }
  });
});
