import type { Raster } from '../src/engine/image/raster.ts';
import { FACE_OVAL } from '../src/engine/face/regions.ts';
import { gaussianBlur, rasterizePolygon } from '../src/engine/swap/mask.ts';
import { boundingRect } from '../src/engine/swap/region.ts';

/** A rectangle of pixels. */
interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Points of the face mesh on skin (cheeks, forehead, brows' middle, nose, chin): where a face's fine detail (pores,
 * grain) is read. Hair over one cheek raises a few of them; a median over all holds.
 */
export const SKIN_POINTS = [36, 266, 50, 280, 118, 347, 205, 425, 151, 9, 4, 175] as const;

/**
 * Fine detail (pores, grain, noise): the median difference of a pixel's luma from its 4 neighbours' mean, over the
 * pixels of `rect` that `inside` picks (all by default), `luma` read at x, y.
 */
export function medianFineDetail(luma: (x: number, y: number) => number, rect: Rect, inside: (x: number, y: number) => boolean = () => true): number {
  const ds: number[] = [];
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      if (inside(x, y)) ds.push(Math.abs(luma(x, y) - (luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1)) / 4));
    }
  }
  return ds.sort((a, b) => a - b)[ds.length >> 1];
}

/** The luma of a picture's pixel. */
export const rasterLuma = (image: Raster) => (x: number, y: number) => {
  const o = (y * image.width + x) * 4;
  return 0.299 * image.data[o] + 0.587 * image.data[o + 1] + 0.114 * image.data[o + 2];
};

/** The distance between a mesh's eyes' outer corners: how far a face's measures reach. */
const eyeDistance = (mesh: Float32Array) => Math.hypot(mesh[33 * 3] - mesh[263 * 3], mesh[33 * 3 + 1] - mesh[263 * 3 + 1]);

/** The disc within `reach` eye distances of a mesh point: its centre, radius, and whether it holds a pixel's centre. */
export function meshDisc(mesh: Float32Array, point: number, reach: number) {
  const [cx, cy, r] = [mesh[point * 3], mesh[point * 3 + 1], reach * eyeDistance(mesh)];
  return { cx, cy, r, holds: (x: number, y: number) => Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r };
}

/** The luma of a `width` x `height` window of a picture from (x0, y0), as a plane. */
function lumaPlane(image: Raster, x0: number, y0: number, width: number, height: number): Float32Array {
  const read = rasterLuma(image);
  const luma = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) luma[y * width + x] = read(x0 + x, y0 + y);
  return luma;
}

/** {@link medianFineDetail} within 0.04 eye distances of a mesh point. */
export function fineDetailNear(image: Raster, mesh: Float32Array, point: number): number {
  const { cx, cy, r, holds } = meshDisc(mesh, point, 0.04);
  const [x0, y0] = [Math.max(1, Math.floor(cx - r)), Math.max(1, Math.floor(cy - r))];
  const [x1, y1] = [Math.min(image.width - 2, Math.floor(cx + r)), Math.min(image.height - 2, Math.floor(cy + r))];
  const rect = { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
  return medianFineDetail(rasterLuma(image), rect, holds);
}

/** The median of {@link fineDetailNear} over `points` of `mesh` in `image`: how fine-grained its skin is. */
export function skinFineDetail(image: Raster, mesh: Float32Array, points: readonly number[] = SKIN_POINTS): number {
  const values = points.map((point) => fineDetailNear(image, mesh, point)).sort((a, b) => a - b);
  return values[values.length >> 1];
}

/**
 * Blotches rather than grain: the median size of a picture's luma blurred by 1 px less it blurred by 2.5 px (detail
 * 2-4 px across), within 0.06 eye distances of a mesh point.
 */
export function blotchinessNear(image: Raster, mesh: Float32Array, point: number): number {
  const { cx, cy, r, holds } = meshDisc(mesh, point, 0.06);
  // A window around the point, wide enough that the blurs' edges stay outside the circle read.
  const pad = Math.ceil(r) + 10;
  const [x0, y0] = [Math.max(0, Math.floor(cx) - pad), Math.max(0, Math.floor(cy) - pad)];
  const [w, h] = [Math.min(image.width, Math.floor(cx) + pad) - x0, Math.min(image.height, Math.floor(cy) + pad) - y0];
  const luma = lumaPlane(image, x0, y0, w, h);
  const [fine, coarse] = [gaussianBlur(luma, w, h, 1), gaussianBlur(luma, w, h, 2.5)];
  const ds: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) if (holds(x0 + x, y0 + y)) ds.push(Math.abs(fine[y * w + x] - coarse[y * w + x]));
  }
  return ds.sort((a, b) => a - b)[ds.length >> 1];
}

/**
 * How sharp a face's edges are in a picture, within its mesh's outline: over the strongest tenth of its luma's detail
 * between Gaussian blurs of 1 and 3 px, the size of its detail finer than the 1 px blur beside that. Measured apart
 * from the engine's own edgeSharpness (box means, the face's middle), so that the tests do not grade focus.ts by its
 * own yardstick.
 */
export function faceSharpness(image: Raster, mesh: Float32Array): number {
  const rect = boundingRect(mesh, { stride: 3, indices: FACE_OVAL, pad: 8, clipWidth: image.width, clipHeight: image.height });
  const { width: w, height: h } = rect;
  const inside = rasterizePolygon(mesh, rect, { stride: 3, indices: FACE_OVAL });
  const luma = lumaPlane(image, rect.x, rect.y, w, h);
  const [fine, coarse] = [gaussianBlur(luma, w, h, 1), gaussianBlur(luma, w, h, 3)];
  const bands: number[] = [];
  for (let p = 0; p < w * h; p++) if (inside[p] > 0.99) bands.push(Math.abs(fine[p] - coarse[p]));
  const cut = [...bands].sort((a, b) => a - b)[Math.floor(bands.length * 0.9)];
  let finest = 0, mid = 0;
  for (let p = 0; p < w * h; p++) {
    if (!(inside[p] > 0.99) || Math.abs(fine[p] - coarse[p]) < cut) continue;
    finest += Math.abs(luma[p] - fine[p]);
    mid += Math.abs(fine[p] - coarse[p]);
  }
  return finest / mid;
}
