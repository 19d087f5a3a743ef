import { enlarge, linearToSrgb, shrink, srgbToLinear } from './colour.ts';
import { gaussianBlur } from './mask.ts';

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
 * Relights `src` to the light of `target` (both interleaved sRGB over the same w x h region): the log-ratio of their
 * luminances, taken only over the `weight`ed pixels (bare skin in both), is smoothed by a normalised convolution
 * and applied as a gain in linear light, held back where it would push a pixel past white. A second pass drops the
 * places the first smooth surface does not explain, so a beard, brows or frames in either picture do not count as
 * shadow; where little skin is left the gain falls back to the face's overall level. The light is worked out on a
 * grid a few times coarser than the pixels.
 * Returns a new sRGB buffer.
 */
export function matchLight(src: Float32Array, target: Float32Array, weight: Float32Array, w: number, h: number, options: LightOptions): Float32Array {
  const [gMin, gMax] = options.gainRange ?? [0.5, 2.5];
  const n = w * h;
  const f = Math.max(1, Math.floor(options.sigma / 4));
  const ys = new Float32Array(n);
  const yt = new Float32Array(n);
  const wt = new Float32Array(n);
  for (let p = 0, q = 0; p < n; p++, q += 3) {
    const m = weight[p] > 0 ? weight[p] : 0;
    if (m === 0) continue;
    wt[p] = m;
    ys[p] = m * (0.2126 * srgbToLinear(src[q]) + 0.7152 * srgbToLinear(src[q + 1]) + 0.0722 * srgbToLinear(src[q + 2]));
    yt[p] = m * (0.2126 * srgbToLinear(target[q]) + 0.7152 * srgbToLinear(target[q + 1]) + 0.0722 * srgbToLinear(target[q + 2]));
  }
  const cw = Math.ceil(w / f);
  const ch = Math.ceil(h / f);
  const cells = shrink(wt, w, h, f);
  const cys = shrink(ys, w, h, f);
  const cyt = shrink(yt, w, h, f);
  const logRatio = new Float32Array(cw * ch);
  const cellWeight = new Float32Array(cw * ch);
  for (let c = 0; c < logRatio.length; c++) {
    if (cells[c] < 0.05 || cys[c] < 2e-3 * cells[c] || cyt[c] < 2e-3 * cells[c]) continue;
    logRatio[c] = Math.log(cyt[c] / cys[c]);
    cellWeight[c] = cells[c];
  }
  const sigma = options.sigma / f;
  let surface = smoothLevel(logRatio, cellWeight, cw, ch, sigma);
  const residuals: number[] = [];
  for (let c = 0; c < logRatio.length; c++) if (cellWeight[c] > 0) residuals.push(Math.abs(logRatio[c] - surface[c]));
  if (residuals.length > 0) {
    residuals.sort((a, b) => a - b);
    const cut = OUTLIER_SPREADS * Math.max(0.03, 1.4826 * residuals[residuals.length >> 1]);
    for (let c = 0; c < logRatio.length; c++) if (cellWeight[c] > 0 && Math.abs(logRatio[c] - surface[c]) > cut) cellWeight[c] = 0;
    surface = smoothLevel(logRatio, cellWeight, cw, ch, sigma);
  }
  for (let c = 0; c < surface.length; c++) surface[c] = Math.min(gMax, Math.max(gMin, Math.exp(surface[c])));
  const gain = f === 1 ? surface : enlarge(surface, cw, ch, f, w, h);
  const out = new Float32Array(n * 3);
  for (let p = 0, q = 0; p < n; p++, q += 3) {
    const r = srgbToLinear(src[q]), g = srgbToLinear(src[q + 1]), b = srgbToLinear(src[q + 2]);
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
  const weighted = new Float32Array(n);
  for (let p = 0; p < n; p++) weighted[p] = values[p] * weights[p];
  const num = gaussianBlur(weighted, w, h, sigma);
  const den = gaussianBlur(weights, w, h, sigma);
  for (let p = 0; p < n; p++) num[p] = (num[p] + PRIOR * level) / (den[p] + PRIOR);
  return num;
}
