import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACES_DIR, loadRaster } from '../../../test/load-raster.ts';
import { labToRgb, linearToSrgb, maskedStats, matchColourStats, rgbToLab, srgbToLinear, transferShading } from './colour.ts';
import { gaussianBlur, rasterizePolygon } from './mask.ts';
import { lumaOf, readRgb } from './patch.ts';

function ellipse(cx: number, cy: number, rx: number, ry: number, n = 128): Float32Array {
  const pts = new Float32Array(n * 2);
  for (let k = 0; k < n; k++) {
    pts[2 * k] = cx + rx * Math.cos((2 * Math.PI * k) / n);
    pts[2 * k + 1] = cy + ry * Math.sin((2 * Math.PI * k) / n);
  }
  return pts;
}

describe('colour spaces', () => {
  it('round-trips sRGB through linear light and L*a*b*', () => {
    for (let v = 0; v <= 255; v += 0.37) expect(linearToSrgb(srgbToLinear(v))).toBeCloseTo(v, 1);
    const rgb = new Float32Array(3 * 1000);
    let s = 3;
    for (let i = 0; i < rgb.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      rgb[i] = (s >>> 16) % 256;
    }
    const back = labToRgb(rgbToLab(rgb));
    let worst = 0;
    for (let i = 0; i < rgb.length; i++) worst = Math.max(worst, Math.abs(back[i] - rgb[i]));
    expect(worst).toBeLessThan(0.1);
  });

  it('puts white, black and sRGB red where CIE puts them', () => {
    const lab = rgbToLab(new Float32Array([255, 255, 255, 0, 0, 0, 255, 0, 0]));
    expect(lab[0]).toBeCloseTo(100, 1);
    expect(Math.abs(lab[1])).toBeLessThan(0.05);
    expect(lab[3]).toBeCloseTo(0, 3);
    expect(lab[6]).toBeCloseTo(53.24, 0);
    expect(lab[7]).toBeCloseTo(80.09, 0);
    expect(lab[8]).toBeCloseTo(67.2, 0);
  });
});

describe.skipIf(!existsSync(FACES_DIR))('matchColourStats on real faces', () => {
  it('gives the masked source the target face statistics', async () => {
    const srcImg = await loadRaster('img3.jpg');
    const tgtImg = await loadRaster('img1.jpg');
    const sRect = { x: 500, y: 550, width: 560, height: 640 };
    const tRect = { x: 480, y: 380, width: 480, height: 620 };
    const src = readRgb(srcImg, sRect);
    const tgt = readRgb(tgtImg, tRect);
    // Grade the target as if lit by dim, warm light so the two faces differ clearly.
    for (let q = 0; q < tgt.length; q += 3) {
      tgt[q] *= 0.85;
      tgt[q + 1] *= 0.75;
      tgt[q + 2] *= 0.55;
    }
    const sMask = rasterizePolygon(ellipse(780, 860, 230, 290), sRect);
    const tMask = rasterizePolygon(ellipse(720, 690, 200, 280), tRect);
    const out = matchColourStats(src, sMask, tgt, tMask, { gainRange: [0.25, 4] });
    const got = maskedStats(rgbToLab(out), sMask);
    const want = maskedStats(rgbToLab(tgt), tMask);
    const before = maskedStats(rgbToLab(src), sMask);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(got.mean[c] - want.mean[c])).toBeLessThan(1);
      expect(Math.abs(got.std[c] / want.std[c] - 1)).toBeLessThan(0.04);
    }
    // The photos really differ, so the test means something.
    expect(Math.abs(before.mean[0] - want.mean[0]) + Math.abs(before.mean[2] - want.mean[2])).toBeGreaterThan(15);
    // Half strength moves the means half way.
    const half = maskedStats(rgbToLab(matchColourStats(src, sMask, tgt, tMask, { strength: 0.5, gainRange: [0.25, 4] })), sMask);
    expect(half.mean[0]).toBeCloseTo((before.mean[0] + want.mean[0]) / 2, 0);
  });
});

describe('transferShading', () => {
  it('imposes the target light gradient on a flat textured source and keeps the texture', () => {
    const w = 160;
    const h = 120;
    const src = new Float32Array(w * h * 3);
    const tgt = new Float32Array(w * h * 3);
    let s = 1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const q = (y * w + x) * 3;
        s = (s * 1103515245 + 12345) >>> 0;
        const tex = ((s >>> 16) % 21) - 10;
        for (let c = 0; c < 3; c++) src[q + c] = 150 + tex;
        const light = 70 + (120 * x) / w; // dark on the left, bright on the right
        for (let c = 0; c < 3; c++) tgt[q + c] = light;
      }
    }
    const mask = rasterizePolygon(ellipse(80, 60, 70, 50), { x: 0, y: 0, width: w, height: h });
    const out = transferShading(src, tgt, mask, w, h, { sigma: 6, ratioRange: [0.2, 5] });
    const yo = lumaOf(out);
    const yt = lumaOf(tgt);
    const bo = gaussianBlur(yo, w, h, 6);
    // Low frequencies follow the target inside the mask (away from its edge).
    for (const x of [30, 60, 80, 100, 130]) expect(Math.abs(bo[60 * w + x] - yt[60 * w + x])).toBeLessThan(6);
    // The texture survives: the high-pass of the result correlates with the source's.
    const ys = lumaOf(src);
    const bs = gaussianBlur(ys, w, h, 2);
    const bo2 = gaussianBlur(yo, w, h, 2);
    let num = 0, da = 0, db = 0;
    for (let y = 40; y < 80; y++) for (let x = 50; x < 110; x++) {
      const p = y * w + x;
      const a = ys[p] - bs[p];
      const b = yo[p] - bo2[p];
      num += a * b; da += a * a; db += b * b;
    }
    expect(num / Math.sqrt(da * db)).toBeGreaterThan(0.95);
    // Unmasked pixels far from the mask keep their colour.
    expect(out[0]).toBeCloseTo(src[0], 0);
  });

  it('clamps the ratio', () => {
    const w = 40;
    const h = 40;
    const src = new Float32Array(w * h * 3).fill(200);
    const tgt = new Float32Array(w * h * 3).fill(5);
    const mask = new Float32Array(w * h).fill(1);
    const out = transferShading(src, tgt, mask, w, h, { ratioRange: [0.5, 2] });
    expect(srgbToLinear(out[3 * 820])).toBeCloseTo(srgbToLinear(200) * 0.5, 3);
  });
});
