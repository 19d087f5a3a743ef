import { expressionOf } from '../face/measures.ts';
import { floats } from '../scratch.ts';
import { smoothstep } from './face-layout.ts';
import { gaussianBlur, meanOver } from './mask.ts';
import { lumaOf } from './patch.ts';
import type { Rect } from './region.ts';

/**
 * A smiling source's folds on a face that smiles less. The mesh brings the mouth to the target's expression, but the
 * shading of a smile is in the source's pixels: the folds from the nose's wings past the mouth's corners (nasolabial
 * and on down) stayed as deep grooves on a neutral face, the smile there in all but the mouth (img1 -> img30, img24 ->
 * img29). Where the source smiles more than the target, the new face's shading at the folds' scale is brought down
 * along them to the depth the target's own skin shows there: their skin's finer texture and the face's broader shape
 * stay.
 */

/** Each fold's course, by mesh points: the nose's wing, beside the mouth's corner, below and outside it; both sides. */
const FOLDS = [[129, 57, 202], [358, 287, 422]] as const;
/** Around a fold's course the shading is flattened fully within the first distance, not past the second (relative to the face's size). */
const FOLD_REACH = [0.03, 0.06] as const;
/** The folds' scale: the shading between these two blurs' sigmas (relative to the face's size). */
const FOLD_SCALE = [0.01, 0.08] as const;
/** How much more the source smiles than the target (see expressionOf) for its folds to go: not at all, then fully. */
const SMILING_MORE = [0.03, 0.1] as const;
const NEGLIGIBLE = 0.05;
/** How deep a face's shading at the folds' scale is, is measured over this reach (relative to the face's size). */
const DEPTH_REACH = 0.03;
/** Over the first stretch of each fold's course (this share of it) less is flattened the nearer the nose's wing: its edge is the nose's. */
const NOSE_WING = 0.3;
/** The lips are left as they are, and their edge: over this blur of their outline (relative to the face's size). */
const LIPS_MARGIN = 0.01;

/**
 * Flattens the source's smile folds on the new face `rgb` (interleaved, over `rect`, the face `faceSize` px across)
 * where the source (`sourceMesh`) smiles more than the new face's geometry (`geometry`, picture px): their shading
 * along the folds' course is made no deeper than the target's (`background`, the same rect) there, measured on each
 * face's skin (`skin`, 0..1 per pixel; neither a moustache nor a beard) but for the lips (`lipLine`, 0..1 per pixel).
 * In place.
 */
export function flattenSmileFolds(rgb: Float32Array, background: Float32Array, rect: Rect, faceSize: number, geometry: Float32Array, sourceMesh: Float32Array, skin: { source: Float32Array; target: Float32Array }, lipLine: Float32Array): void {
  const strength = smoothstep(SMILING_MORE[0], SMILING_MORE[1], expressionOf(sourceMesh).smile - expressionOf(geometry).smile);
  // A twentieth of the flattening or less is none one sees, and not worth its 20 ms.
  if (!(strength > NEGLIGIBLE)) return;
  const { width: w, height: h } = rect;
  const n = w * h;
  const along = foldsZone(rect, faceSize, geometry);
  const lips = gaussianBlur(lipLine, w, h, faceSize * LIPS_MARGIN);
  // Each face's skin alone, not its lips (or a beard): blurred over it only, a red lipstick's colour spread into the
  // skin by the mouth's corners and came out as dark blotches. Shading is told in luma.
  const newSkin = floats(n), targetSkin = floats(n);
  for (let p = 0; p < n; p++) {
    const offLips = 1 - Math.min(1, 2 * lips[p]);
    newSkin[p] = skin.source[p] * offLips;
    targetSkin[p] = skin.target[p] * offLips;
  }
  const luma = lumaOf(rgb);
  const newBand = shadingBand(luma, newSkin, w, h, faceSize);
  const newDepth = shadingDepth(newBand, newSkin, w, h, faceSize);
  const targetDepth = shadingDepth(shadingBand(lumaOf(background), targetSkin, w, h, faceSize), targetSkin, w, h, faceSize);
  // The new face's shading at the folds' scale brought down to the target's depth, its colour kept (each channel
  // scaled as the luma is).
  for (let p = 0; p < n; p++) {
    const weight = strength * along[p] * newSkin[p];
    if (!(weight > 0) || !(newDepth[p] > targetDepth[p]) || !(luma[p] > 1)) continue;
    const gain = Math.max(0, luma[p] - weight * (1 - targetDepth[p] / newDepth[p]) * newBand[p]) / luma[p];
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] *= gain;
  }
}

/** The shading of `luma` (w x h) at the folds' scale (FOLD_SCALE), over the pixels `weight` picks. */
function shadingBand(luma: Float32Array, weight: Float32Array, w: number, h: number, faceSize: number): Float32Array {
  const n = w * h;
  const weighted = floats(n);
  for (let p = 0; p < n; p++) weighted[p] = weight[p] * luma[p];
  const [fine, coarse] = FOLD_SCALE.map((scale) => meanOver(weighted, weight, w, h, faceSize * scale));
  for (let p = 0; p < n; p++) fine[p] = Number.isNaN(fine[p]) || Number.isNaN(coarse[p]) ? 0 : fine[p] - coarse[p];
  return fine;
}

/** How deep a shading `band` is about each pixel (its mean size over DEPTH_REACH, over the pixels `weight` picks). */
function shadingDepth(band: Float32Array, weight: Float32Array, w: number, h: number, faceSize: number): Float32Array {
  const n = w * h;
  const size = floats(n);
  for (let p = 0; p < n; p++) size[p] = weight[p] * Math.abs(band[p]);
  const depth = meanOver(size, weight, w, h, faceSize * DEPTH_REACH);
  for (let p = 0; p < n; p++) if (Number.isNaN(depth[p])) depth[p] = 0;
  return depth;
}

/** How near each pixel of `rect` lies to a fold's course on `geometry` (1 within FOLD_REACH's first distance, 0 past its second). */
export function foldsZone(rect: Rect, faceSize: number, geometry: Float32Array): Float32Array {
  const { width: w, height: h } = rect;
  const zone = floats(w * h);
  const [full, none] = [FOLD_REACH[0] * faceSize, FOLD_REACH[1] * faceSize];
  const at = (i: number) => [geometry[i * 3] - rect.x, geometry[i * 3 + 1] - rect.y];
  for (const fold of FOLDS) {
    for (let k = 0; k + 1 < fold.length; k++) {
      const [ax, ay] = at(fold[k]);
      const [bx, by] = at(fold[k + 1]);
      const dx = bx - ax, dy = by - ay;
      const length2 = Math.max(1e-6, dx * dx + dy * dy);
      // Only the segment's surroundings, as far as it reaches.
      const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - none)), x1 = Math.min(w - 1, Math.ceil(Math.max(ax, bx) + none));
      const y0 = Math.max(0, Math.floor(Math.min(ay, by) - none)), y1 = Math.min(h - 1, Math.ceil(Math.max(ay, by) + none));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / length2));
          const near = (1 - smoothstep(full, none, Math.hypot(x - ax - t * dx, y - ay - t * dy))) * (k === 0 ? smoothstep(0, NOSE_WING, t) : 1);
          const p = y * w + x;
          if (near > zone[p]) zone[p] = near;
        }
      }
    }
  }
  return zone;
}
