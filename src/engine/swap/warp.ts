import type { Raster } from '../image/raster.ts';
import type { Rect } from './region.ts';
import { bytes, floats } from '../scratch.ts';

/** Triangle status bits reported by {@link warpTriangles}; 0 means drawn. */
export const TRIANGLE_DRAWN = 0;
/** Zero (or near-zero) area in the destination, or in the source when culled there. */
export const TRIANGLE_DEGENERATE = 1;
/** Wound against the destination mesh: folded behind the visible surface in the target pose. */
export const TRIANGLE_BACK_IN_DEST = 2;
/** Wound against the source mesh: the source photo does not show this part (fill it some other way). */
export const TRIANGLE_BACK_IN_SOURCE = 4;
/** Touches no pixel centre inside the rectangle. */
export const TRIANGLE_OUTSIDE = 8;

/** A face-region render: float RGB and coverage over `rect` of the destination picture. */
export interface WarpResult {
  rect: Rect;
  /** Interleaved RGB, 0..255, 3 numbers per pixel of `rect`, row-major. */
  rgb: Float32Array;
  /** 1 where a triangle was drawn, 0 elsewhere; one number per pixel. */
  coverage: Float32Array;
  /** Per triangle: a combination of the TRIANGLE_* bits (0 = drawn). */
  status: Uint8Array;
  /** Interpolated destination depth per pixel, present when the warp ran with `depthTest`. */
  depth?: Float32Array;
}

/** Options for {@link warpTriangles}. */
export interface WarpOptions {
  /** Numbers per source point (2 for x,y; 3 for mesh x,y,z). Default 2. */
  srcStride?: number;
  /** Numbers per destination point. Default 2. */
  dstStride?: number;
  /**
   * Source vertex indices per triangle when they differ from the destination's (for example a
   * mirrored triangle to fill a part the source does not show). Default: `triangles`.
   */
  srcTriangles?: ArrayLike<number>;
  /** Skip triangles wound against the destination mesh. Default true. */
  cullDest?: boolean;
  /** Skip triangles wound against the source mesh (or degenerate there). Default true. */
  cullSource?: boolean;
  /**
   * Orientation (sign of the signed area in y-down pixel coordinates) of front-facing triangles.
   * Default: found per mesh from the area-weighted majority, separately for source and destination.
   */
  frontSign?: 1 | -1;
  /**
   * Keep the nearest triangle where several overlap, using the destination points' third number
   * as depth, smaller = nearer (MediaPipe's convention). Needs dstStride >= 3.
   */
  depthTest?: boolean;
  /** Render into an existing result over the same rectangle instead of a new one. */
  into?: WarpResult;
  /** With `into`: only write pixels whose coverage is still 0 (fill holes left by a first pass). */
  onlyUncovered?: boolean;
}

const AREA_EPS = 1e-6;

/**
 * Maps destination coordinates to source coordinates for one triangle: writes [a, b, c, d, e, f] so
 * that u = a*x + b*y + c, v = d*x + e*y + f. Returns false when the destination triangle is degenerate.
 */
export function triangleAffine(
  dx0: number, dy0: number, dx1: number, dy1: number, dx2: number, dy2: number,
  sx0: number, sy0: number, sx1: number, sy1: number, sx2: number, sy2: number,
  out: Float64Array | number[],
): boolean {
  const ex1 = dx1 - dx0;
  const ey1 = dy1 - dy0;
  const ex2 = dx2 - dx0;
  const ey2 = dy2 - dy0;
  const det = ex1 * ey2 - ex2 * ey1;
  if (!(Math.abs(det) > AREA_EPS)) return false;
  const inv = 1 / det;
  const u1 = sx1 - sx0;
  const u2 = sx2 - sx0;
  const v1 = sy1 - sy0;
  const v2 = sy2 - sy0;
  const a = (u1 * ey2 - u2 * ey1) * inv;
  const b = (u2 * ex1 - u1 * ex2) * inv;
  const d = (v1 * ey2 - v2 * ey1) * inv;
  const e = (v2 * ex1 - v1 * ex2) * inv;
  out[0] = a;
  out[1] = b;
  out[2] = sx0 - a * dx0 - b * dy0;
  out[3] = d;
  out[4] = e;
  out[5] = sy0 - d * dx0 - e * dy0;
  return true;
}

