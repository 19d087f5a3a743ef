import type { Raster } from '../image/raster.ts';
import { doubles, floats, floatsCopy } from '../scratch.ts';
import { smoothstep } from './face-layout.ts';
import { cropRgb, lumaOf, readRgb } from './patch.ts';
import type { Rect } from './region.ts';

/**
 * Focus: how sharp a picture's edges are, and a new face blurred to the softness of the photo it goes into. A crisp
 * face on a soft photo (an enlarged, retouched or not quite focused one) gives itself away, however well its colour
 * and grain match.
 */

/** Edges are the pixels whose detail between 3 x 3 and 7 x 7 means is among the strongest this share of them. */
const EDGE_SHARE = 0.1;
/** A face is blurred only where its edges are this much sharper than the photo's own face's: less is no step one sees. */
const SHARPER_FROM = 1.15;
/**
 * The most [1 2 1] passes a face takes (each a blur of sigma 0.71 px; 8 make 2 px): past that the photo is no guide to
 * the face.
 */
const MAX_PASSES = 8;
/** The face's middle, where its focus is judged: this span of its rectangle each way. */
const CORE = [0.2, 0.8] as const;

/**
 * How sharp the edges of a luma plane (`w` x `h`) are over the pixels `inside` picks (on every other row and column):
 * over the strongest tenth of its detail between 3 x 3 and 7 x 7 means, the size of its detail finer than the 3 x 3
 * mean beside that. Independent of contrast: a soft photo's edges carry little of the finest detail, whatever they
 * separate.
 */
export function edgeSharpness(luma: Float32Array, w: number, h: number, inside: (p: number) => boolean): number {
  // Box means from a summed-area table: two of them a pixel, however large.
  const stride = w + 1;
  const sums = doubles(stride * (h + 1));
  for (let y = 0; y < h; y++) {
    let row = 0;
    for (let x = 0; x < w; x++) {
      row += luma[y * w + x];
      sums[(y + 1) * stride + x + 1] = sums[y * stride + x + 1] + row;
    }
  }
  const mean = (x: number, y: number, r: number) => {
    const x0 = Math.max(0, x - r), y0 = Math.max(0, y - r), x1 = Math.min(w, x + r + 1), y1 = Math.min(h, y + r + 1);
    return (sums[y1 * stride + x1] - sums[y0 * stride + x1] - sums[y1 * stride + x0] + sums[y0 * stride + x0]) / ((x1 - x0) * (y1 - y0));
  };
  // The two bands of the pixels read, and the strongest share of the coarser by a histogram (0..64 levels, 1/16 steps).
  const BINS = 1024;
  const histogram = new Uint32Array(BINS);
  const finest = floats(Math.ceil(w / 2) * Math.ceil(h / 2));
  const mid = floats(finest.length);
  let n = 0;
  for (let y = 0; y < h; y += 2) {
    for (let x = 0; x < w; x += 2) {
      const p = y * w + x;
      if (!inside(p)) continue;
      const small = mean(x, y, 1);
      const band = Math.abs(small - mean(x, y, 3));
      finest[n] = Math.abs(luma[p] - small);
      mid[n++] = band;
      histogram[Math.min(BINS - 1, (band * 16) | 0)]++;
    }
  }
  let cut = BINS;
  for (let b = BINS - 1, seen = 0; b >= 0 && seen < n * EDGE_SHARE; b--) {
    seen += histogram[b];
    cut = b;
  }
  let fineSum = 0, midSum = 0;
  for (let k = 0; k < n; k++) {
    if (mid[k] * 16 < cut) continue;
    fineSum += finest[k];
    midSum += mid[k];
  }
  return midSum > 0 ? fineSum / midSum : 0;
}

/**
 * Blurs the new face `rgb` (interleaved, over `rect` of `target`) in place to the focus of the target photo's own face
 * there, where the face's edges are sharper, as judged over the pixels `inside` picks (indices into `rect`); where they
 * are softer and the source face was `enlargement` times enlarged to its new size, sharpens it towards that focus (see
 * SHARPEN). Returns the blur's sigma (px), 0 where none.
 */
