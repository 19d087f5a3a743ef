import { describe, expect, it } from 'vitest';
import { collapsePyramid, gaussianPyramid, laplacianPyramid, pyrDown, pyrUp } from './pyramid.ts';

describe('image pyramids', () => {
  const w = 75;
  const h = 42;
  const img = { width: w, height: h, channels: 3, data: new Float32Array(w * h * 3).map((_, i) => (i * 97) % 256) };

  it('halves sizes rounding up and keeps constants constant', () => {
    const flat = { width: w, height: h, channels: 1, data: new Float32Array(w * h).fill(7) };
    const down = pyrDown(flat);
    expect([down.width, down.height]).toEqual([38, 21]);
    expect(down.data.every((v) => Math.abs(v - 7) < 1e-5)).toBe(true);
    const up = pyrUp(down, w, h);
    expect([up.width, up.height]).toEqual([w, h]);
    expect(up.data.every((v) => Math.abs(v - 7) < 1e-5)).toBe(true);
    expect(gaussianPyramid(flat, 4).map((l) => l.width)).toEqual([75, 38, 19, 10]);
  });

  it('collapses a Laplacian pyramid back to the image', () => {
    const back = collapsePyramid(laplacianPyramid(img, 5));
    let worst = 0;
    for (let k = 0; k < img.data.length; k++) worst = Math.max(worst, Math.abs(back.data[k] - img.data[k]));
    expect(worst).toBeLessThan(1e-3);
  });
});
