import { describe, expect, it } from 'vitest';
import { loadRaster } from '../../../test/load-raster.ts';
import { labToRgb, rgbToLab } from './colour.ts';
import { colourModel, likeness, type ColourModel } from './skin.ts';

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

describe('likeness', () => {
  it('takes skin in deep shade for skin where asked, but not darker hair of its hue, which is more saturated', () => {
    // Skin models and colours (L*, a*, b*) of real photos: couple.jpg's woman's cheek shaded by her ear, and img8's
    // auburn lock over her temple, as a swap sees them.
    const woman: ColourModel = { median: [80.8, 15.4, 21.3], spread: [7.8, 3.2, 3.1] };
    const actress: ColourModel = { median: [74.8, 17.7, 20.2], spread: [7.8, 3.5, 3] };
    const like = (lab: number[], model: ColourModel, shade?: number) => likeness(labToRgb(Float32Array.from(lab)), model, { redder: 0.3, shade })[0];
    const shadedCheek = [35, 14, 16];
    expect(like(shadedCheek, woman)).toBeLessThan(0.6);
    expect(like(shadedCheek, woman, 2)).toBe(1);
    const auburnLock = [53, 22, 30];
    expect(like(auburnLock, actress, 2)).toBe(like(auburnLock, actress));
    expect(like(auburnLock, actress, 2)).toBeLessThan(0.6);
  });
});
