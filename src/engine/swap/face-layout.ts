import { MOUTH_CORNERS } from '../face/landmarks.ts';
import { BROWS, EYE_POLYGON, FACE_OVAL, LIDS, LIPS_INNER, LIPS_OUTER, LOWER_LIDS } from '../face/regions.ts';
import { enlarge } from './colour.ts';
import { distanceInside, gaussianBlur, rasterizePolygon } from './mask.ts';
import { pointsInCrop, type Rect } from './region.ts';
import { floats, floatsCopy, int32s } from '../scratch.ts';

/**
 * The analysis grid of a face: its rectangle seen `factor` times coarser (block means), so that finding skin, hair and
 * glasses costs the same for a 2000 px face as for a 300 px one. Maps made on it are brought back with {@link toPixels}.
 */
export interface WorkGrid {
  /** The face's rectangle in the picture. */
  rect: Rect;
  factor: number;
  width: number;
  height: number;
  /** The mesh (x, y, z per point) in the grid's cells. */
  mesh: Float32Array;
  /** The face's size in cells. */
  faceSize: number;
}

/** The face is analysed at about this size (cells across its larger side). */
export const GRID_SIZE = 160;

/** The grid for a face of `faceSize` px over `rect`, with its mesh (x, y, z per point, picture px) moved onto it. */
export function workGrid(rect: Rect, mesh: Float32Array, faceSize: number): WorkGrid {
  const factor = Math.max(1, Math.round(faceSize / GRID_SIZE));
  const local = pointsInCrop(mesh, rect, factor, floats(mesh.length));
  return { rect, factor, width: Math.ceil(rect.width / factor), height: Math.ceil(rect.height / factor), mesh: local, faceSize: faceSize / factor };
}

/** Interleaved RGB over the face's rectangle, averaged onto the grid. */
export function toGrid(grid: WorkGrid, rgb: Float32Array): Float32Array {
  const { width: w, height: h } = grid.rect;
  const f = grid.factor;
  if (f === 1) return floatsCopy(rgb);
  const cw = grid.width;
  const out = floats(cw * grid.height * 3);
  const count = floats(cw * grid.height);
  for (let y = 0; y < h; y++) {
    const row = ((y / f) | 0) * cw;
    for (let x = 0, q = y * w * 3; x < w; x++, q += 3) {
      const c = row + ((x / f) | 0);
      out[c * 3] += rgb[q];
      out[c * 3 + 1] += rgb[q + 1];
      out[c * 3 + 2] += rgb[q + 2];
      count[c]++;
    }
  }
  for (let c = 0; c < count.length; c++) {
    out[c * 3] /= count[c];
    out[c * 3 + 1] /= count[c];
    out[c * 3 + 2] /= count[c];
  }
  return out;
}

/** A map on the grid interpolated back to one number per pixel of the face's rectangle. */
export function toPixels(grid: WorkGrid, map: Float32Array): Float32Array {
  return grid.factor === 1 ? map : enlarge(map, grid.width, grid.height, grid.factor, grid.rect.width, grid.rect.height);
}

/** The whole grid as a rectangle in its own cells, for rasterising the grid's mesh. */
export function gridRect(grid: WorkGrid): Rect {
  return { x: 0, y: 0, width: grid.width, height: grid.height };
}

/** A patch (of hair, of what is painted over) this size squared or smaller (relative to the face's size) is a speck. */
export const SPECK = 0.03;
/** Hair is told from the face's own dark patches by reaching within this far of the outline (relative to the face's size). */
export const STRAY_REACH = 0.05;

/** Where things are on the new face, per cell of the grid, each 0..1. */
export interface FaceLayout {
  /** Eyes, brows, lips and nostrils, grown a little: never taken for hair, never sampled as skin. */
  features: Float32Array;
  /** The same, grown less: the source's stray hair is painted over up to these. */
  nearFeatures: Float32Array;
  /** The brows alone, grown as much. */
  nearBrows: Float32Array;
  /** The features but the brows, grown as much. */
  nearFeaturesButBrows: Float32Array;
  /** The forehead above the brows, and the temples: where the target's hair may fall over the face. */
  hairZone: Float32Array;
  /** The part of it above the brows (the forehead), where hair comes down from. */
  aboveBrows: Float32Array;
  /** The upper face, and a band inside the outline down to the mouth: where the source's render may hold its hair, or background past its face's edge. */
  strayZone: Float32Array;
  /** Below the nose: where a beard or moustache grows. */
  beardZone: Float32Array;
  /** Distance (cells) inside the face's outline. */
  toEdge: Float32Array;
  /** 0 at the top of the forehead rising to 1 below it: the hairline is the target's, and the new face fades in under it. */
  topRamp: Float32Array;
  /** The lips (between the outer and inner lip lines). */
  lips: Float32Array;
  /**
   * Each upper lid and the skin above it up to the brow, where a deep-set eye's crease is busy and dark, and each
   * lower lid and the skin just below it, where make-up lines the eye.
   */
  lids: Float32Array;
}

