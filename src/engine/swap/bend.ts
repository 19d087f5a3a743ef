import { cropRaster, rasterWords, type Raster } from '../image/raster.ts';
import { poissonBlend } from './blend.ts';
import { gaussianBlur, rasterizePolygon } from './mask.ts';
import { boundingRect, type Rect } from './region.ts';
import { bytes, floats, int32s } from '../scratch.ts';

/** The bend's last smoothing, in grid cells. */
const SMOOTHING = 1.5;

/** Options for {@link bendPicture}. */
export interface BendOptions {
  /** Numbers per point in `from` and `to` (2 for x,y; 3 for mesh x,y,z). */
  stride: number;
  /** The ring past which nothing moves: x,y pairs of a closed polygon around the points, in picture px. */
  ring: ArrayLike<number>;
  /** Size of the grid cells the bend is worked out on, px (it is smooth at that scale). */
  cell: number;
}

/** The rectangle of a `width` x `height` picture that {@link bendPicture} reads and may change: the ring's bounds. */
export function bendBounds({ ring }: BendOptions, width: number, height: number): Rect {
  return boundingRect(ring, { pad: 1, clipWidth: width, clipHeight: height });
}

/**
 * Bends `picture` in place so that what was at each point of `from` comes to the matching point of `to`, smoothly:
 * the shift is known at the points, nothing moves on or past the ring, and in between the shift is the smoothest
 * surface (a membrane) through those values, worked out on a coarse grid. Unlike a piecewise-affine warp over a
 * few large triangles, this bends an edge it crosses (a jaw line, a collar) into a curve, never into corners.
 * Returns the rectangle that may have changed: the ring's bounds.
 */
