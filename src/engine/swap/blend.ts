import type { Raster } from '../image/raster.ts';
import { collapsePyramid, gaussianPyramid, laplacianPyramid } from './pyramid.ts';
import { cropRgb } from './patch.ts';
import { planeBounds, type Rect } from './region.ts';
import { bytes, floats, floatsCopy, int32s } from '../scratch.ts';

/** Options for {@link poissonBlend}. */
export interface PoissonOptions {
  /** Relaxation sweeps on each finer level (default 12); the coarsest level gets 10x as many. */
  sweeps?: number;
  /** Over-relaxation factor for the red-black Gauss-Seidel sweeps (default 1.7). */
  omega?: number;
  /** Largest correction, in levels per channel, added to the source (default: unlimited). */
  maxCorrection?: number;
  /** Where the source is defined (warp coverage): border pixels without a source impose nothing. */
  valid?: Float32Array;
}

interface Level {
  w: number;
  h: number;
  // Padded width: the grid carries a one-pixel border of NONE so neighbours need no bounds checks.
  pw: number;
  label: Uint8Array;
  val: Float32Array;
}

const UNKNOWN = 0;
const FIXED = 1;
const NONE = 2;

/**
 * Gradient-domain (Poisson) blend, solved as a membrane: returns f = source + h over the w x h region,
 * where h is harmonic inside the domain {mask > 0} and equals target - source on the pixels just
 * outside it, so f meets the target without a seam while keeping the source's detail. Pixels
 * outside the domain get the target. Solved coarse-to-fine (cascadic multigrid, red-black SOR).
 * Caveat: anything unlike skin on the domain's border (a strand of hair, a beard edge) bleeds its
 * colour into the face; {@link multiBandBlend} does not, and is the default choice.
 */
export function poissonBlend(
  target: Float32Array,
  source: Float32Array,
  mask: Float32Array,
  w: number,
  h: number,
  options: PoissonOptions = {},
): Float32Array {
  const sweeps = options.sweeps ?? 12;
  const omega = options.omega ?? 1.7;
  const maxCorr = options.maxCorrection ?? Infinity;
  const valid = options.valid;
  const fine = newLevel(w, h);
  const pw = fine.pw;
  let unknowns = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const g = (y + 1) * pw + x + 1;
      if (mask[p] > 0) {
        fine.label[g] = UNKNOWN;
        unknowns++;
        continue;
      }
      const touches =
        (x > 0 && mask[p - 1] > 0) || (x + 1 < w && mask[p + 1] > 0) || (y > 0 && mask[p - w] > 0) || (y + 1 < h && mask[p + w] > 0);
      if (touches && (!valid || valid[p] > 0)) {
        fine.label[g] = FIXED;
        for (let c = 0; c < 3; c++) fine.val[g * 3 + c] = target[p * 3 + c] - source[p * 3 + c];
      }
    }
  }
  const out = floatsCopy(target.subarray(0, w * h * 3));
  if (unknowns === 0) return out;

  const levels = [fine];
  while (levels.length < 12) {
    const l = levels[levels.length - 1];
    if (Math.min(l.w, l.h) <= 16) break;
    levels.push(coarsen(l));
  }
  const coarsest = levels.length - 1;
  relax(levels[coarsest], sweeps * 10, omega);
  for (let k = coarsest - 1; k >= 0; k--) {
    prolong(levels[k + 1], levels[k]);
    relax(levels[k], sweeps, omega);
  }

  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!(mask[p] > 0)) continue;
      const g = ((y + 1) * pw + x + 1) * 3;
      for (let c = 0; c < 3; c++) {
        let corr = fine.val[g + c];
        if (corr > maxCorr) corr = maxCorr;
        else if (corr < -maxCorr) corr = -maxCorr;
        out[p * 3 + c] = source[p * 3 + c] + corr;
      }
    }
  }
  return out;
}

function newLevel(w: number, h: number): Level {
  const pw = w + 2;
  const label = bytes(pw * (h + 2)).fill(NONE);
  return { w, h, pw, label, val: floats(pw * (h + 2) * 3) };
}

// Half-size level: a cell with a fixed child is fixed (the mean of those), else unknown if any child is.
function coarsen(f: Level): Level {
  const cw = (f.w + 1) >> 1;
  const ch = (f.h + 1) >> 1;
  const c = newLevel(cw, ch);
  for (let j = 0; j < ch; j++) {
    for (let i = 0; i < cw; i++) {
      let fixed = 0;
      let unknown = 0;
      let s0 = 0, s1 = 0, s2 = 0;
      for (let dy = 0; dy < 2; dy++) {
        const y = 2 * j + dy;
        if (y >= f.h) continue;
        for (let dx = 0; dx < 2; dx++) {
          const x = 2 * i + dx;
          if (x >= f.w) continue;
          const g = (y + 1) * f.pw + x + 1;
          const lab = f.label[g];
          if (lab === FIXED) {
            fixed++;
            s0 += f.val[g * 3];
            s1 += f.val[g * 3 + 1];
            s2 += f.val[g * 3 + 2];
          } else if (lab === UNKNOWN) unknown++;
        }
      }
      const g = (j + 1) * c.pw + i + 1;
      if (fixed > 0) {
        c.label[g] = FIXED;
        c.val[g * 3] = s0 / fixed;
        c.val[g * 3 + 1] = s1 / fixed;
        c.val[g * 3 + 2] = s2 / fixed;
      } else if (unknown > 0) c.label[g] = UNKNOWN;
    }
  }
  return c;
}

