import { rasterWords, type Raster } from '../image/raster.ts';

/**
 * A 2-D affine map as `[a, b, c, d, e, f]`: `x' = a·x + b·y + c`, `y' = d·x + e·y + f`.
 * Coordinates are continuous: pixel (i, j) covers [i, i+1) × [j, j+1), so its centre is (i + 0.5, j + 0.5).
 */
export type Affine = readonly [number, number, number, number, number, number];

/** The identity map. */
export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** `outer ∘ inner`: first `inner`, then `outer`. */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  const [p, q, r, s, t, u] = inner;
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f];
}

/** The inverse map; throws on a singular matrix. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (!det) throw new Error('singular affine matrix');
  const ia = e / det;
  const ib = -b / det;
  const id = -d / det;
  const ie = a / det;
  return [ia, ib, -(ia * c + ib * f), id, ie, -(id * c + ie * f)];
}

/** Maps one point. */
export function applyAffine(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** a - b as an angle in -pi..pi. */
export function angleBetween(a: number, b: number): number {
  return Math.atan2(Math.sin(a - b), Math.cos(a - b));
}

/** The linear scale of a map (geometric mean of its axes' stretch). */
export function affineScale(m: Affine): number {
  return Math.sqrt(Math.abs(m[0] * m[4] - m[1] * m[3]));
}

/**
 * The similarity that sends the square of side `size` centred on (cx, cy), turned by `angle` radians
 * (clockwise on screen, y down), onto the `outSize` × `outSize` output: an upright crop of a tilted region.
 */
export function cropAffine(cx: number, cy: number, size: number, angle: number, outSize: number): Affine {
  const s = outSize / size;
  const cos = Math.cos(angle) * s;
  const sin = Math.sin(angle) * s;
  // Rotate by -angle about the centre, scale, then move the centre to the output's centre.
  const h = outSize / 2;
  return [cos, sin, h - cos * cx - sin * cy, -sin, cos, h + sin * cx - cos * cy];
}

/**
 * The least-squares similarity (rotation, uniform scale, translation; no reflection) sending the points
 * `from` onto `to` (Umeyama's method). Both are flat `[x0, y0, x1, y1, …]` lists of equal length.
 */
export function estimateSimilarity(from: ArrayLike<number>, to: ArrayLike<number>): Affine {
  const n = from.length / 2;
  let mx = 0, my = 0, ux = 0, uy = 0;
  for (let i = 0; i < n; i++) {
    mx += from[2 * i]; my += from[2 * i + 1];
    ux += to[2 * i]; uy += to[2 * i + 1];
  }
  mx /= n; my /= n; ux /= n; uy /= n;
  // For 2-D similarities the closed form reduces to two sums: a = Σ(p·q)/Σ|p|², b = Σ(p×q)/Σ|p|².
  let dot = 0, cross = 0, norm = 0;
  for (let i = 0; i < n; i++) {
    const px = from[2 * i] - mx, py = from[2 * i + 1] - my;
    const qx = to[2 * i] - ux, qy = to[2 * i + 1] - uy;
    dot += px * qx + py * qy;
    cross += px * qy - py * qx;
    norm += px * px + py * py;
  }
  const a = dot / norm;
  const b = cross / norm;
  return [a, -b, ux - a * mx + b * my, b, a, uy - b * mx - a * my];
}

/**
 * What a crop shows past the picture's edges: 'zero' (black), or 'mirror' (the picture reflected about its outermost
 * pixels: a face the frame cuts near its middle looks whole so; see `cutByFrame` in detect.ts).
 */
export type Beyond = 'zero' | 'mirror';

/** Options for {@link warpToTensor}. */
export interface WarpOptions {
  /** The value range that 0…255 maps to; default [0, 1]. */
  range?: readonly [number, number];
  /** What lies outside the raster: {@link Beyond}, or 'edge' (the nearest edge pixel repeated). */
  border?: Beyond | 'edge';
  /** Write here (length width·height·3) instead of allocating. */
  out?: Float32Array;
  /**
   * Samples per output pixel along each axis when shrinking, to avoid aliasing; default: enough that each
   * sample step is at most one source pixel, at most 4.
   */
  samples?: number;
}

/**
 * Resamples the region of `image` that `toOutput` sends onto [0, width) × [0, height) into a Float32 NHWC
 * RGB tensor (batch 1), with bilinear interpolation; alpha is ignored.
 */
export function warpToTensor(image: Raster, toOutput: Affine, width: number, height: number, options: WarpOptions = {}): Float32Array {
  const [lo, hi] = options.range ?? [0, 1];
  const out = options.out ?? new Float32Array(width * height * 3);
  const n = Math.max(1, Math.min(4, Math.round(options.samples ?? Math.ceil(1 / affineScale(toOutput) - 1e-6))));
  const inv = invertAffine(toOutput);
  const k = (hi - lo) / 255 / (n * n);
  const border = options.border ?? 'zero';
  if (n === 1 && border === 'zero') {
    warpOneSample(image, inv, width, height, lo, k, out);
    return out;
  }
  if (samplesInside(image, inv, width, height, n)) {
    warpInside(image, inv, width, height, n, lo, k, out);
    return out;
  }
  const rgb = new Float64Array(3);
  const xMax = image.width - 1;
  const yMax = image.height - 1;
  let o = 0;
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      rgb[0] = 0;
      rgb[1] = 0;
      rgb[2] = 0;
      for (let sv = 0; sv < n; sv++) {
        const oy = v + (sv + 0.5) / n;
        for (let su = 0; su < n; su++) {
          const ox = u + (su + 0.5) / n;
          // Source position in pixel-index space (centres at integers).
          let x = inv[0] * ox + inv[1] * oy + inv[2] - 0.5;
          let y = inv[3] * ox + inv[4] * oy + inv[5] - 0.5;
          if (border === 'mirror') {
            x = reflect(x, xMax);
            y = reflect(y, yMax);
          } else if (border === 'edge') {
            x = x < 0 ? 0 : x > xMax ? xMax : x;
            y = y < 0 ? 0 : y > yMax ? yMax : y;
          }
          sampleBilinear(image, x, y, rgb);
        }
      }
      out[o++] = lo + rgb[0] * k;
      out[o++] = lo + rgb[1] * k;
      out[o++] = lo + rgb[2] * k;
    }
  }
  return out;
}