function signedArea(pts: ArrayLike<number>, stride: number, i0: number, i1: number, i2: number): number {
  const x0 = pts[i0 * stride];
  const y0 = pts[i0 * stride + 1];
  return (pts[i1 * stride] - x0) * (pts[i2 * stride + 1] - y0) - (pts[i2 * stride] - x0) * (pts[i1 * stride + 1] - y0);
}

function majoritySign(pts: ArrayLike<number>, stride: number, tris: ArrayLike<number>): 1 | -1 {
  let sum = 0;
  for (let t = 0; t + 2 < tris.length; t += 3) {
    const a = signedArea(pts, stride, tris[t], tris[t + 1], tris[t + 2]);
    if (Number.isFinite(a)) sum += a;
  }
  return sum < 0 ? -1 : 1;
}

/**
 * Piecewise-affine warp: renders each triangle of the destination mesh with the source pixels of the
 * matching source triangle (bilinear sampling, edges clamped), into `rect` of the destination only.
 * Coordinates are continuous pixel coordinates (pixel (i, j) has its centre at (i + 0.5, j + 0.5)).
 * Pixels are owned by exactly one triangle of a consistent mesh (a top-left fill rule on exactly
 * evaluated edge functions), so shared edges leave no gaps and no double writes. The source alpha is ignored.
 */
