import { describe, expect, it } from 'vitest';
import { loadRaster } from '../../../test/load-raster.ts';
import { rgbToLab } from './colour.ts';
import { colourModel } from './skin.ts';

/** The median of sorted values, and the robust spread (1.4826 times the median absolute deviation). */
function sortedFigures(values: Float32Array): [number, number] {
  const median = (v: Float32Array) => {
    const s = Float32Array.from(v).sort();
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const mid = median(values);
  return [mid, 1.4826 * median(values.map((x) => Math.abs(x - mid)))];
}

describe('colourModel', () => {
  it("gives the sorted samples' median and spread, for odd and even counts of a real photo's pixels", async () => {
    const image = await loadRaster('img1.jpg');
    for (const count of [3001, 3000]) {
      // A run of pixels across the face, as interleaved RGB.
      const start = (900 * image.width + 500) * 4;
      const rgb = new Float32Array(count * 3);
      for (let k = 0; k < count; k++) for (let c = 0; c < 3; c++) rgb[k * 3 + c] = image.data[start + k * 4 + c];
      const model = colourModel(rgb, new Float32Array(count).fill(1));
      const lab = rgbToLab(rgb);
      for (let c = 0; c < 3; c++) {
        const [median, spread] = sortedFigures(lab.filter((_, i) => i % 3 === c));
        expect(model.median[c]).toBe(median);
        expect(model.spread[c]).toBe(Math.max([7, 2.5, 3][c], spread));
      }
    }
  });
});