/** Eyebrows as closed outlines (upper edge, then lower edge back). */
const BROW_OUTLINE = { left: BROWS.left.slice(0, 10), right: BROWS.right.slice(0, 10) } as const;
/** The nostrils and the base of the nose, as one outline. */
const NOSTRILS = [64, 98, 97, 2, 326, 327, 294, 278, 344, 440, 275, 4, 45, 220, 115, 48] as const;
const NOSE_TIP = 4;

/** Features are grown by this much (relative to the face's size) before hair and skin are looked for around them. */
const FEATURE_GROWTH = 0.03;
/** Width of the band inside the outline where the source's render may hold background. */
const EDGE_BAND = 0.12;
/** The new face fades in over this much (relative to the face's size) below the top of the forehead. */
const FOREHEAD_FADE = 0.12;

/** Where the features and zones of the face on `grid` are. */
export function faceLayout(grid: WorkGrid): FaceLayout {
  const { width: w, height: h, mesh, faceSize } = grid;
  const rect = gridRect(grid);
  const n = w * h;
  const outside = floats(n).fill(1);
  const notBrows = floats(n).fill(1);
  const notOthers = floats(n).fill(1);
  for (const polygon of [EYE_POLYGON.left, EYE_POLYGON.right, BROW_OUTLINE.left, BROW_OUTLINE.right, LIPS_OUTER, NOSTRILS]) {
    const inside = rasterizePolygon(mesh, rect, { stride: 3, indices: polygon });
    const brow = polygon === BROW_OUTLINE.left || polygon === BROW_OUTLINE.right;
    for (let p = 0; p < n; p++) {
      if (!(inside[p] > 0.5)) continue;
      outside[p] = 0;
      if (brow) notBrows[p] = 0;
      else notOthers[p] = 0;
    }
  }
  const toFeature = distanceInside(outside, w, h);
  const near = (distance: number) => 1 - smoothstep(faceSize * FEATURE_GROWTH * 0.15, faceSize * FEATURE_GROWTH * 0.3, distance);
  const features = floats(n);
  const nearFeatures = floats(n);
  for (let p = 0; p < n; p++) {
    features[p] = 1 - smoothstep(faceSize * FEATURE_GROWTH * 0.5, faceSize * FEATURE_GROWTH, toFeature[p]);
    nearFeatures[p] = near(toFeature[p]);
  }
  const nearBrows = distanceInside(notBrows, w, h).map(near);
  const nearFeaturesButBrows = distanceInside(notOthers, w, h).map(near);

  const inner = distanceInside(rasterizePolygon(mesh, rect, { stride: 3, indices: FACE_OVAL }), w, h);
  // The face's own axes: "down" is perpendicular to the eye line.
  const ex = mesh[263 * 3] - mesh[33 * 3], ey = mesh[263 * 3 + 1] - mesh[33 * 3 + 1];
  const len = Math.hypot(ex, ey) || 1;
  const dx = -ey / len, dy = ex / len;
  const along = (i: number) => mesh[i * 3] * dx + mesh[i * 3 + 1] * dy;
  let brow = 0;
  for (const i of [...BROW_OUTLINE.left, ...BROW_OUTLINE.right]) brow += along(i) / (BROW_OUTLINE.left.length * 2);
  const noseTip = along(NOSE_TIP);
  const mouthLevel = (along(MOUTH_CORNERS[0]) + along(MOUTH_CORNERS[1])) / 2;
  const top = along(FACE_OVAL[0]);
  const band = faceSize * EDGE_BAND;
  const hairZone = floats(n);
  const aboveBrows = floats(n);
  const strayZone = floats(n);
  const topRamp = floats(n);
  const beardZone = floats(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const level = (x + 0.5) * dx + (y + 0.5) * dy;
      const edge = 1 - smoothstep(band * 0.6, band, inner[p]);
      aboveBrows[p] = 1 - smoothstep(brow - faceSize * 0.04, brow, level);
      hairZone[p] = Math.max(aboveBrows[p], edge * (1 - smoothstep(noseTip - faceSize * 0.05, noseTip, level)));
      // Hair hangs over the upper face; lower down only the edge may show background (or, below the mouth, a beard).
      strayZone[p] = Math.max(1 - smoothstep(noseTip - faceSize * 0.03, noseTip + faceSize * 0.02, level), edge * (1 - smoothstep(noseTip, mouthLevel, level)));
      topRamp[p] = smoothstep(top, top + faceSize * FOREHEAD_FADE, level);
      beardZone[p] = inner[p] > 0 ? smoothstep(noseTip - faceSize * 0.02, noseTip + faceSize * 0.02, level) : 0;
    }
  }
  const lips = rasterizePolygon(mesh, rect, { stride: 3, indices: LIPS_OUTER });
  const opening = rasterizePolygon(mesh, rect, { stride: 3, indices: LIPS_INNER });
  for (let p = 0; p < n; p++) lips[p] = Math.max(0, lips[p] - opening[p]);
  const lids = floats(n);
  for (const indices of [LIDS.left, LIDS.right, LOWER_LIDS.left, LOWER_LIDS.right]) {
    const lid = rasterizePolygon(mesh, rect, { stride: 3, indices });
    for (let p = 0; p < n; p++) lids[p] = Math.max(lids[p], lid[p]);
  }
  return { features, nearFeatures, nearBrows, nearFeaturesButBrows, hairZone, aboveBrows, strayZone, beardZone, toEdge: inner, topRamp, lips, lids };
}