// Initial guess for the fine level's unknowns: bilinear from the coarse level's defined cells.
function prolong(c: Level, f: Level): void {
  for (let y = 0; y < f.h; y++) {
    // Fine pixel centre in coarse pixel coordinates.
    const cy = (y + 0.5) / 2 - 0.5;
    const y0 = Math.floor(cy);
    const fy = cy - y0;
    for (let x = 0; x < f.w; x++) {
      const g = (y + 1) * f.pw + x + 1;
      if (f.label[g] !== UNKNOWN) continue;
      const cx = (x + 0.5) / 2 - 0.5;
      const x0 = Math.floor(cx);
      const fx = cx - x0;
      let ws = 0;
      let s0 = 0, s1 = 0, s2 = 0;
      for (let dy = 0; dy < 2; dy++) {
        const yy = y0 + dy;
        if (yy < 0 || yy >= c.h) continue;
        const wy = dy === 0 ? 1 - fy : fy;
        for (let dx = 0; dx < 2; dx++) {
          const xx = x0 + dx;
          if (xx < 0 || xx >= c.w) continue;
          const cg = (yy + 1) * c.pw + xx + 1;
          if (c.label[cg] === NONE) continue;
          const wgt = wy * (dx === 0 ? 1 - fx : fx);
          ws += wgt;
          s0 += wgt * c.val[cg * 3];
          s1 += wgt * c.val[cg * 3 + 1];
          s2 += wgt * c.val[cg * 3 + 2];
        }
      }
      if (ws > 0) {
        f.val[g * 3] = s0 / ws;
        f.val[g * 3 + 1] = s1 / ws;
        f.val[g * 3 + 2] = s2 / ws;
      }
    }
  }
}

// Red-black SOR sweeps of the discrete Laplace equation over a level's unknowns (Neumann at NONE cells).
function relax(l: Level, sweeps: number, omega: number): void {
  const { pw, label, val } = l;
  // Unknown cells per colour with their neighbour masks (bit 0..3: left, right, up, down defined).
  const lists: Int32Array[] = [];
  const masks: Uint8Array[] = [];
  for (let colour = 0; colour < 2; colour++) {
    let n = 0;
    for (let y = 0; y < l.h; y++) for (let x = 0; x < l.w; x++) if (((x + y) & 1) === colour && label[(y + 1) * pw + x + 1] === UNKNOWN) n++;
    const list = int32s(n);
    const nm = bytes(n);
    let k = 0;
    for (let y = 0; y < l.h; y++) {
      for (let x = 0; x < l.w; x++) {
        const g = (y + 1) * pw + x + 1;
        if (((x + y) & 1) !== colour || label[g] !== UNKNOWN) continue;
        list[k] = g;
        nm[k] = (label[g - 1] !== NONE ? 1 : 0) | (label[g + 1] !== NONE ? 2 : 0) | (label[g - pw] !== NONE ? 4 : 0) | (label[g + pw] !== NONE ? 8 : 0);
        k++;
      }
    }
    lists.push(list);
    masks.push(nm);
  }
  for (let s = 0; s < sweeps; s++) {
    for (let colour = 0; colour < 2; colour++) {
      const list = lists[colour];
      const nm = masks[colour];
      for (let k = 0; k < list.length; k++) {
        const g = list[k];
        const q = g * 3;
        const bits = nm[k];
        if (bits === 15) {
          const a = q - 3;
          const b = q + 3;
          const u = q - pw * 3;
          const d = q + pw * 3;
          val[q] += omega * ((val[a] + val[b] + val[u] + val[d]) * 0.25 - val[q]);
          val[q + 1] += omega * ((val[a + 1] + val[b + 1] + val[u + 1] + val[d + 1]) * 0.25 - val[q + 1]);
          val[q + 2] += omega * ((val[a + 2] + val[b + 2] + val[u + 2] + val[d + 2]) * 0.25 - val[q + 2]);
          continue;
        }
        if (bits === 0) continue;
        let n = 0;
        let s0 = 0, s1 = 0, s2 = 0;
        if (bits & 1) { n++; s0 += val[q - 3]; s1 += val[q - 2]; s2 += val[q - 1]; }
        if (bits & 2) { n++; s0 += val[q + 3]; s1 += val[q + 4]; s2 += val[q + 5]; }
        if (bits & 4) { const u = q - pw * 3; n++; s0 += val[u]; s1 += val[u + 1]; s2 += val[u + 2]; }
        if (bits & 8) { const d = q + pw * 3; n++; s0 += val[d]; s1 += val[d + 1]; s2 += val[d + 2]; }
        const inv = 1 / n;
        val[q] += omega * (s0 * inv - val[q]);
        val[q + 1] += omega * (s1 * inv - val[q + 1]);
        val[q + 2] += omega * (s2 * inv - val[q + 2]);
      }
    }
  }
}

