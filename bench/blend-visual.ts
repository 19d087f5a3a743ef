/**
 * Visual check of the swap primitives: pastes the face of one real photo into another with a hand-placed
 * ellipse mask and writes PNGs to bench/out/ (hard paste, feather only, Poisson, multi-band; with and without colour transfer).
 * Run: npx tsx bench/blend-visual.ts
 */
import { mkdirSync } from 'node:fs';
import { loadRaster, saveRaster } from '../test/load-raster.ts';
import type { Raster } from '../src/engine/image/raster.ts';
import { compositeInto, multiBandBlend, poissonBlend } from '../src/engine/swap/blend.ts';
import { matchColourStats } from '../src/engine/swap/colour.ts';
import { matchLight } from '../src/engine/swap/light.ts';
import { featherMask, rasterizePolygon } from '../src/engine/swap/mask.ts';
import { readRgb } from '../src/engine/swap/patch.ts';
import { boundingRect, type Rect } from '../src/engine/swap/region.ts';
import { warpTriangles } from '../src/engine/swap/warp.ts';
import { ellipse } from '../test/shapes.ts';

const OUT = 'bench/out';

/** Affine (a, b, c, d, e, f) mapping three points p onto three points q. */
function affine3(p: number[], q: number[]): number[] {
  const [x0, y0, x1, y1, x2, y2] = p;
  const det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
  const solve = (u0: number, u1: number, u2: number) => {
    const a = ((u1 - u0) * (y2 - y0) - (u2 - u0) * (y1 - y0)) / det;
    const b = ((u2 - u0) * (x1 - x0) - (u1 - u0) * (x2 - x0)) / det;
    return [a, b, u0 - a * x0 - b * y0];
  };
  return [...solve(q[0], q[2], q[4]), ...solve(q[1], q[3], q[5])];
}

function crop(img: Raster, r: Rect): Raster {
  const out = { width: r.width, height: r.height, data: new Uint8ClampedArray(r.width * r.height * 4) };
  for (let y = 0; y < r.height; y++) out.data.set(img.data.subarray(((r.y + y) * img.width + r.x) * 4, ((r.y + y) * img.width + r.x + r.width) * 4), y * r.width * 4);
  return out;
}

function cloneRaster(img: Raster): Raster {
  return { width: img.width, height: img.height, data: img.data.slice() };
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const pairs = [
    // target, source, target eyes+mouth, source eyes+mouth, ellipse (cx, cy, rx, ry) in the target
    { name: 'img3-into-img1', target: 'img1.jpg', source: 'img3.jpg', tp: [575, 522, 844, 529, 727, 800], sp: [606, 694, 915, 679, 785, 1025], el: [715, 690, 225, 310] },
    { name: 'img1-into-img3', target: 'img3.jpg', source: 'img1.jpg', tp: [606, 694, 915, 679, 785, 1025], sp: [575, 522, 844, 529, 727, 800], el: [772, 840, 225, 320] },
  ];
  for (const pair of pairs) {
    const target = await loadRaster(pair.target);
    const source = await loadRaster(pair.source);
    const [cx, cy, rx, ry] = pair.el;
    const outline = ellipse(cx, cy, rx, ry);
    const rect = boundingRect(outline, { pad: 12, clipWidth: target.width, clipHeight: target.height });
    const A = affine3(pair.tp, pair.sp);
    const corners = [rect.x, rect.y, rect.x + rect.width, rect.y, rect.x + rect.width, rect.y + rect.height, rect.x, rect.y + rect.height];
    const dst = new Float32Array(corners);
    const src = new Float32Array(8);
    for (let k = 0; k < 8; k += 2) {
      src[k] = A[0] * corners[k] + A[1] * corners[k + 1] + A[2];
      src[k + 1] = A[3] * corners[k] + A[4] * corners[k + 1] + A[5];
    }
    const warped = warpTriangles(source, src, dst, [0, 1, 2, 0, 2, 3], rect);
    const tRgb = readRgb(target, rect);
    const poly = rasterizePolygon(outline, rect);
    const mask = featherMask(poly, rect.width, rect.height, { erode: 4, feather: 36 });
    const inner = featherMask(poly, rect.width, rect.height, { erode: 20, feather: 1 });
    const matched = matchColourStats(warped.rgb, inner, tRgb, inner);
    const shaded = matchLight(matched, tRgb, inner, rect.width, rect.height, { sigma: Math.max(rect.width, rect.height) / 8 });
    const hard = new Float32Array(poly.length);
    for (let p = 0; p < poly.length; p++) hard[p] = poly[p] >= 0.5 ? 1 : 0;

    const variants: [string, Float32Array, Float32Array][] = [
      ['1-hard-raw', warped.rgb, hard],
      ['2-hard-colour', shaded, hard],
      ['3-feather-colour', shaded, mask],
      ['4-poisson-colour', poissonBlend(tRgb, shaded, mask, rect.width, rect.height), mask],
      ['5-multiband-colour', multiBandBlend(tRgb, shaded, mask, rect.width, rect.height), mask],
      ['6-multiband-raw', multiBandBlend(tRgb, warped.rgb, mask, rect.width, rect.height), mask],
    ];
    const view = boundingRect(outline, { pad: 60, clipWidth: target.width, clipHeight: target.height });
    await saveRaster(crop(target, view), `${OUT}/${pair.name}-0-target.png`);
    for (const [label, rgb, m] of variants) {
      const out = cloneRaster(target);
      compositeInto(out, rect, rgb, m);
      await saveRaster(crop(out, view), `${OUT}/${pair.name}-${label}.png`);
    }
    console.log(`wrote ${pair.name} (${rect.width}x${rect.height} region)`);
  }
}

await main();
