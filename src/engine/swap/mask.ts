import type { Rect } from './region.ts';
import { doubles, floats, int32s } from '../scratch.ts';

/** Options for {@link rasterizePolygon}. */
export interface PolygonOptions {
  /** Numbers per point (2 for x,y; 3 for mesh x,y,z). Default 2. */
  stride?: number;
  /** The outline as point indices in order; all points in order when omitted. */
  indices?: ArrayLike<number>;
  /** Sub-scanlines per pixel row for anti-aliasing (horizontal coverage is exact). Default 4. */
  subsamples?: number;
}

/**
 * Rasterises a closed polygon (even-odd rule, continuous pixel coordinates) into a coverage mask
 * over `rect`: one number per pixel in 0..1, the fraction of the pixel inside.
 */
export function rasterizePolygon(points: ArrayLike<number>, rect: Rect, options: PolygonOptions = {}): Float32Array {
  const stride = options.stride ?? 2;
  const idx = options.indices;
  const n = idx ? idx.length : Math.floor(points.length / stride);
  const sub = Math.max(1, Math.round(options.subsamples ?? 4));
  const { width: w, height: h } = rect;
  const mask = floats(w * h);
  if (n < 3 || w <= 0 || h <= 0) return mask;
  const xs = doubles(n);
  const ys = doubles(n);
  for (let k = 0; k < n; k++) {
    const p = (idx ? idx[k] : k) * stride;
    xs[k] = points[p] - rect.x;
    ys[k] = points[p + 1] - rect.y;
  }
  const crossings = doubles(n);
  const weight = 1 / sub;
  for (let j = 0; j < h; j++) {
    const row = j * w;
    for (let s = 0; s < sub; s++) {
      const y = j + (s + 0.5) / sub;
      let count = 0;
      for (let k = 0, prev = n - 1; k < n; prev = k++) {
        const y0 = ys[prev];
        const y1 = ys[k];
        if (y0 <= y !== y1 <= y) {
          const x = xs[prev] + ((y - y0) * (xs[k] - xs[prev])) / (y1 - y0);
          // Insertion sort: polygons here have tens of edges.
          let m = count++;
          while (m > 0 && crossings[m - 1] > x) {
            crossings[m] = crossings[m - 1];
            m--;
          }
          crossings[m] = x;
        }
      }
      for (let c = 0; c + 1 < count; c += 2) {
        const xa = Math.max(0, crossings[c]);
        const xb = Math.min(w, crossings[c + 1]);
        if (!(xb > xa)) continue;
        const ia = Math.floor(xa);
        const ib = Math.floor(xb);
        if (ia === ib) {
          mask[row + ia] += (xb - xa) * weight;
          continue;
        }
        mask[row + ia] += (ia + 1 - xa) * weight;
        for (let i = ia + 1; i < ib; i++) mask[row + i] += weight;
        if (ib < w) mask[row + ib] += (xb - ib) * weight;
      }
    }
  }
  for (let p = 0; p < mask.length; p++) if (mask[p] > 1) mask[p] = 1;
  return mask;
}

/**
 * Exact Euclidean distance (in pixels, centre to centre) from each pixel where mask >= threshold to
 * the nearest pixel where it is not; 0 outside. Pixels beyond the plane's edge do not count as outside,
 * so a face cut by the picture's border is not faded along that border.
 */
export function distanceInside(mask: Float32Array, w: number, h: number, threshold = 0.5): Float32Array {
  const INF = 1e20;
  const g = doubles(w * h);
  for (let p = 0; p < w * h; p++) g[p] = mask[p] >= threshold ? INF : 0;
  const len = Math.max(w, h);
  const f = doubles(len);
  const d = doubles(len);
  const v = int32s(len);
  const z = doubles(len + 1);
  // Columns, then rows (Felzenszwalb & Huttenlocher squared distance transform).
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = g[y * w + x];
    edt1d(f, h, d, v, z);
    for (let y = 0; y < h; y++) g[y * w + x] = d[y];
  }
  const out = floats(w * h);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) f[x] = g[row + x];
    edt1d(f, w, d, v, z);
    for (let x = 0; x < w; x++) out[row + x] = d[x] >= INF ? Infinity : Math.sqrt(d[x]);
  }
  return out;
}

function edt1d(f: Float64Array, n: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    let s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = ((f[q] + q * q) - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < n; q++) {
    while (z[k + 1] < q) k++;
    const dq = q - v[k];
    d[q] = dq * dq + f[v[k]];
  }
}

/** Options for {@link featherMask}. */
export interface FeatherOptions {
  /** Pixels removed from the inside edge before feathering. Default 0. */
  erode?: number;
  /** Width in pixels of the ramp from 0 to 1 (0 = a hard, eroded mask). Default 0. */
  feather?: number;
  /** Ramp shape: 'smooth' (smoothstep, default) or 'linear'. */
  profile?: 'smooth' | 'linear';
  /** Mask values at or above this count as inside. Default 0.5. */
  threshold?: number;
}

/**
 * Erodes a mask by `erode` px and feathers its inside edge over `feather` px, from the exact distance
 * to the outside. The result is a monotone function of that distance: 0 within `erode` px of the
 * outside (and outside), rising to 1 at `erode + feather` px.
 */