export function bendPicture(picture: Raster, from: ArrayLike<number>, to: ArrayLike<number>, options: BendOptions): Rect {
  const { stride, ring, cell } = options;
  const rect = bendBounds(options, picture.width, picture.height);
  const gw = Math.ceil(rect.width / cell) + 1;
  const gh = Math.ceil(rect.height / cell) + 1;
  const cells = gw * gh;
  // Known shifts, per cell: the mean of the points' (the shift is looked up at the new place: to -> from).
  const known = floats(cells * 3);
  const count = floats(cells);
  for (let i = 0; i + 1 < to.length; i += stride) {
    const gx = Math.round((to[i] - rect.x) / cell);
    const gy = Math.round((to[i + 1] - rect.y) / cell);
    if (gx < 0 || gy < 0 || gx >= gw || gy >= gh) continue;
    const c = gy * gw + gx;
    known[c * 3] += from[i] - to[i];
    known[c * 3 + 1] += from[i + 1] - to[i + 1];
    count[c]++;
  }
  // Grid nodes sit at rect.x + gx * cell: the ring rasterised on the grid, nodes outside it are held at 0.
  const gridRing = floats(ring.length);
  for (let k = 0; k < ring.length; k += 2) {
    gridRing[k] = (ring[k] - rect.x) / cell + 0.5;
    gridRing[k + 1] = (ring[k + 1] - rect.y) / cell + 0.5;
  }
  const inside = rasterizePolygon(gridRing, { x: 0, y: 0, width: gw, height: gh });
  const free = floats(cells);
  for (let c = 0; c < cells; c++) {
    if (count[c] > 0 && inside[c] > 0.5) {
      known[c * 3] /= count[c];
      known[c * 3 + 1] /= count[c];
    } else {
      known[c * 3] = known[c * 3 + 1] = 0;
      free[c] = inside[c] > 0.5 ? 1 : 0;
    }
  }
  const shift = poissonBlend(known, floats(cells * 3), free, gw, gh);
  // A membrane peaks at a lone point: a slight blur rounds it off. Nodes next to the outside are held at 0 too, so
  // that no pixel past the ring (which is about convex) interpolates a shift.
  const still = bytes(cells);
  for (let y = 0; y < gh; y++) {
    for (let x = 0; x < gw; x++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx, ny = y + dy;
          // Past the picture's edge is no outside: a face at the edge bends up to it.
          if (nx >= 0 && ny >= 0 && nx < gw && ny < gh && !(inside[ny * gw + nx] > 0.5)) still[y * gw + x] = 1;
        }
      }
    }
  }
  const plane = floats(cells);
  for (let k = 0; k < 2; k++) {
    for (let c = 0; c < cells; c++) plane[c] = shift[c * 3 + k];
    gaussianBlur(plane, gw, gh, SMOOTHING, plane);
    for (let c = 0; c < cells; c++) shift[c * 3 + k] = still[c] ? 0 : plane[c];
  }

  // Samples come from a copy of the rectangle: the shift is 0 at its edges, so they stay in it, except at the
  // picture's edges, where a face at the edge bends up to it and beyond is nothing to bring in. There, within `band`
  // px, a shift outwards tapers to 0 at the edge: what is inside is stretched, where clamped samples smeared the last
  // row into stripes (selfie-many-people.jpg's bottom-left woman, her chin cut by the bottom edge). Twice the largest
  // shift keeps the stretch in order (each pixel's sample beyond the one before it).
  let largest = 0;
  for (let c = 0; c < cells; c++) largest = Math.max(largest, Math.abs(shift[c * 3]), Math.abs(shift[c * 3 + 1]));
  const band = 2 * largest + cell;
  const { x: rx, y: ry, width: rw, height: rh } = rect;
  const { width: pw, height: ph } = picture;
  const snapshot = rasterWords(cropRaster(picture, rect));
  const data = picture.data;
  // The shift is bilinear in the grid: per column its cell and fraction, per row the two grid rows mixed once.
  const column = int32s(rw);
  const columnFraction = floats(rw);
  for (let x = 0; x < rw; x++) {
    const gx = (x + 0.5) / cell;
    column[x] = Math.min(gw - 2, Math.floor(gx));
    columnFraction[x] = gx - column[x];
  }
  const rowDx = floats(gw);
  const rowDy = floats(gw);
  for (let y = 0; y < rh; y++) {
    const gy = (y + 0.5) / cell;
    const j0 = Math.min(gh - 2, Math.floor(gy));
    const up = Math.min(1, (ry + y) / band), down = Math.min(1, (ph - 1 - ry - y) / band);
    const fy = gy - j0;
    let moves = false;
    for (let i = 0; i < gw; i++) {
      const a = (j0 * gw + i) * 3, c = a + gw * 3;
      rowDx[i] = shift[a] + fy * (shift[c] - shift[a]);
      rowDy[i] = shift[a + 1] + fy * (shift[c + 1] - shift[a + 1]);
      moves ||= rowDx[i] !== 0 || rowDy[i] !== 0;
    }
    if (!moves) continue;
    for (let x = 0; x < rw; x++) {
      const i0 = column[x], fx = columnFraction[x];
      let dx = rowDx[i0] + fx * (rowDx[i0 + 1] - rowDx[i0]);
      let dy = rowDy[i0] + fx * (rowDy[i0 + 1] - rowDy[i0]);
      if (Math.abs(dx) < 1e-3 && Math.abs(dy) < 1e-3) continue;
      dx *= Math.min(1, (dx < 0 ? rx + x : pw - 1 - rx - x) / band);
      dy *= dy < 0 ? up : down;
      // Catmull-Rom sample at the shifted pixel centre, edges clamped: a bilinear one blurred what it moved (hair,
      // ears, a collar around the face lost a third of their fine detail).
      const sx = Math.min(rw - 1, Math.max(0, x + dx));
      const sy = Math.min(rh - 1, Math.max(0, y + dy));
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const tx = sx - x0, ty = sy - y0;
      const tx2 = tx * tx, ty2 = ty * ty;
      const ax0 = tx * (-0.5 + tx * (1 - 0.5 * tx)), ax1 = 1 + tx2 * (-2.5 + 1.5 * tx), ax2 = tx * (0.5 + tx * (2 - 1.5 * tx)), ax3 = 0.5 * tx2 * (tx - 1);
      const ay0 = ty * (-0.5 + ty * (1 - 0.5 * ty)), ay1 = 1 + ty2 * (-2.5 + 1.5 * ty), ay2 = ty * (0.5 + ty * (2 - 1.5 * ty)), ay3 = 0.5 * ty2 * (ty - 1);
      const c0 = x0 > 0 ? x0 - 1 : 0, c2 = x0 + 1 < rw ? x0 + 1 : rw - 1, c3 = x0 + 2 < rw ? x0 + 2 : rw - 1;
      const r0 = (y0 > 0 ? y0 - 1 : 0) * rw, r1 = y0 * rw, r2 = (y0 + 1 < rh ? y0 + 1 : rh - 1) * rw, r3 = (y0 + 2 < rh ? y0 + 2 : rh - 1) * rw;
      // The four rows written out (a loop over them, picking each row's weight, took a third longer).
      let v0 = snapshot[r0 + c0], v1 = snapshot[r0 + x0], v2 = snapshot[r0 + c2], v3 = snapshot[r0 + c3];
      let r = ay0 * (ax0 * (v0 & 255) + ax1 * (v1 & 255) + ax2 * (v2 & 255) + ax3 * (v3 & 255));
      let g = ay0 * (ax0 * ((v0 >> 8) & 255) + ax1 * ((v1 >> 8) & 255) + ax2 * ((v2 >> 8) & 255) + ax3 * ((v3 >> 8) & 255));
      let b = ay0 * (ax0 * ((v0 >> 16) & 255) + ax1 * ((v1 >> 16) & 255) + ax2 * ((v2 >> 16) & 255) + ax3 * ((v3 >> 16) & 255));
      v0 = snapshot[r1 + c0], v1 = snapshot[r1 + x0], v2 = snapshot[r1 + c2], v3 = snapshot[r1 + c3];
      r += ay1 * (ax0 * (v0 & 255) + ax1 * (v1 & 255) + ax2 * (v2 & 255) + ax3 * (v3 & 255));
      g += ay1 * (ax0 * ((v0 >> 8) & 255) + ax1 * ((v1 >> 8) & 255) + ax2 * ((v2 >> 8) & 255) + ax3 * ((v3 >> 8) & 255));
      b += ay1 * (ax0 * ((v0 >> 16) & 255) + ax1 * ((v1 >> 16) & 255) + ax2 * ((v2 >> 16) & 255) + ax3 * ((v3 >> 16) & 255));
      v0 = snapshot[r2 + c0], v1 = snapshot[r2 + x0], v2 = snapshot[r2 + c2], v3 = snapshot[r2 + c3];
      r += ay2 * (ax0 * (v0 & 255) + ax1 * (v1 & 255) + ax2 * (v2 & 255) + ax3 * (v3 & 255));
      g += ay2 * (ax0 * ((v0 >> 8) & 255) + ax1 * ((v1 >> 8) & 255) + ax2 * ((v2 >> 8) & 255) + ax3 * ((v3 >> 8) & 255));
      b += ay2 * (ax0 * ((v0 >> 16) & 255) + ax1 * ((v1 >> 16) & 255) + ax2 * ((v2 >> 16) & 255) + ax3 * ((v3 >> 16) & 255));
      v0 = snapshot[r3 + c0], v1 = snapshot[r3 + x0], v2 = snapshot[r3 + c2], v3 = snapshot[r3 + c3];
      r += ay3 * (ax0 * (v0 & 255) + ax1 * (v1 & 255) + ax2 * (v2 & 255) + ax3 * (v3 & 255));
      g += ay3 * (ax0 * ((v0 >> 8) & 255) + ax1 * ((v1 >> 8) & 255) + ax2 * ((v2 >> 8) & 255) + ax3 * ((v3 >> 8) & 255));
      b += ay3 * (ax0 * ((v0 >> 16) & 255) + ax1 * ((v1 >> 16) & 255) + ax2 * ((v2 >> 16) & 255) + ax3 * ((v3 >> 16) & 255));
      // Clamped to 0..255 and rounded by the picture's array.
      const o = ((ry + y) * picture.width + rx + x) * 4;
      data[o] = r;
      data[o + 1] = g;
      data[o + 2] = b;
    }
  }
  return rect;
}
