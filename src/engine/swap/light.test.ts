import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACES_DIR, loadRaster } from '../../../test/load-raster.ts';
import { ellipse } from '../../../test/shapes.ts';
import { halve } from '../face/pyramid.ts';
import { srgbToLinear } from './colour.ts';
import { matchLight } from './light.ts';
import { rasterizePolygon } from './mask.ts';
import { readRgb } from './patch.ts';

describe.skipIf(!existsSync(FACES_DIR))('matchLight on real faces', () => {
  it("brings a dim face up to a bright one's light without bleaching what it pushes past white", async () => {
    // img16's face is lit dimly, img18's brightly: the gain reaches its limit, and the brightest pinks and highlights
    // would clip in their red channel alone (turning white) were the gain not held back for the whole pixel.
    // The two faces at about the same size: img16's as it is, img18's halved.
    const w = 190, h = 215;
    const src = readRgb(await loadRaster('img16.jpg'), { x: 288, y: 100, width: w, height: h });
    const tgt = readRgb(halve(await loadRaster('img18.jpg')), { x: 205, y: 146, width: w, height: h });
    const weight = rasterizePolygon(ellipse(w / 2, h / 2, w * 0.4, h * 0.45), { x: 0, y: 0, width: w, height: h });
    const out = matchLight(src, tgt, weight, w, h, { sigma: 25 });
    const luma = (rgb: Float32Array, q: number) => 0.2126 * srgbToLinear(rgb[q]) + 0.7152 * srgbToLinear(rgb[q + 1]) + 0.0722 * srgbToLinear(rgb[q + 2]);
    // How each pixel's red-to-green ratio (in linear light) changes: only with the light's colour, which is smooth.
    const change = (q: number) => srgbToLinear(out[q]) / Math.max(1e-4, srgbToLinear(out[q + 1])) / (srgbToLinear(src[q]) / Math.max(1e-4, srgbToLinear(src[q + 1])));
    let brighter = 0, smooth = 0, counted = 0;
    for (let p = 0; p < w * h - 1; p++) {
      if (!(weight[p] > 0.5 && weight[p + 1] > 0.5) || (p + 1) % w === 0) continue;
      counted++;
      if (luma(out, p * 3) > 1.5 * luma(src, p * 3)) brighter++;
      if (Math.abs(change(p * 3) - change(p * 3 + 3)) <= 0.01 * change(p * 3)) smooth++;
    }
    expect(brighter / counted).toBeGreaterThan(0.5);
    expect(smooth / counted).toBeGreaterThan(0.995);
  });

  it("takes on the target's light's colour: a face lit warm on one side and cold on the other, evenly lit (img34 -> img13)", async () => {
    // img34's face is lit warm from the picture's left and cold from its right; img13's evenly.
    const w = 380, h = 400;
    const src = readRgb(await loadRaster('img34.jpg'), { x: 714, y: 173, width: w, height: h });
    const tgt = readRgb(await loadRaster('img13.jpg'), { x: 801, y: 311, width: w, height: h });
    const weight = rasterizePolygon(ellipse(w / 2, h / 2, w * 0.4, h * 0.45), { x: 0, y: 0, width: w, height: h });
    const out = matchLight(src, tgt, weight, w, h, { sigma: 0.12 * h });
    // The log of the mean red-to-green ratio (linear) on the left half over that on the right half.
    const tilt = (rgb: Float32Array) => {
      const sums = [0, 0, 0, 0];
      for (let p = 0; p < w * h; p++) {
        if (!(weight[p] > 0.5)) continue;
        const half = p % w < w / 2 ? 0 : 2;
        sums[half] += srgbToLinear(rgb[p * 3]);
        sums[half + 1] += srgbToLinear(rgb[p * 3 + 1]);
      }
      return Math.log(sums[0] / sums[1] / (sums[2] / sums[3]));
    };
    // 0.28 in img34, 0.08 in img13; 0.16 out (0.36 when only the light's strength was matched).
    expect(Math.abs(tilt(tgt))).toBeLessThan(0.1);
    expect(Math.abs(tilt(out) - tilt(tgt))).toBeLessThan(0.5 * Math.abs(tilt(src) - tilt(tgt)));
  });
});
