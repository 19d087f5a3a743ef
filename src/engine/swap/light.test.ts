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
    let brighter = 0, hueKept = 0, counted = 0;
    for (let q = 0; q < out.length; q += 3) {
      if (!(weight[q / 3] > 0.5)) continue;
      counted++;
      if (luma(out, q) > 1.5 * luma(src, q)) brighter++;
      // In linear light a gain keeps the channels' ratios.
      const [r0, g0, r1, g1] = [srgbToLinear(src[q]), srgbToLinear(src[q + 1]), srgbToLinear(out[q]), srgbToLinear(out[q + 1])];
      if (Math.abs(r1 / Math.max(1e-4, g1) - r0 / Math.max(1e-4, g0)) <= 0.02 * (r0 / Math.max(1e-4, g0))) hueKept++;
    }
    expect(brighter / counted).toBeGreaterThan(0.5);
    expect(hueKept / counted).toBeGreaterThan(0.995);
  });
});