export function featherMask(mask: Float32Array, w: number, h: number, options: FeatherOptions = {}): Float32Array {
  const erode = options.erode ?? 0;
  const feather = options.feather ?? 0;
  const smooth = (options.profile ?? 'smooth') === 'smooth';
  const dist = distanceInside(mask, w, h, options.threshold ?? 0.5);
  for (let p = 0; p < dist.length; p++) {
    const d = dist[p] - erode;
    let t: number;
    if (feather <= 0) t = d > 0 ? 1 : 0;
    else {
      t = d / feather;
      t = t <= 0 ? 0 : t >= 1 ? 1 : smooth ? t * t * (3 - 2 * t) : t;
    }
    dist[p] = t;
  }
  return dist;
}

/** {@link gaussianBlur} of each channel of interleaved RGB `rgb` (`w` x `h`), into a new buffer. */
export function blurRgb(rgb: Float32Array, w: number, h: number, sigma: number): Float32Array {
  const blurred = floats(rgb.length);
  const plane = floats(w * h);
  for (let c = 0; c < 3; c++) {
    for (let p = 0; p < w * h; p++) plane[p] = rgb[p * 3 + c];
    gaussianBlur(plane, w, h, sigma, plane);
    for (let p = 0; p < w * h; p++) blurred[p * 3 + c] = plane[p];
  }
  return blurred;
}

/**
 * The mean about each pixel of the values whose `weight`ed sum is `weighted` (w x h), a Gaussian of `sigma` apart: a
 * normalised blur; NaN where next to no weight lies. `mass`, the weight blurred so, where the caller has it already.
 */
export function meanOver(weighted: Float32Array, weight: Float32Array, w: number, h: number, sigma: number, mass = gaussianBlur(weight, w, h, sigma)): Float32Array {
  const mean = gaussianBlur(weighted, w, h, sigma);
  for (let p = 0; p < mean.length; p++) mean[p] = mass[p] > 1e-3 ? mean[p] / mass[p] : NaN;
  return mean;
}

/**
 * Approximate Gaussian blur of a float plane: three separable box passes (sizes chosen for `sigma`),
 * with half-sample mirrored edges, so the plane's sum (mean) is preserved. Writes into `out`
 * (which may be `plane`) or a new plane.
 */
export function gaussianBlur(plane: Float32Array, w: number, h: number, sigma: number, out?: Float32Array): Float32Array {
  const dst = out ?? floats(w * h);
  if (dst !== plane) dst.set(plane.subarray(0, w * h));
  if (!(sigma > 0) || w === 0 || h === 0) return dst;
  const radii = boxRadii(sigma, 3);
  const tmp = floats(w * h);
  for (const r of radii) {
    if (r > 0) {
      boxHorizontal(dst, tmp, w, h, r);
      boxVertical(tmp, dst, w, h, r);
    }
  }
  return dst;
}

/** Radii of `n` box filters whose cascade approximates a Gaussian of `sigma`. */
export function boxRadii(sigma: number, n: number): number[] {
  const ideal = Math.sqrt((12 * sigma * sigma) / n + 1);
  let wl = Math.floor(ideal);
  if (wl % 2 === 0) wl--;
  const wu = wl + 2;
  const m = Math.round((12 * sigma * sigma - n * wl * wl - 4 * n * wl - 3 * n) / (-4 * wl - 4));
  const radii: number[] = [];
  for (let i = 0; i < n; i++) radii.push(((i < m ? wl : wu) - 1) / 2);
  return radii;
}

function mirror(i: number, n: number): number {
  const period = 2 * n;
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - 1 - m;
}

function boxHorizontal(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const line = floats(w + 2 * r + 1);
  const scale = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    // Mirrored past the ends only: a modulo per value made this the blur's slowest part.
    const inside0 = r + 1, inside1 = w + r + 1;
    for (let k = 0; k < inside0; k++) line[k] = src[row + mirror(k - r - 1, w)];
    line.set(src.subarray(row + inside0 - r - 1, row + inside1 - r - 1), inside0);
    for (let k = inside1; k < w + 2 * r + 1; k++) line[k] = src[row + mirror(k - r - 1, w)];
    // line[k] holds x = k - r - 1; window for x is line[x+1 .. x+2r+1].
    let acc = 0;
    for (let k = 1; k <= 2 * r + 1; k++) acc += line[k];
    dst[row] = acc * scale;
    for (let x = 1; x < w; x++) {
      acc += line[x + 2 * r + 1] - line[x];
      dst[row + x] = acc * scale;
    }
  }
}

function boxVertical(src: Float32Array, dst: Float32Array, w: number, h: number, r: number): void {
  const acc = doubles(w);
  const scale = 1 / (2 * r + 1);
  for (let k = -r; k <= r; k++) {
    const row = mirror(k, h) * w;
    for (let x = 0; x < w; x++) acc[x] += src[row + x];
  }
  for (let x = 0; x < w; x++) dst[x] = acc[x] * scale;
  for (let y = 1; y < h; y++) {
    const add = mirror(y + r, h) * w;
    const sub = mirror(y - r - 1, h) * w;
    const row = y * w;
    for (let x = 0; x < w; x++) {
      acc[x] += src[add + x] - src[sub + x];
      dst[row + x] = acc[x] * scale;
    }
  }
}