export function matchFocus(rgb: Float32Array, target: Raster, rect: Rect, inside: (p: number) => boolean, enlargement = 1): number {
  // Judged on the face's middle (eyes, nose, mouth: its sharpest edges), a third of its rectangle: at 4K a whole
  // face's trials took a quarter of a second.
  const core = { x: Math.floor(rect.width * CORE[0]), y: Math.floor(rect.height * CORE[0]), width: Math.ceil(rect.width * (CORE[1] - CORE[0])), height: Math.ceil(rect.height * (CORE[1] - CORE[0])) };
  const { width: w, height: h } = core;
  const inCore = (p: number) => inside((core.y + ((p / w) | 0)) * rect.width + core.x + (p % w));
  const photo = edgeSharpness(lumaOf(readRgb(target, { ...core, x: rect.x + core.x, y: rect.y + core.y })), w, h, inCore);
  const luma = lumaOf(cropRgb(rgb, rect.width, core));
  let sharpness = edgeSharpness(luma, w, h, inCore);
  const most = SHARPEN.most * smoothstep(SHARPEN.enlarged[0], SHARPEN.enlarged[1], enlargement);
  if (sharpness * SHARPER_FROM < photo && most > 0) {
    sharpenTowards(rgb, rect, luma, core, inCore, photo, most);
    return 0;
  }
  if (!(sharpness > SHARPER_FROM * photo)) return 0;
  // The face's own edges blurred by one pass more at a time until they are no sharper than the photo's: a photo's
  // edges are no steps (their texture and noise count too), so the blur they take is measured, not worked out.
  let passes = 0;
  let share = 1;
  while (passes < MAX_PASSES) {
    blurPass(luma, w, h, 1);
    const blurred = edgeSharpness(luma, w, h, inCore);
    if (blurred <= photo) {
      share = (sharpness - photo) / (sharpness - blurred);
      break;
    }
    passes++;
    sharpness = blurred;
  }
  const { width, height } = rect;
  for (let k = 0; k < passes; k++) blurPass(rgb, width, height, 3);
  // The last pass only in part.
  if (passes < MAX_PASSES) blurPass(rgb, width, height, 3, share);
  return Math.SQRT1_2 * Math.sqrt(passes + (passes < MAX_PASSES ? share : 0));
}

/**
 * A face softer than the photo's own, from a source enlarged to it, takes at most `most` of its difference from its
 * blur (`passes` [1 2 1] passes) added, tried in steps of `step`: its edges are crisper for it (its lost detail is not
 * back, and more rings); the most from `enlarged[0]` times enlarged (none) to `enlarged[1]` (all of it). A source
 * no larger than its new place is as sharp as it is: sharpened to a photo whose made-up eyes are crisper, img3's
 * skin on img8 came out two and a half times as grainy as hers.
 */
const SHARPEN = { most: 1, passes: 2, step: 0.25, enlarged: [1.2, 2] } as const;

/**
 * Sharpens `rgb` (interleaved, over `rect`) in place by the least unsharp-mask amount that brings the edges of its
 * `core` (luma `luma`, pixels `inside`) as sharp as `photo`'s own face's (an edgeSharpness), or `most`.
 */
function sharpenTowards(rgb: Float32Array, rect: Rect, luma: Float32Array, core: Rect, inside: (p: number) => boolean, photo: number, most: number): void {
  const { width: w, height: h } = core;
  const blurred = floatsCopy(luma);
  for (let k = 0; k < SHARPEN.passes; k++) blurPass(blurred, w, h, 1);
  const trial = floats(luma.length);
  let amount = Math.min(most, SHARPEN.step);
  for (; amount < most; amount = Math.min(most, amount + SHARPEN.step)) {
    for (let p = 0; p < luma.length; p++) trial[p] = luma[p] + amount * (luma[p] - blurred[p]);
    if (edgeSharpness(trial, w, h, inside) >= photo) break;
  }
  const soft = floatsCopy(rgb);
  for (let k = 0; k < SHARPEN.passes; k++) blurPass(soft, rect.width, rect.height, 3);
  for (let i = 0; i < rgb.length; i++) rgb[i] += amount * (rgb[i] - soft[i]);
}

/**
 * One [1 2 1] / 4 pass each way over interleaved samples (`channels` a pixel), in place, edges repeated: a blur of sigma
 * 1/sqrt(2). With `share` below 1, each way moves only that share of the way to its blur (a variance of share / 2).
 */
export function blurPass(plane: Float32Array, w: number, h: number, channels: number, share = 1): void {
  const stride = w * channels;
  const k = share / 4;
  let row = floats(stride);
  for (let y = 0; y < h; y++) {
    const o = y * stride;
    row.set(plane.subarray(o, o + stride));
    // Each sample with the same channel of the pixels beside it; at the ends, the missing one is the sample itself.
    for (let i = channels; i < stride - channels; i++) plane[o + i] += k * (row[i - channels] - 2 * row[i] + row[i + channels]);
    if (w > 1) {
      for (let c = 0; c < channels; c++) {
        plane[o + c] += k * (row[c + channels] - row[c]);
        const last = stride - channels + c;
        plane[o + last] += k * (row[last - channels] - row[last]);
      }
    }
  }
  // Down the columns, top to bottom, with the row above as it was (kept aside; the one below is not yet changed).
  let above = floatsCopy(plane.subarray(0, stride));
  for (let y = 0; y < h; y++) {
    const o = y * stride;
    const below = y < h - 1 ? o + stride : o;
    row.set(plane.subarray(o, o + stride));
    for (let i = 0; i < stride; i++) plane[o + i] += k * (above[i] - 2 * row[i] + plane[below + i]);
    [above, row] = [row, above];
  }
}
