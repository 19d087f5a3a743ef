import { enlarge, linearToSrgb, srgbToLinear } from './colour.ts';
import { gaussianBlur } from './mask.ts';
import { doubles, floats } from '../scratch.ts';

/** Options for {@link matchLight}. */
export interface LightOptions {
  /** Blur sigma in pixels: only light varying more slowly than this moves. */
  sigma: number;
  /** Limits on the gain applied to the source's light (default [0.5, 2.5]). */
  gainRange?: [number, number];
}

/** Residuals (in log luminance) beyond this many robust spreads are not light but texture: a beard, a shadowed crease. */
const OUTLIER_SPREADS = 2.5;
/** Weight of the overall level where a neighbourhood has little skin to go by, relative to a fully weighted cell. */
const PRIOR = 0.02;
/**
 * The light's colour is matched over twice the reach of its strength (a warm side and a cold side of a face lit by
 * two lights), within these limits per channel: a face's own redder cheeks or nose are its, not the light's.
 */
const TINT_REACH = 2;
const TINT_RANGE = [0.7, 1.4] as const;

/**
 * Relights `src` to the light of `target` (both interleaved sRGB over the same w x h region): the log-ratio of their
 * luminances, taken only over the `weight`ed pixels (bare skin in both), is smoothed by a normalised convolution
 * and applied as a gain in linear light, held back where it would push a pixel past white. A second pass drops the
 * places the first smooth surface does not explain, so a beard, brows or frames in either picture do not count as
 * shadow; where little skin is left the gain falls back to the face's overall level. The light's colour is matched
 * the same way, more smoothly: each channel's share of the luminance. The light is worked out on a grid a few times
 * coarser than the pixels.
 * Returns a new sRGB buffer.
 */
export function matchLight(src: Float32Array, target: Float32Array, weight: Float32Array, w: number, h: number, options: LightOptions): Float32Array {
  const [gMin, gMax] = options.gainRange ?? [0.5, 2.5];
  const n = w * h;
  const f = Math.max(1, Math.floor(options.sigma / 4));
  const cw = Math.ceil(w / f);
  const ch = Math.ceil(h / f);
  const cells = cw * ch;
  // Per cell, the weighted sums of linear R, G, B in the source and the target, and of the weights.
  const SUMS = 7;
  const sums = doubles(cells * SUMS);
  const count = doubles(cells);
  for (let y = 0, p = 0; y < h; y++) {
    const row = ((y / f) | 0) * cw;
    for (let x = 0; x < w; x++, p++) {
      const c = row + ((x / f) | 0);
      count[c]++;
      const m = weight[p];
      if (!(m > 0)) continue;
      const q = p * 3, o = c * SUMS;
      sums[o] += m;
      sums[o + 1] += m * srgbToLinear(src[q]);
      sums[o + 2] += m * srgbToLinear(src[q + 1]);
      sums[o + 3] += m * srgbToLinear(src[q + 2]);
      sums[o + 4] += m * srgbToLinear(target[q]);
      sums[o + 5] += m * srgbToLinear(target[q + 1]);
      sums[o + 6] += m * srgbToLinear(target[q + 2]);
    }
  }
  const luminance = (o: number) => 0.2126 * sums[o] + 0.7152 * sums[o + 1] + 0.0722 * sums[o + 2];
  const logRatio = floats(cells);
  const cellWeight = floats(cells);
  for (let c = 0; c < cells; c++) {
    const o = c * SUMS;
    const mass = sums[o], ys = luminance(o + 1), yt = luminance(o + 4);
    if (mass < 0.05 * count[c] || ys < 2e-3 * mass || yt < 2e-3 * mass) continue;
    logRatio[c] = Math.log(yt / ys);
    cellWeight[c] = mass / count[c];
  }
  const sigma = options.sigma / f;
  let surface = smoothLevel(logRatio, cellWeight, cw, ch, sigma);
  const residuals: number[] = [];
  for (let c = 0; c < cells; c++) if (cellWeight[c] > 0) residuals.push(Math.abs(logRatio[c] - surface[c]));
  if (residuals.length > 0) {
    residuals.sort((a, b) => a - b);
    const cut = OUTLIER_SPREADS * Math.max(0.03, 1.4826 * residuals[residuals.length >> 1]);
    for (let c = 0; c < cells; c++) if (cellWeight[c] > 0 && Math.abs(logRatio[c] - surface[c]) > cut) cellWeight[c] = 0;
    surface = smoothLevel(logRatio, cellWeight, cw, ch, sigma);
  }
  for (let c = 0; c < cells; c++) surface[c] = Math.min(gMax, Math.max(gMin, Math.exp(surface[c])));
  const toPixels = (grid: Float32Array) => (f === 1 ? grid : enlarge(grid, cw, ch, f, w, h));
  const gain = toPixels(surface);
  // Each channel's share of the luminance, target over source, on the cells the luminance kept.
  const tint = [0, 1, 2].map((k) => {
    const shares = floats(cells);
    for (let c = 0; c < cells; c++) {
      const o = c * SUMS;
      if (cellWeight[c] > 0 && sums[o + 1 + k] > 1e-6 && sums[o + 4 + k] > 1e-6) shares[c] = Math.log((sums[o + 4 + k] * luminance(o + 1)) / (sums[o + 1 + k] * luminance(o + 4)));
    }
    const level = smoothLevel(shares, cellWeight, cw, ch, sigma * TINT_REACH);
    for (let c = 0; c < cells; c++) level[c] = Math.min(TINT_RANGE[1], Math.max(TINT_RANGE[0], Math.exp(level[c])));
    return toPixels(level);
  });
  const out = floats(n * 3);
  for (let p = 0, q = 0; p < n; p++, q += 3) {
    const r = srgbToLinear(src[q]) * tint[0][p], g = srgbToLinear(src[q + 1]) * tint[1][p], b = srgbToLinear(src[q + 2]) * tint[2][p];
    // A gain that would push a channel past white is held back for the whole pixel: clipping one channel alone
    // turns pink lips and warm skin white.
    const k = Math.min(gain[p], 1 / Math.max(r, g, b, 1e-6));
    out[q] = linearToSrgb(r * k);
    out[q + 1] = linearToSrgb(g * k);
    out[q + 2] = linearToSrgb(b * k);
  }
  return out;
}

/** The weighted mean of `values` around each cell (a Gaussian of `sigma`), drawn to the overall weighted median where weights are thin. */
function smoothLevel(values: Float32Array, weights: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const n = w * h;
  const sorted: [number, number][] = [];
  let total = 0;
  for (let p = 0; p < n; p++) {
    if (weights[p] > 0) {
      sorted.push([values[p], weights[p]]);
      total += weights[p];
    }
  }
  sorted.sort((a, b) => a[0] - b[0]);
  let level = 0;
  for (let k = 0, acc = 0; k < sorted.length; k++) {
    acc += sorted[k][1];
    if (acc >= total / 2) {
      level = sorted[k][0];
      break;
    }
  }
  const weighted = floats(n);
  for (let p = 0; p < n; p++) weighted[p] = values[p] * weights[p];
  const num = gaussianBlur(weighted, w, h, sigma);
  const den = gaussianBlur(weights, w, h, sigma);
  for (let p = 0; p < n; p++) num[p] = (num[p] + PRIOR * level) / (den[p] + PRIOR);
  return num;
}
