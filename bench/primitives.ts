/**
 * Timings of the swap engine's image primitives at realistic sizes (median of several runs after a warm-up).
 * Run: npx tsx bench/primitives.ts
 */
import { existsSync } from 'node:fs';
import { FACES_DIR, loadRaster } from '../test/load-raster.ts';
import { createRaster, type Raster } from '../src/engine/image/raster.ts';
import { compositeInto, multiBandBlend, poissonBlend } from '../src/engine/swap/blend.ts';
import { matchColourStats } from '../src/engine/swap/colour.ts';
import { matchLight } from '../src/engine/swap/light.ts';
import { featherMask, gaussianBlur, rasterizePolygon } from '../src/engine/swap/mask.ts';
import { readRgb } from '../src/engine/swap/patch.ts';
import { resizeRaster } from '../src/engine/swap/resample.ts';
import { warpTriangles } from '../src/engine/swap/warp.ts';

function time(label: string, fn: () => unknown, runs = 7): void {
  fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log(`${label.padEnd(46)} ${times[Math.floor(runs / 2)].toFixed(1).padStart(7)} ms  (min ${times[0].toFixed(1)})`);
}

function ellipse(cx: number, cy: number, rx: number, ry: number, n: number): Float32Array {
  const pts = new Float32Array(n * 2);
  for (let k = 0; k < n; k++) {
    pts[2 * k] = cx + rx * Math.cos((2 * Math.PI * k) / n);
    pts[2 * k + 1] = cy + ry * Math.sin((2 * Math.PI * k) / n);
  }
  return pts;
}

/** A face-like mesh: a 30 x 30 grid (1800 triangles, like the 898 of MediaPipe's mesh twice over) over a size x size region, gently bent. */
function mesh(size: number, srcOffset: [number, number], srcScale: number) {
  const n = 30;
  const dst = new Float32Array((n + 1) * (n + 1) * 2);
  const src = new Float32Array(dst.length);
  for (let j = 0; j <= n; j++) {
    for (let i = 0; i <= n; i++) {
      const k = (j * (n + 1) + i) * 2;
      const u = i / n;
      const v = j / n;
      dst[k] = 0.25 + u * (size - 0.5);
      dst[k + 1] = 0.25 + v * (size - 0.5);
      src[k] = srcOffset[0] + srcScale * (u * 500 + 20 * Math.sin(3 * v));
      src[k + 1] = srcOffset[1] + srcScale * (v * 500 + 15 * Math.sin(4 * u));
    }
  }
  const tris: number[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const a = j * (n + 1) + i;
      tris.push(a, a + 1, a + n + 2, a, a + n + 2, a + n + 1);
    }
  }
  return { src, dst, tris: new Uint32Array(tris) };
}

async function photo(name: string, fallbackW: number, fallbackH: number): Promise<Raster> {
  if (existsSync(FACES_DIR)) return loadRaster(name);
  const r = createRaster(fallbackW, fallbackH);
  for (let i = 0; i < r.data.length; i++) r.data[i] = (i * 7919) & 255;
  return r;
}

async function main(): Promise<void> {
  const source = await photo('img3.jpg', 1536, 2048);
  const target = await photo('img1.jpg', 1382, 1868);
  console.log(`Node ${process.version}; sizes are the face region (square side)\n`);
  for (const size of [400, 600, 1000]) {
    const rect = { x: 100, y: 100, width: size, height: size };
    const m = mesh(size, [500, 600], 1);
    const dstAbs = m.dst.map((v) => v + 100);
    const outline = ellipse(100 + size / 2, 100 + size / 2, size * 0.42, size * 0.48, 36);
    let warped = warpTriangles(source, m.src, dstAbs, m.tris, rect);
    time(`warp ${size}x${size} (1800 triangles)`, () => (warped = warpTriangles(source, m.src, dstAbs, m.tris, rect)));
    let poly = rasterizePolygon(outline, rect);
    time(`mask: rasterise 36-point outline ${size}`, () => (poly = rasterizePolygon(outline, rect)));
    const feather = Math.round(size * 0.06);
    let mask = featherMask(poly, size, size, { erode: 4, feather });
    time(`mask: erode + feather (distance) ${size}`, () => (mask = featherMask(poly, size, size, { erode: 4, feather })));
    time(`gaussianBlur sigma ${(size / 40).toFixed(0)} ${size}`, () => gaussianBlur(mask, size, size, size / 40));
    const tRgb = readRgb(target, rect);
    time(`readRgb ${size}`, () => readRgb(target, rect));
    let matched = matchColourStats(warped.rgb, mask, tRgb, mask);
    time(`colour: matchColourStats (Lab) ${size}`, () => (matched = matchColourStats(warped.rgb, mask, tRgb, mask)));
    let shaded = matchLight(matched, tRgb, mask, size, size, { sigma: size / 8 });
    time(`light: matchLight ${size}`, () => (shaded = matchLight(matched, tRgb, mask, size, size, { sigma: size / 8 })));
    let blended = multiBandBlend(tRgb, shaded, mask, size, size);
    time(`blend: multiBandBlend ${size}`, () => (blended = multiBandBlend(tRgb, shaded, mask, size, size)));
    time(`blend: poissonBlend ${size}`, () => poissonBlend(tRgb, shaded, mask, size, size));
    const out = { width: target.width, height: target.height, data: target.data.slice() };
    time(`blend: compositeInto ${size}`, () => compositeInto(out, rect, blended, mask));
    console.log('');
  }
  const hd = createRaster(1920, 1080);
  const big = await photo('couple.jpg', 2280, 1588);
  const hdPhoto = resizeRaster(big, 1920, 1080);
  hd.data.set(hdPhoto.data);
  time('resize 1920x1080 -> 3840x2160 (opaque)', () => resizeRaster(hd, 3840, 2160), 5);
  const hdAlpha = { ...hd, data: hd.data.slice() };
  for (let p = 3; p < hdAlpha.data.length; p += 4) hdAlpha.data[p] = 200;
  time('resize 1920x1080 -> 3840x2160 (with alpha)', () => resizeRaster(hdAlpha, 3840, 2160), 5);
  const uhd = resizeRaster(hd, 3840, 2160);
  time('resize 3840x2160 -> 1920x1080 (opaque)', () => resizeRaster(uhd, 1920, 1080), 5);
  time('resize 2280x1588 -> 3840x2675 (opaque)', () => resizeRaster(big, 3840, 2675), 5);
}

await main();