/** Options for {@link multiBandBlend}. */
export interface MultiBandOptions {
  /** Pyramid levels (default: as many as keep the coarsest side >= 8 px, at most 6). */
  levels?: number;
}

/**
 * Laplacian-pyramid (multi-band) blend of `source` over `target` with `mask` as the weight, per band
 * with the mask's Gaussian pyramid: fine detail switches over sharply, low frequencies over a wide zone.
 * Both buffers are interleaved RGB over the same w x h region; returns a new one. Low bands reach past
 * the mask, so write the result with {@link compositeInto} and the same mask.
 */
export function multiBandBlend(
  target: Float32Array,
  source: Float32Array,
  mask: Float32Array,
  w: number,
  h: number,
  options: MultiBandOptions = {},
): Float32Array {
  let levels = options.levels ?? 0;
  if (levels <= 0) {
    levels = 1;
    while (levels < 6 && Math.min(w, h) >> levels >= 8) levels++;
  }
  // The blend is linear, so blend the pyramid of the difference and add the target back:
  // T + collapse(Gm * L(S - T)) == collapse(L(T) + Gm * (L(S) - L(T))), with one pyramid instead of three.
  const n = w * h * 3;
  const diff = floats(n);
  for (let k = 0; k < n; k++) diff[k] = source[k] - target[k];
  const ld = laplacianPyramid({ width: w, height: h, channels: 3, data: diff }, levels);
  const gm = gaussianPyramid({ width: w, height: h, channels: 1, data: mask }, levels);
  for (let l = 0; l < levels; l++) {
    const d = ld[l].data;
    const m = gm[l].data;
    for (let p = 0, q = 0; p < m.length; p++, q += 3) {
      const k = m[p];
      d[q] *= k;
      d[q + 1] *= k;
      d[q + 2] *= k;
    }
  }
  const out = collapsePyramid(ld).data;
  for (let k = 0; k < n; k++) out[k] += target[k];
  return out;
}

/**
 * Writes a blended face region into the target picture, in place: at each pixel of `rect` where
 * mask > 0 the RGB becomes target + mask * (rgb - target), rounded; alpha and every other pixel of
 * the picture are left untouched. Parts of `rect` outside the picture are ignored.
 */
export function compositeInto(target: Raster, rect: Rect, rgb: Float32Array, mask: Float32Array): void {
  const data = target.data;
  const x0 = Math.max(0, rect.x);
  const y0 = Math.max(0, rect.y);
  const x1 = Math.min(target.width, rect.x + rect.width);
  const y1 = Math.min(target.height, rect.y + rect.height);
  for (let y = y0; y < y1; y++) {
    let p = (y - rect.y) * rect.width + (x0 - rect.x);
    let d = (y * target.width + x0) * 4;
    for (let x = x0; x < x1; x++, p++, d += 4) {
      const m = mask[p];
      if (!(m > 0)) continue;
      const q = p * 3;
      // Uint8ClampedArray rounds to nearest (and clamps) on store.
      if (m >= 1) {
        data[d] = rgb[q];
        data[d + 1] = rgb[q + 1];
        data[d + 2] = rgb[q + 2];
        continue;
      }
      data[d] += m * (rgb[q] - data[d]);
      data[d + 1] += m * (rgb[q + 1] - data[d + 1]);
      data[d + 2] += m * (rgb[q + 2] - data[d + 2]);
    }
  }
}

/**
 * Paints over the pixels of `region` (0..1 per pixel) in interleaved RGB, in place, with the smoothest surface that
 * meets the `valid` pixels around them (a membrane: the light on either side carries across); or, given `detail`
 * (interleaved RGB over the same area), with that picture cloned in: its detail, on the level the membrane carries.
 */
export function paintOver(rgb: Float32Array, region: Float32Array, valid: Float32Array, w: number, h: number, detail?: Float32Array): void {
  // Solved only over the region's bounds (and a pixel around them, where the membrane is held).
  const bounds = planeBounds(region, w, h, 0.02, 1);
  if (!bounds) return;
  const { x: x0, y: y0, width: bw, height: bh } = bounds;
  const part = cropRgb(rgb, w, bounds);
  const domain = floats(bw * bh);
  const held = floats(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + y0) * w + x + x0, b = y * bw + x;
      domain[b] = region[p] > 0.02 ? 1 : 0;
      held[b] = valid[p];
    }
  }
  const fill = poissonBlend(part, detail ? cropRgb(detail, w, bounds) : floats(part.length), domain, bw, bh, { valid: held });
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + y0) * w + x + x0, b = y * bw + x;
      const k = Math.min(1, region[p]);
      if (!(k > 0.02)) continue;
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] += k * (Math.min(255, Math.max(0, fill[b * 3 + c])) - rgb[p * 3 + c]);
    }
  }
}
