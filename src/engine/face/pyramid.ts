import type { BufferPool } from '../image/buffer-pool.ts';
import { createRaster, cropRaster, rasterWords, type Raster } from '../image/raster.ts';
import { composeAffine, type Affine } from './affine.ts';

/** A rectangle of a raster's pixels, as {@link cropRaster} takes it. */
type Area = Parameters<typeof cropRaster>[1];

/** A raster with its 2×2-averaged halvings, for cheap, alias-free sampling at any scale. */
export interface Pyramid {
  /** levels[k] is the image shrunk by 2^k; levels[0] is the original. */
  levels: Raster[];
}

/**
 * Halves a raster, or its rectangle `area`, by averaging 2×2 blocks (odd last row/column dropped), alpha set opaque.
 * Sums red and blue side by side in one 32-bit word: the same rounding as per byte, in under half the time. Written
 * `into` a buffer of the halving's size where one is given (every byte of it is written).
 */
export function halve(image: Raster, into?: ArrayBuffer, area: Area = { x: 0, y: 0, width: image.width, height: image.height }): Raster {
  const w = area.width >> 1;
  const h = area.height >> 1;
  const out = into ? { width: w, height: h, data: new Uint8ClampedArray(into, 0, w * h * 4) } : createRaster(w, h);
  const src = rasterWords(image);
  const dst = rasterWords(out);
  const row = image.width;
  let o = 0;
  for (let y = 0; y < h; y++) {
    let i = (area.y + 2 * y) * row + area.x;
    for (let x = 0; x < w; x++, i += 2) {
      const a = src[i];
      const b = src[i + 1];
      const c = src[i + row];
      const d = src[i + row + 1];
      const redBlue = (a & 0xff00ff) + (b & 0xff00ff) + (c & 0xff00ff) + (d & 0xff00ff) + 0x20002;
      const green = ((a >>> 8) & 0xff) + ((b >>> 8) & 0xff) + ((c >>> 8) & 0xff) + ((d >>> 8) & 0xff) + 2;
      dst[o++] = ((redBlue >>> 2) & 0xff00ff) | ((green >>> 2) << 8) | 0xff000000;
    }
  }
  return out;
}

/**
 * The rectangle `area` of `image` halved `halvings` times: the same pixels as halving its crop, without the
 * full-size crop (a new array of a source face's size, whose pages Chromium faults in afresh: about 30 ms a swap).
 */
export function halvedCrop(image: Raster, area: Area, halvings: number): Raster {
  if (halvings === 0) return cropRaster(image, area);
  let out = halve(image, undefined, area);
  for (let k = 1; k < halvings; k++) out = halve(out);
  return out;
}

/**
 * Builds halvings of `image` until the smaller side would drop below `minSide` pixels, in buffers from `buffers`
 * where given (give them back with {@link releasePyramid}).
 */
export function buildPyramid(image: Raster, minSide = 128, buffers?: BufferPool<ArrayBuffer>): Pyramid {
  const levels = [image];
  let top = image;
  while (Math.min(top.width, top.height) >= 2 * minSide) {
    top = halve(top, buffers?.take((top.width >> 1) * (top.height >> 1) * 4));
    levels.push(top);
  }
  return { levels };
}

/** Gives the halvings of a pyramid built from `buffers` back to them; the pyramid is not to be read after. */
export function releasePyramid(pyramid: Pyramid, buffers: BufferPool<ArrayBuffer>): void {
  for (const level of pyramid.levels.slice(1)) buffers.give(level.data.buffer as ArrayBuffer);
}

/**
 * The coarsest level that the map with linear `scale` (output px per original px) magnifies by at most
 * `maxUpscale`, and the map re-expressed in that level's coordinates. The default 1 keeps at least one
 * source pixel per output pixel; detection passes √2 to trade a little sharpness for a smaller read.
 */
export function pickLevel(pyramid: Pyramid, toOutput: Affine, scale: number, maxUpscale = 1): { image: Raster; toOutput: Affine } {
  let k = 0;
  while (k + 1 < pyramid.levels.length && scale * 2 ** (k + 1) <= maxUpscale) k++;
  if (k === 0) return { image: pyramid.levels[0], toOutput };
  const f = 2 ** k;
  // A level-k pixel coordinate p maps to original coordinate p·f (exact for the kept area).
  return { image: pyramid.levels[k], toOutput: composeAffine(toOutput, [f, 0, 0, 0, f, 0]) };
}
