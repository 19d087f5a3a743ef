import { rgbToLab } from './colour.ts';
import type { Rect } from './region.ts';
import { floats } from '../scratch.ts';

/** A colour as it varies over a region: the median and robust spread of its L*a*b*. */
export interface ColourModel {
  median: [number, number, number];
  spread: [number, number, number];
}

/** Mesh points at the centre of patches that are bare skin on most faces: cheeks, forehead, nose bridge. */
const SKIN_PATCHES = [50, 280, 117, 346, 205, 425, 151, 108, 337, 195] as const;
/** Patch radius relative to the face's size. */
const PATCH_RADIUS = 0.045;
/** Smallest spreads (L*, a*, b*) a model is given: a face in even light still varies this much. */
const MIN_SPREAD = [7, 2.5, 3] as const;

/**
 * The skin colour of the face whose mesh (x, y, z per point, picture px) lies over `rgb` (interleaved RGB over
 * `rect` of that picture). Patches hidden under hair or a beard are outvoted by the bare ones.
 */
export function skinModel(rgb: Float32Array, rect: Rect, mesh: Float32Array, faceSize: number, coverage?: Float32Array): ColourModel {
  const radius = Math.max(2, faceSize * PATCH_RADIUS);
  const samples: number[] = [];
  for (const i of SKIN_PATCHES) {
    const cx = mesh[i * 3] - rect.x;
    const cy = mesh[i * 3 + 1] - rect.y;
    const step = Math.max(1, Math.floor(radius / 6));
    for (let y = Math.max(0, Math.ceil(cy - radius)); y < Math.min(rect.height, cy + radius); y += step) {
      for (let x = Math.max(0, Math.ceil(cx - radius)); x < Math.min(rect.width, cx + radius); x += step) {
        const p = y * rect.width + x;
        if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius || (coverage && !(coverage[p] > 0))) continue;
        samples.push(rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]);
      }
    }
  }
  return modelOf(samples);
}

/** The colour of the pixels of `rgb` (interleaved RGB) where `region` is at least a half, sampled at most `limit` times. */
export function colourModel(rgb: Float32Array, region: Float32Array, limit = 4000): ColourModel {
  let count = 0;
  for (let p = 0; p < region.length; p++) if (region[p] >= 0.5) count++;
  const step = Math.max(1, Math.floor(count / limit));
  const samples: number[] = [];
  for (let p = 0, k = 0; p < region.length; p++) {
    if (region[p] >= 0.5 && k++ % step === 0) samples.push(rgb[p * 3], rgb[p * 3 + 1], rgb[p * 3 + 2]);
  }
  return modelOf(samples);
}

function modelOf(samples: number[]): ColourModel {
  const lab = rgbToLab(Float32Array.from(samples));
  const median: [number, number, number] = [0, 0, 0];
  const spread: [number, number, number] = [MIN_SPREAD[0], MIN_SPREAD[1], MIN_SPREAD[2]];
  const n = lab.length / 3;
  if (n === 0) return { median: [60, 12, 15], spread: [30, 10, 10] };
  for (let c = 0; c < 3; c++) {
    const v = floats(n);
    for (let k = 0; k < n; k++) v[k] = lab[k * 3 + c];
    median[c] = medianOf(v);
    for (let k = 0; k < n; k++) v[k] = Math.abs(v[k] - median[c]);
    spread[c] = Math.max(MIN_SPREAD[c], 1.4826 * medianOf(v));
  }
  return { median, spread };
}

/** Options for {@link likeness}. */
export interface LikenessOptions {
  /** How much a redder colour than the model's counts against it, 0..1 (default 1); skin flushes and wears blush. */
  redder?: number;
  /**
   * How many times as far darker than the model's lightness a colour no more saturated than it still counts as it
   * (default 1): shade on skin, where darker hair of the same hue is more saturated (auburn, img8).
   */
  shade?: number;
}

/** A face's skin is told from hair and background by colour; a flush or blush (redder) is still skin. */
export const SKIN_LIKENESS: LikenessOptions = { redder: 0.3 };

/**
 * How like the modelled colour (skin, lips) each pixel of `rgb` is, 0..1: 1 within a few spreads of it in a* and b*,
 * and in lightness from deep shadow to highlight; falling to 0 for hair, beard, background, frames, teeth.
 */
export function likeness(rgb: Float32Array, model: ColourModel, options: LikenessOptions = {}): Float32Array {
  const redder = options.redder ?? 1;
  const shade = 2 * (options.shade ?? 1);
  const lab = rgbToLab(rgb);
  const n = lab.length / 3;
  const out = floats(n);
  const [mL, ma, mb] = model.median;
  const [sL, sa, sb] = model.spread;
  for (let p = 0; p < n; p++) {
    const da = ((lab[p * 3 + 1] - ma) / sa) * (lab[p * 3 + 1] > ma ? redder : 1);
    const db = (lab[p * 3 + 2] - mb) / sb;
    // Shadow darkens skin a long way before it stops being skin; bright background rarely is.
    const dl = (lab[p * 3] - mL) / sL;
    // Shade darkens skin without making it more saturated: no more yellow or red than the model.
    const shaded = lab[p * 3 + 1] - ma <= sa && lab[p * 3 + 2] - mb <= sb;
    const dL = dl < 0 ? -dl / (shaded ? shade : 2) : dl / 1.5;
    const d = Math.sqrt(da * da + db * db + dL * dL);
    out[p] = d <= 2.5 ? 1 : d >= 4.5 ? 0 : 1 - (d - 2.5) / 2;
  }
  return out;
}

/** The median of `v` (reordered in place): the same as sorting it, in linear time (sorting was a face's slowest step). */
export function medianOf(v: Float32Array): number {
  const m = v.length >> 1;
  select(v, m);
  if (v.length % 2) return v[m];
  let below = -Infinity;
  for (let i = 0; i < m; i++) if (v[i] > below) below = v[i];
  return (below + v[m]) / 2;
}

/** Reorders `v` so that v[k] is its k-th smallest value, with nothing larger before it and nothing smaller after. */
function select(v: Float32Array, k: number): void {
  let lo = 0, hi = v.length - 1;
  while (hi > lo) {
    // Median of three as the pivot, then a Hoare partition.
    const mid = (lo + hi) >> 1;
    const a = v[lo], b = v[mid], c = v[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo, j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}
