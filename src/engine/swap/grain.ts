import type { Raster } from '../image/raster.ts';
import { smoothstep } from './face-layout.ts';
import { blurRgb } from './mask.ts';
import type { Rect } from './region.ts';
import { floats } from '../scratch.ts';

/** Regions smaller than this (px) take no grain: no one sees that a speck is smooth. */
const MIN_REGION = 16 * 16;
/** The skin's own fine detail is measured on every this many rows and columns: a median needs no more. */
const REFERENCE_STEP = 5;

/**
 * Adds a fine luminance grain to `rgb` (interleaved, `w` x `h`) within `regions`, where `weight` asks for it (0..1),
 * as strong as the fine detail of the pixels `reference` picks less what is there already: skin painted over is
 * smoother than the skin around it, which gives it away. The grain is a fixed pattern (a hash of the position, the
 * same every run), lightly blurred: pores are a pixel or two across.
 */
export function addGrain(rgb: Float32Array, w: number, h: number, regions: readonly Rect[], weight: (p: number) => number, reference: (p: number) => boolean): void {
  const seen = regions.filter((r) => r.width * r.height >= MIN_REGION);
  if (!seen.length) return;
  const wanted = fineDetail(rgb, w, h, reference, { x: 0, y: 0, width: w, height: h }, REFERENCE_STEP);
  const grain = grainFor(Math.max(w, h));
  for (const region of seen) {
    const there = fineDetail(rgb, w, h, (p) => weight(p) >= 0.5, region, 1);
    if (wanted > there) grainInto(rgb, w, region, weight, Math.sqrt(wanted * wanted - there * there), grain);
  }
}

/**
 * Gives the new face `rgb` (interleaved, over `rect` of `target`) the grain of the target picture's skin, as far as it
 * is smoother than that skin over the pixels `skin` picks (indices into `rect`), where `weight` asks for it (0..1): a
 * soft source photo's face on a sharp target is as grainy as the skin of the target photo. A face far grainier (a
 * sharp source on a soft or retouched photo) is softened to it where `skinWeight`, if given, asks (0..1): its skin,
 * not the lashes or a lip's edge.
 */
export function matchGrain(rgb: Float32Array, target: Raster, rect: Rect, skin: (p: number) => boolean, weight: (p: number) => number, skinWeight?: (p: number) => number): void {
  const { width: w, height: h } = rect;
  // The same pixels of both (within a pixel of the edge, where neighbours are missing).
  const inner = { x: 1, y: 1, width: w - 2, height: h - 2 };
  const inRect = (p: number) => skin((((p / target.width) | 0) - rect.y) * w + (p % target.width) - rect.x);
  const wanted = fineDetail(target.data, target.width, target.height, inRect, { ...inner, x: rect.x + 1, y: rect.y + 1 }, REFERENCE_STEP, 4);
  const there = fineDetail(rgb, w, h, skin, inner, REFERENCE_STEP);
  if (wanted > there) grainInto(rgb, w, { x: 0, y: 0, width: w, height: h }, weight, Math.sqrt(wanted * wanted - there * there), grainFor(Math.max(w, h)));
  else if (skinWeight && there > SOFTEN_FROM * wanted) soften(rgb, w, h, skin, skinWeight, wanted, there);
}

/** A new face this much grainier than the target photo's skin is softened to it, by at most a blur of... */
const SOFTEN_FROM = 1.25;
/** ...this sigma (px): the finest detail, pores and noise, not lashes or a lip's edge. */
const FINEST = 0.8;
/** Only faint detail is softened: a pixel that blur would change by more than these luma levels (a ramp) keeps it. */
const FAINT = [4, 10] as const;

/**
 * Softens `rgb` (interleaved, `w` x `h`) where `weight` asks (0..1), in place, so that its fine detail over the pixels
 * `skin` picks, `there`, becomes `wanted` (as far as a blur of FINEST takes it): a blend towards its blur, by as much
 * as the blur's own fine detail, measured, says.
 */
function soften(rgb: Float32Array, w: number, h: number, skin: (p: number) => boolean, weight: (p: number) => number, wanted: number, there: number): void {
  const blurred = blurRgb(rgb, w, h, FINEST);
  const inner = { x: 1, y: 1, width: w - 2, height: h - 2 };
  const left = fineDetail(blurred, w, h, skin, inner, REFERENCE_STEP) / there;
  // The share of the difference from the blur kept: wanted / there = keep + (1 - keep) * left.
  const keep = left < 1 ? Math.max(0, Math.min(1, (wanted / there - left) / (1 - left))) : 1;
  for (let p = 0; p < w * h; p++) {
    // Noise and pores differ from the blur by a few levels, a beard's hairs or a lash's edge by more: they stay.
    const o = p * 3;
    const change = Math.abs(LUMA[0] * (blurred[o] - rgb[o]) + LUMA[1] * (blurred[o + 1] - rgb[o + 1]) + LUMA[2] * (blurred[o + 2] - rgb[o + 2]));
    const k = (1 - keep) * Math.max(0, Math.min(1, weight(p))) * (1 - smoothstep(FAINT[0], FAINT[1], change));
    if (k > 0) for (let c = 0; c < 3; c++) rgb[o + c] += k * (blurred[o + c] - rgb[o + c]);
  }
}

