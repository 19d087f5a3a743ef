import { describe, expect, it } from 'vitest';
import { loadRaster } from '../../../test/load-raster.ts';
import { addDetail } from './detail.ts';
import { readRgb } from './patch.ts';

describe('addDetail', () => {
  it('adds no lightness along the edge of what was rendered: a block of nothing rendered weighs nothing', async () => {
    // img24's cheek and nose, "rendered" over a staircase region (as the parts taken from the mirrored side are).
    const rect = { x: 520, y: 560, width: 120, height: 120 };
    const { width: w, height: h } = rect;
    const from = readRgb(await loadRaster('img24.jpg'), rect);
    const coverage = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) coverage[y * w + x] = x >= 37 + Math.floor(y / 23) * 7 ? 1 : 0;
    const rgb = new Float32Array(w * h * 3);
    addDetail(rgb, new Float32Array(w * h).fill(1), w, 2, from, { x: 0, y: 0, width: w, height: h }, coverage);
    // The detail added along the rendered side of the edge, its first pixel: detail is as often darker as lighter.
    const edge: number[] = [];
    for (let y = 0; y < h; y++) {
      for (let x = 1; x < w; x++) {
        const p = y * w + x;
        if (coverage[p] > 0 && coverage[p - 1] === 0) edge.push((rgb[p * 3] + rgb[p * 3 + 1] + rgb[p * 3 + 2]) / 3);
      }
    }
    const mean = edge.reduce((a, b) => a + b, 0) / edge.length;
    // 2.2 levels lighter on average when blocks with nothing rendered counted as black in the means enlarged (the
    // lines lighter still where blocks meet the edge at a corner); 0.09 now.
    expect(Math.abs(mean)).toBeLessThan(1);
  });
});
