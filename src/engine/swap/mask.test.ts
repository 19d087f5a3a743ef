import { describe, expect, it } from 'vitest';
import { boxRadii, distanceInside, featherMask, gaussianBlur, rasterizePolygon } from './mask.ts';

function circle(cx: number, cy: number, r: number, n = 256): Float32Array {
  const pts = new Float32Array(n * 2);
  for (let k = 0; k < n; k++) {
    pts[2 * k] = cx + r * Math.cos((2 * Math.PI * k) / n);
    pts[2 * k + 1] = cy + r * Math.sin((2 * Math.PI * k) / n);
  }
  return pts;
}

const sum = (a: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
};

describe('rasterizePolygon', () => {
  it('gives an axis-aligned square its exact area, fractional edges included', () => {
    const rect = { x: 0, y: 0, width: 64, height: 64 };
    expect(sum(rasterizePolygon([10, 10, 50, 10, 50, 50, 10, 50], rect))).toBeCloseTo(1600, 3);
    const m = rasterizePolygon([10.3, 10.25, 40.6, 10.25, 40.6, 30.75, 10.3, 30.75], rect);
    expect(sum(m)).toBeCloseTo(30.3 * 20.5, 2);
    expect(m[20 * 64 + 10]).toBeCloseTo(0.7, 5);
  });

  it('gives a circle and a rotated square their area within 0.2 %', () => {
    const rect = { x: 100, y: 50, width: 300, height: 300 };
    const pi = sum(rasterizePolygon(circle(250.3, 199.7, 120, 2048), rect));
    expect(Math.abs(pi / (Math.PI * 120 * 120) - 1)).toBeLessThan(0.002);
    const diamond = [250, 80, 370, 200, 250, 320, 130, 200];
    expect(Math.abs(sum(rasterizePolygon(diamond, rect)) / (2 * 120 * 120) - 1)).toBeLessThan(0.002);
  });

  it('clips to the rectangle and reads mesh points through an index outline', () => {
    const mesh = new Float32Array([-10, -10, 0, 30, -10, 0, 999, 999, 0, 30, 30, 0, -10, 30, 0]);
    const m = rasterizePolygon(mesh, { x: 0, y: 0, width: 20, height: 20 }, { stride: 3, indices: [0, 1, 3, 4] });
    expect(sum(m)).toBeCloseTo(400, 3);
  });
});

describe('distanceInside and featherMask', () => {
  it('matches a brute-force Euclidean distance', () => {
    const w = 23;
    const h = 17;
    const mask = new Float32Array(w * h);
    let s = 5;
    for (let p = 0; p < mask.length; p++) {
      s = (s * 1103515245 + 12345) >>> 0;
      mask[p] = (s >>> 16) % 5 === 0 ? 0 : 1;
    }
    const d = distanceInside(mask, w, h);
    for (let p = 0; p < mask.length; p++) {
      let best = Infinity;
      if (mask[p] >= 0.5) {
        for (let q = 0; q < mask.length; q++) {
          if (mask[q] >= 0.5) continue;
          best = Math.min(best, Math.hypot((p % w) - (q % w), Math.floor(p / w) - Math.floor(q / w)));
        }
      } else best = 0;
      expect(d[p]).toBeCloseTo(best, 4);
    }
  });

  it('erodes, feathers monotonically toward the inside and stays 0 outside', () => {
    const rect = { x: 0, y: 0, width: 200, height: 200 };
    const poly = rasterizePolygon(circle(100, 100, 80), rect);
    const f = featherMask(poly, 200, 200, { erode: 10, feather: 20 });
    // Along a ray from the outside to the centre the mask never decreases.
    const row = 100 * 200;
    for (let x = 1; x <= 100; x++) expect(f[row + x]).toBeGreaterThanOrEqual(f[row + x - 1]);
    for (let x = 0; x < 30; x++) expect(f[row + x]).toBe(0); // outside (x < 20) and within the 10 px erosion
    expect(f[row + 100]).toBe(1);
    expect(f[row + 45]).toBeGreaterThan(0);
    expect(f[row + 45]).toBeLessThan(1);
    let bad = 0;
    for (let p = 0; p < f.length; p++) if (f[p] < 0 || f[p] > 1 || (poly[p] < 0.5 && f[p] !== 0)) bad++;
    expect(bad).toBe(0);
  });
});

describe('gaussianBlur', () => {
  it('preserves the mean (mirrored edges) and constants', () => {
    const w = 157;
    const h = 91;
    const plane = new Float32Array(w * h);
    let s = 9;
    for (let p = 0; p < plane.length; p++) {
      s = (s * 1103515245 + 12345) >>> 0;
      plane[p] = (s >>> 20) / 16 + (p % w);
    }
    const before = sum(plane) / plane.length;
    for (const sigma of [0.8, 3, 12, 60]) {
      const b = gaussianBlur(plane, w, h, sigma);
      expect(sum(b) / b.length).toBeCloseTo(before, 2);
    }
    const flat = new Float32Array(w * h).fill(42.5);
    const fb = gaussianBlur(flat, w, h, 7);
    for (let p = 0; p < fb.length; p++) expect(fb[p]).toBeCloseTo(42.5, 3);
  });

  it('approximates a Gaussian: an impulse spreads with variance sigma^2 per axis', () => {
    const n = 201;
    const plane = new Float32Array(n * n);
    plane[100 * n + 100] = 1;
    const sigma = 6;
    const b = gaussianBlur(plane, n, n, sigma);
    let varX = 0;
    let total = 0;
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      total += b[y * n + x];
      varX += b[y * n + x] * (x - 100) ** 2;
    }
    expect(total).toBeCloseTo(1, 4);
    expect(Math.sqrt(varX / total)).toBeCloseTo(sigma, 0);
    expect(boxRadii(sigma, 3).length).toBe(3);
  });

  it('can blur in place', () => {
    const plane = new Float32Array([0, 0, 9, 0, 0, 0, 0, 0, 0]);
    const copy = gaussianBlur(plane, 3, 3, 1);
    gaussianBlur(plane, 3, 3, 1, plane);
    expect(Array.from(plane)).toEqual(Array.from(copy));
  });
});