/** Position `x` reflected into [0, max] about its ends (pixel-index space), the nearest end beyond one reflection. */
function reflect(x: number, max: number): number {
  const inside = x < 0 ? -x : x > max ? 2 * max - x : x;
  return inside < 0 ? 0 : inside > max ? max : inside;
}

/** Whether every sample of an n × n-per-pixel warp lies between the raster's outermost pixel centres. */
function samplesInside(image: Raster, inv: Affine, width: number, height: number, n: number): boolean {
  // The samples' source positions span the parallelogram of the outer ones; the margin absorbs rounding.
  const margin = 1e-6;
  for (const oy of [0.5 / n, height - 0.5 / n]) {
    for (const ox of [0.5 / n, width - 0.5 / n]) {
      const x = inv[0] * ox + inv[1] * oy + inv[2] - 0.5;
      const y = inv[3] * ox + inv[4] * oy + inv[5] - 0.5;
      if (!(x >= margin && y >= margin && x <= image.width - 1 - margin && y <= image.height - 1 - margin)) return false;
    }
  }
  return true;
}

/**
 * The n × n-samples case when all samples lie inside (most face crops): the same sums as the general loop, in
 * the same order, without its border checks, a row of samples at a time and a pixel per 32-bit read, in about
 * three quarters of the time.
 */
function warpInside(image: Raster, inv: Affine, width: number, height: number, n: number, lo: number, k: number, out: Float32Array): void {
  const w = image.width;
  const px = rasterWords(image);
  const acc = new Float64Array(width * 3);
  const rgb = new Float64Array(3);
  let o = 0;
  for (let v = 0; v < height; v++) {
    acc.fill(0);
    for (let sv = 0; sv < n; sv++) {
      const oy = v + (sv + 0.5) / n;
      for (let su = 0; su < n; su++) {
        const du = (su + 0.5) / n;
        for (let u = 0, a = 0; u < width; u++, a += 3) {
          const ox = u + du;
          const x = inv[0] * ox + inv[1] * oy + inv[2] - 0.5;
          const y = inv[3] * ox + inv[4] * oy + inv[5] - 0.5;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          bilinearWords(px, w, y0 * w + x0, x - x0, y - y0, rgb);
          acc[a] += rgb[0];
          acc[a + 1] += rgb[1];
          acc[a + 2] += rgb[2];
        }
      }
    }
    for (let a = 0; a < acc.length; a++) out[o++] = lo + acc[a] * k;
  }
}