/**
 * The 4-connected regions of `eligible` cells that hold at least one `seed` cell: a label per cell (0 = in none) and
 * each label's size in cells (sizes[0] unused).
 */
export function seededRegions(eligible: (p: number) => boolean, seed: (p: number) => boolean, w: number, h: number): { label: Int32Array; sizes: number[] } {
  const label = int32s(w * h);
  const sizes = [0];
  const stack: number[] = [];
  for (let p = 0; p < w * h; p++) {
    if (label[p] || !eligible(p) || !seed(p)) continue;
    const id = sizes.length;
    let size = 0;
    label[p] = id;
    stack.push(p);
    while (stack.length) {
      const q = stack.pop()!;
      size++;
      const x = q % w, y = (q / w) | 0;
      for (const r of [x > 0 ? q - 1 : -1, x < w - 1 ? q + 1 : -1, y > 0 ? q - w : -1, y < h - 1 ? q + w : -1]) {
        if (r >= 0 && !label[r] && eligible(r)) {
          label[r] = id;
          stack.push(r);
        }
      }
    }
    sizes.push(size);
  }
  return { label, sizes };
}

/** The mean of `values` over each region of {@link seededRegions}' `label` and `sizes` (index 0 unused). */
export function regionMeans({ label, sizes }: { label: Int32Array; sizes: number[] }, values: Float32Array): Float32Array {
  const means = floats(sizes.length);
  for (let c = 0; c < label.length; c++) if (label[c]) means[label[c]] += values[c] / sizes[label[c]];
  return means;
}

/** The bounds of each 4-connected region of a w x h plane's values above `threshold`. */
export function regionBounds(plane: Float32Array, w: number, h: number, threshold: number): Rect[] {
  const above = (p: number) => plane[p] > threshold;
  const { label, sizes } = seededRegions(above, above, w, h);
  const bounds = sizes.map(() => ({ x0: w, y0: h, x1: -1, y1: -1 }));
  for (let p = 0; p < label.length; p++) {
    if (!label[p]) continue;
    const b = bounds[label[p]], x = p % w, y = (p / w) | 0;
    b.x0 = Math.min(b.x0, x);
    b.y0 = Math.min(b.y0, y);
    b.x1 = Math.max(b.x1, x);
    b.y1 = Math.max(b.y1, y);
  }
  return bounds.slice(1).map((b) => ({ x: b.x0, y: b.y0, width: b.x1 - b.x0 + 1, height: b.y1 - b.y0 + 1 }));
}

/** A speckled 0..1 map made into solid regions: blurred a little, then pushed to 0 or 1. */
export function cleanRegion(speckled: Float32Array, w: number, h: number, faceSize: number): Float32Array {
  const out = gaussianBlur(speckled, w, h, faceSize * 0.008);
  for (let p = 0; p < out.length; p++) out[p] = smoothstep(0.25, 0.6, out[p]);
  return out;
}

/** A 0..1 region grown by `reach`: full out to half of it, fading out over the rest. */
export function grow(region: Float32Array, w: number, h: number, reach: number): Float32Array {
  const outside = floats(region.length);
  for (let p = 0; p < region.length; p++) outside[p] = region[p] >= 0.5 ? 0 : 1;
  const away = distanceInside(outside, w, h);
  for (let p = 0; p < away.length; p++) away[p] = Math.max(region[p], 1 - smoothstep(reach / 2, reach, away[p]));
  return away;
}

/** 0 below `lo`, 1 above `hi`, and a smooth S between. */
export function smoothstep(lo: number, hi: number, x: number): number {
  const t = x <= lo ? 0 : x >= hi ? 1 : (x - lo) / (hi - lo);
  return t * t * (3 - 2 * t);
}
