import type { Raster } from '../src/engine/image/raster.ts';

/**
 * Points of the face mesh on skin (cheeks, forehead, brows' middle, nose, chin): where a face's fine detail (pores,
 * grain) is read. Hair over one cheek raises a few of them; a median over all holds.
 */
export const SKIN_POINTS = [36, 266, 50, 280, 118, 347, 205, 425, 151, 9, 4, 175] as const;

/** The median difference of a pixel's luma from its 4 neighbours' mean, within 0.04 eye distances of a mesh point. */
export function fineDetailNear(image: Raster, mesh: Float32Array, point: number): number {
  const eyes = Math.hypot(mesh[33 * 3] - mesh[263 * 3], mesh[33 * 3 + 1] - mesh[263 * 3 + 1]);
  const [cx, cy, r] = [mesh[point * 3], mesh[point * 3 + 1], 0.04 * eyes];
  const luma = (x: number, y: number) => {
    const o = (y * image.width + x) * 4;
    return 0.299 * image.data[o] + 0.587 * image.data[o + 1] + 0.114 * image.data[o + 2];
  };
  const ds: number[] = [];
  for (let y = Math.max(1, Math.floor(cy - r)); y <= Math.min(image.height - 2, cy + r); y++) {
    for (let x = Math.max(1, Math.floor(cx - r)); x <= Math.min(image.width - 2, cx + r); x++) {
      if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= r) ds.push(Math.abs(luma(x, y) - (luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1)) / 4));
    }
  }
  return ds.sort((a, b) => a - b)[ds.length >> 1];
}

/** The median of {@link fineDetailNear} over `points` of `mesh` in `image`: how fine-grained its skin is. */
export function skinFineDetail(image: Raster, mesh: Float32Array, points: readonly number[] = SKIN_POINTS): number {
  const values = points.map((point) => fineDetailNear(image, mesh, point)).sort((a, b) => a - b);
  return values[values.length >> 1];
}