/** Bilinear RGB at fraction (fx, fy) past pixel `i` of a picture `w` pixels wide read as 32-bit words, into `rgb`. */
function bilinearWords(px: Uint32Array, w: number, i: number, fx: number, fy: number, rgb: Float64Array): void {
  const gx = 1 - fx;
  const gy = 1 - fy;
  const p = px[i];
  const q = px[i + 1];
  const r = px[i + w];
  const t = px[i + w + 1];
  rgb[0] = ((p & 255) * gx + (q & 255) * fx) * gy + ((r & 255) * gx + (t & 255) * fx) * fy;
  rgb[1] = (((p >>> 8) & 255) * gx + ((q >>> 8) & 255) * fx) * gy + (((r >>> 8) & 255) * gx + ((t >>> 8) & 255) * fx) * fy;
  rgb[2] = (((p >>> 16) & 255) * gx + ((q >>> 16) & 255) * fx) * gy + (((r >>> 16) & 255) * gx + ((t >>> 16) & 255) * fx) * fy;
}

/** The one-sample-per-pixel case, stepping the source position incrementally along each row. */
function warpOneSample(image: Raster, inv: Affine, width: number, height: number, lo: number, k: number, out: Float32Array): void {
  const w = image.width;
  const h = image.height;
  const px = rasterWords(image);
  const rgb = new Float64Array(3);
  let o = 0;
  for (let v = 0; v < height; v++) {
    const oy = v + 0.5;
    let x = inv[0] * 0.5 + inv[1] * oy + inv[2] - 0.5;
    let y = inv[3] * 0.5 + inv[4] * oy + inv[5] - 0.5;
    for (let u = 0; u < width; u++, x += inv[0], y += inv[3]) {
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      if (x0 >= 0 && y0 >= 0 && x0 < w - 1 && y0 < h - 1) {
        bilinearWords(px, w, y0 * w + x0, x - x0, y - y0, rgb);
      } else {
        rgb[0] = 0;
        rgb[1] = 0;
        rgb[2] = 0;
        sampleBilinear(image, x, y, rgb);
      }
      out[o++] = lo + k * rgb[0];
      out[o++] = lo + k * rgb[1];
      out[o++] = lo + k * rgb[2];
    }
  }
}

/** Adds the bilinear RGB sample at pixel-index position (x, y) to `acc`; outside the raster reads as black. */
export function sampleBilinear(image: Raster, x: number, y: number, acc: Float64Array): void {
  const w = image.width;
  const h = image.height;
  const src = image.data;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  if (x0 >= 0 && y0 >= 0 && x0 < w - 1 && y0 < h - 1) {
    const i00 = (y0 * w + x0) * 4;
    const i01 = i00 + w * 4;
    const gx = 1 - fx;
    const gy = 1 - fy;
    acc[0] += (src[i00] * gx + src[i00 + 4] * fx) * gy + (src[i01] * gx + src[i01 + 4] * fx) * fy;
    acc[1] += (src[i00 + 1] * gx + src[i00 + 5] * fx) * gy + (src[i01 + 1] * gx + src[i01 + 5] * fx) * fy;
    acc[2] += (src[i00 + 2] * gx + src[i00 + 6] * fx) * gy + (src[i01 + 2] * gx + src[i01 + 6] * fx) * fy;
    return;
  }
  if (x0 < -1 || y0 < -1 || x0 >= w || y0 >= h) return;
  // On the border: taps outside the raster count as black.
  for (let t = 0; t < 4; t++) {
    const tx = x0 + (t & 1);
    const ty = y0 + (t >> 1);
    if (tx < 0 || ty < 0 || tx >= w || ty >= h) continue;
    const wt = (t & 1 ? fx : 1 - fx) * (t >> 1 ? fy : 1 - fy);
    const i = (ty * w + tx) * 4;
    acc[0] += src[i] * wt;
    acc[1] += src[i + 1] * wt;
    acc[2] += src[i + 2] * wt;
  }
}