export function warpTriangles(
  src: Raster,
  srcPts: ArrayLike<number>,
  dstPts: ArrayLike<number>,
  triangles: ArrayLike<number>,
  rect: Rect,
  options: WarpOptions = {},
): WarpResult {
  const ss = options.srcStride ?? 2;
  const ds = options.dstStride ?? 2;
  const srcTris = options.srcTriangles ?? triangles;
  const cullDest = options.cullDest ?? true;
  const cullSource = options.cullSource ?? true;
  const depthTest = (options.depthTest ?? false) && ds >= 3;
  const onlyUncovered = options.onlyUncovered ?? false;
  const rw = rect.width;
  const rh = rect.height;
  const triCount = Math.floor(triangles.length / 3);

  const into = options.into;
  if (into && (into.rect.width !== rw || into.rect.height !== rh || into.rect.x !== rect.x || into.rect.y !== rect.y)) {
    throw new Error('warpTriangles: `into` covers a different rectangle');
  }
  const result: WarpResult = into
    ? { ...into, status: bytes(triCount) }
    : { rect: { ...rect }, rgb: floats(rw * rh * 3), coverage: floats(rw * rh), status: bytes(triCount) };
  if (depthTest && !result.depth) result.depth = floats(rw * rh).fill(Infinity);
  const { rgb, coverage, status } = result;
  const depth = result.depth ?? new Float32Array(0);

  const dstFront = options.frontSign ?? majoritySign(dstPts, ds, triangles);
  const srcFront = options.frontSign ?? majoritySign(srcPts, ss, srcTris);

  const sw = src.width;
  const sh = src.height;
  const sdata = src.data;
  const aff = new Float64Array(6);
  const vx = new Float64Array(3);
  const vy = new Float64Array(3);
  const vi = new Int32Array(3);
  // Per edge k (from vertex k to k+1): canonical origin/direction and the sign that turns the
  // canonical edge function into "inside >= 0"; plus whether ties (w == 0) count as inside.
  const ePx = new Float64Array(3);
  const ePy = new Float64Array(3);
  const eDx = new Float64Array(3);
  const eDy = new Float64Array(3);
  const eSign = new Float64Array(3);
  const eTie = new Uint8Array(3);

  for (let t = 0; t < triCount; t++) {
    const d0 = triangles[3 * t];
    const d1 = triangles[3 * t + 1];
    const d2 = triangles[3 * t + 2];
    const s0 = srcTris[3 * t];
    const s1 = srcTris[3 * t + 1];
    const s2 = srcTris[3 * t + 2];
    const dArea = signedArea(dstPts, ds, d0, d1, d2);
    const sArea = signedArea(srcPts, ss, s0, s1, s2);
    let flags = 0;
    if (!(Math.abs(dArea) > AREA_EPS)) {
      status[t] = TRIANGLE_DEGENERATE;
      continue;
    }
    if (Math.sign(dArea) !== dstFront) flags |= TRIANGLE_BACK_IN_DEST;
    if (!(Math.abs(sArea) > AREA_EPS)) flags |= TRIANGLE_DEGENERATE;
    else if (Math.sign(sArea) !== srcFront) flags |= TRIANGLE_BACK_IN_SOURCE;
    if ((cullDest && flags & TRIANGLE_BACK_IN_DEST) || (cullSource && flags & (TRIANGLE_BACK_IN_SOURCE | TRIANGLE_DEGENERATE))) {
      status[t] = flags;
      continue;
    }
    vi[0] = d0;
    vi[1] = d1;
    vi[2] = d2;
    for (let k = 0; k < 3; k++) {
      vx[k] = dstPts[vi[k] * ds];
      vy[k] = dstPts[vi[k] * ds + 1];
    }
    if (
      !triangleAffine(
        vx[0], vy[0], vx[1], vy[1], vx[2], vy[2],
        srcPts[s0 * ss], srcPts[s0 * ss + 1], srcPts[s1 * ss], srcPts[s1 * ss + 1], srcPts[s2 * ss], srcPts[s2 * ss + 1],
        aff,
      )
    ) {
      status[t] = flags | TRIANGLE_DEGENERATE;
      continue;
    }
    const areaSign = dArea > 0 ? 1 : -1;
    for (let k = 0; k < 3; k++) {
      const a = vi[k];
      const b = vi[(k + 1) % 3];
      // Canonical order by point index (then by coordinates) so both triangles sharing an edge compute
      // bit-identical edge functions, differing only in sign.
      const forward = a < b || (a === b && (vx[k] < vx[(k + 1) % 3] || (vx[k] === vx[(k + 1) % 3] && vy[k] <= vy[(k + 1) % 3])));
      const p = forward ? k : (k + 1) % 3;
      const q = forward ? (k + 1) % 3 : k;
      ePx[k] = vx[p];
      ePy[k] = vy[p];
      eDx[k] = vx[q] - vx[p];
      eDy[k] = vy[q] - vy[p];
      const traversal = (forward ? 1 : -1) * areaSign;
      eSign[k] = traversal;
      // Effective direction of the edge as the inside sees it; an antisymmetric rule picks one owner.
      const dirX = eDx[k] * traversal;
      const dirY = eDy[k] * traversal;
      eTie[k] = dirY > 0 || (dirY === 0 && dirX < 0) ? 1 : 0;
    }
    // Depth plane z = za*x + zb*y + zc (only with depthTest).
    let za = 0;
    let zb = 0;
    let zc = 0;
    if (depthTest) {
      const z0 = dstPts[d0 * ds + 2];
      const z1 = dstPts[d1 * ds + 2];
      const z2 = dstPts[d2 * ds + 2];
      const ex1 = vx[1] - vx[0];
      const ey1 = vy[1] - vy[0];
      const ex2 = vx[2] - vx[0];
      const ey2 = vy[2] - vy[0];
      const inv = 1 / (ex1 * ey2 - ex2 * ey1);
      za = ((z1 - z0) * ey2 - (z2 - z0) * ey1) * inv;
      zb = ((z2 - z0) * ex1 - (z1 - z0) * ex2) * inv;
      zc = z0 - za * vx[0] - zb * vy[0];
    }

    const minX = Math.min(vx[0], vx[1], vx[2]);
    const maxX = Math.max(vx[0], vx[1], vx[2]);
    const minY = Math.min(vy[0], vy[1], vy[2]);
    const maxY = Math.max(vy[0], vy[1], vy[2]);
    // Pixel index range whose centres may be inside, clipped to the rectangle (local coordinates).
    const j0 = Math.max(0, Math.ceil(minY - 0.5) - rect.y);
    const j1 = Math.min(rh - 1, Math.floor(maxY - 0.5) - rect.y);
    const i0 = Math.max(0, Math.ceil(minX - 0.5) - rect.x);
    const i1 = Math.min(rw - 1, Math.floor(maxX - 0.5) - rect.x);
    if (j0 > j1 || i0 > i1) {
      status[t] = flags | TRIANGLE_OUTSIDE;
      continue;
    }
    let drew = false;
    const [a, b, c, d, e, f] = aff;
    for (let j = j0; j <= j1; j++) {
      const py = rect.y + j + 0.5;
      // Span of x where every edge function is >= 0, widened by a pixel; then tested exactly.
      let lo = minX - 1;
      let hi = maxX + 1;
      let empty = false;
      const row0 = eSign[0] * eDx[0] * (py - ePy[0]);
      const row1 = eSign[1] * eDx[1] * (py - ePy[1]);
      const row2 = eSign[2] * eDx[2] * (py - ePy[2]);
      for (let k = 0; k < 3; k++) {
        // w(px) = sign * (dx*(py-Py) - dy*(px-Px)) = rowTerm - sign*dy*(px - Px)
        const slope = -eSign[k] * eDy[k];
        const rowTerm = k === 0 ? row0 : k === 1 ? row1 : row2;
        if (slope === 0) {
          if (rowTerm < 0) empty = true;
        } else {
          const x = ePx[k] - rowTerm / slope;
          if (slope > 0) lo = Math.max(lo, x);
          else hi = Math.min(hi, x);
        }
      }
      if (empty || lo > hi + 2) continue;
      let iStart = Math.max(i0, Math.floor(lo - 0.5) - rect.x - 1);
      let iEnd = Math.min(i1, Math.ceil(hi - 0.5) - rect.x + 1);
      for (; iStart <= iEnd; iStart++) {
        const px = rect.x + iStart + 0.5;
        if (
          inside(row0, eSign[0] * eDy[0] * (px - ePx[0]), eTie[0]) &&
          inside(row1, eSign[1] * eDy[1] * (px - ePx[1]), eTie[1]) &&
          inside(row2, eSign[2] * eDy[2] * (px - ePx[2]), eTie[2])
        ) break;
      }
      for (; iEnd >= iStart; iEnd--) {
        const px = rect.x + iEnd + 0.5;
        if (
          inside(row0, eSign[0] * eDy[0] * (px - ePx[0]), eTie[0]) &&
          inside(row1, eSign[1] * eDy[1] * (px - ePx[1]), eTie[1]) &&
          inside(row2, eSign[2] * eDy[2] * (px - ePx[2]), eTie[2])
        ) break;
      }
      if (iStart > iEnd) continue;
      drew = true;
      const px0 = rect.x + iStart + 0.5;
      let u = a * px0 + b * py + c;
      let v = d * px0 + e * py + f;
      let z = za * px0 + zb * py + zc;
      let o = j * rw + iStart;
      for (let i = iStart; i <= iEnd; i++, o++, u += a, v += d, z += za) {
        if (onlyUncovered && coverage[o] > 0) continue;
        if (depthTest) {
          if (!(z < depth[o])) continue;
          depth[o] = z;
        }
        const sx = u - 0.5;
        const sy = v - 0.5;
        let x0 = Math.floor(sx);
        let y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        let x1 = x0 + 1;
        let y1 = y0 + 1;
        if (x0 < 0 || y0 < 0 || x1 >= sw || y1 >= sh) {
          x0 = x0 < 0 ? 0 : x0 >= sw ? sw - 1 : x0;
          x1 = x1 < 0 ? 0 : x1 >= sw ? sw - 1 : x1;
          y0 = y0 < 0 ? 0 : y0 >= sh ? sh - 1 : y0;
          y1 = y1 < 0 ? 0 : y1 >= sh ? sh - 1 : y1;
        }
        const p00 = (y0 * sw + x0) * 4;
        const p10 = (y0 * sw + x1) * 4;
        const p01 = (y1 * sw + x0) * 4;
        const p11 = (y1 * sw + x1) * 4;
        const w00 = (1 - fx) * (1 - fy);
        const w10 = fx * (1 - fy);
        const w01 = (1 - fx) * fy;
        const w11 = fx * fy;
        const q = o * 3;
        rgb[q] = w00 * sdata[p00] + w10 * sdata[p10] + w01 * sdata[p01] + w11 * sdata[p11];
        rgb[q + 1] = w00 * sdata[p00 + 1] + w10 * sdata[p10 + 1] + w01 * sdata[p01 + 1] + w11 * sdata[p11 + 1];
        rgb[q + 2] = w00 * sdata[p00 + 2] + w10 * sdata[p10 + 2] + w01 * sdata[p01 + 2] + w11 * sdata[p11 + 2];
        coverage[o] = 1;
      }
    }
    status[t] = drew ? flags : flags | TRIANGLE_OUTSIDE;
  }
  return result;
}

// Edge test: w = rowTerm - colTerm, inside when w > 0, or w == 0 on an owning edge.
function inside(rowTerm: number, colTerm: number, tie: number): boolean {
  const w = rowTerm - colTerm;
  return w > 0 || (w === 0 && tie === 1);
}