/**
 * Faces up to this size (px) take a grain of single pixels, from the next on one of pores a pixel or two across, and
 * between, a mix: the pores of a small face are finer than a pixel, and what its photo shows of the skin is the
 * camera's noise, pixel by pixel. Pore-sized grain as strong by the fine-detail measure came out as dark blotches on
 * selfie-many-people.jpg's 120 px faces; pixel grain on a 400 px face, as a smooth face under fine noise (img13).
 */
const PIXEL_GRAIN_FACE = 120;
const PORE_GRAIN_FACE = 360;

/** A face's grain pattern: how much of it is pore-sized (0..1), and the pattern's own fine detail. */
interface Grain {
  pores: number;
  detail: number;
}

/** The grain pattern of a face of `faceSize` px. */
function grainFor(faceSize: number): Grain {
  const pores = Math.max(0, Math.min(1, (faceSize - PIXEL_GRAIN_FACE) / (PORE_GRAIN_FACE - PIXEL_GRAIN_FACE)));
  return { pores, detail: patternDetail(pores) };
}

/** Adds `weight` (0..1 per pixel) times the `grain` pattern, its fine detail `amount`, to the luminance of `region` of `rgb`. */
function grainInto(rgb: Float32Array, w: number, region: Rect, weight: (p: number) => number, amount: number, grain: Grain): void {
  const k = amount / grain.detail;
  const noise = grainPattern(region, grain.pores);
  for (let y = 0; y < region.height; y++) {
    for (let x = 0, p = (region.y + y) * w + region.x; x < region.width; x++, p++) {
      const v = k * Math.max(0, Math.min(1, weight(p))) * noise[y * region.width + x];
      rgb[p * 3] += v;
      rgb[p * 3 + 1] += v;
      rgb[p * 3 + 2] += v;
    }
  }
}

/** Differences are binned this finely (0..255 luma) for their median, up to the last bin's. */
const BIN = 0.02;
const HISTOGRAM_BINS = 2000;

/**
 * The median size of each pixel's luma less the mean of its 4 neighbours', over the pixels of `bounds` that `counts`
 * picks, on every `step`-th row and column of interleaved RGB (or, with `channels` 4, RGBA; with 1, a luma plane):
 * the skin's pores and grain, not its wrinkles and edges, which a mean would weigh in.
 */
function fineDetail(plane: ArrayLike<number>, w: number, h: number, counts: (p: number) => boolean, bounds: Rect, step: number, channels: 1 | 3 | 4 = 3): number {
  const histogram = new Uint32Array(HISTOGRAM_BINS);
  let n = 0;
  for (let y = Math.max(1, bounds.y); y < Math.min(h - 1, bounds.y + bounds.height); y += step) {
    for (let x = Math.max(1, bounds.x), p = y * w + x; x < Math.min(w - 1, bounds.x + bounds.width); x += step, p += step) {
      if (!counts(p)) continue;
      // The same weighted sum for each channel as luma takes of them (a plane of luma has one).
      let d = 0;
      for (let c = 0; c < Math.min(3, channels); c++) {
        const o = p * channels + c;
        const wc = channels === 1 ? 1 : LUMA[c];
        d += wc * (plane[o] - (plane[o - channels] + plane[o + channels] + plane[o - w * channels] + plane[o + w * channels]) / 4);
      }
      histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(d) / BIN))]++;
      n++;
    }
  }
  for (let b = 0, seen = 0; b < HISTOGRAM_BINS; b++) {
    seen += histogram[b];
    if (seen * 2 >= n && n > 0) return (b + 0.5) * BIN;
  }
  return 0;
}

const LUMA = [0.299, 0.587, 0.114];

/** The fine detail of the pattern with `pores` of it pore-sized (it does not depend on where the pattern is taken). */
function patternDetail(pores: number): number {
  const side = 128;
  const square = { x: 0, y: 0, width: side, height: side };
  return fineDetail(grainPattern(square, pores), side, side, () => true, square, 1, 1);
}

/**
 * Uniform noise in -1..1 from a hash of each position of `rect`, `pores` (0..1) of the way to it blurred by a
 * [1 2 1] / 4 kernel each way, to pores a pixel or two across; `rect`'s size.
 */
function grainPattern(rect: Rect, pores: number): Float32Array {
  const { x: x0, y: y0, width: bw, height: bh } = rect;
  const raw = floats(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      let s = Math.imul(x0 + x, 374761393) + Math.imul(y0 + y, 668265263);
      s = Math.imul(s ^ (s >>> 13), 1274126177);
      s ^= s >>> 16;
      raw[y * bw + x] = (s & 0xffff) / 32767.5 - 1;
    }
  }
  const across = floats(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = y * bw + x;
      across[p] = (raw[x > 0 ? p - 1 : p] + 2 * raw[p] + raw[x < bw - 1 ? p + 1 : p]) / 4;
    }
  }
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = y * bw + x;
      raw[p] += pores * ((across[y > 0 ? p - bw : p] + 2 * across[p] + across[y < bh - 1 ? p + bw : p]) / 4 - raw[p]);
    }
  }
  return raw;
}
