import { TRIANGULATION } from '../face/landmarks.ts';
import { EYE_POLYGON, FACE_OVAL, LIPS_INNER } from '../face/regions.ts';
import { MIRROR_POINT } from '../face/symmetry.ts';
import type { Raster } from '../image/raster.ts';
import { compositeInto, multiBandBlend } from './blend.ts';
import { matchColourStats, transferShading } from './colour.ts';
import { featherMask, gaussianBlur, rasterizePolygon } from './mask.ts';
import { readRgb } from './patch.ts';
import { boundingRect, unionRect, type Rect } from './region.ts';
import { swapGeometry } from './shape.ts';
import { warpTriangles, type WarpResult } from './warp.ts';

/** How one face is swapped. */
export interface FaceSwapOptions {
  /** How far the source's face proportions replace the target's (0..1). */
  shapeStrength: number;
  /** Keep the target's eyes (its gaze) rather than the source's. */
  keepTargetEyes: boolean;
}

export const DEFAULT_FACE_SWAP: FaceSwapOptions = { shapeStrength: 1, keepTargetEyes: false };

/** A triangle seen this much smaller than its mirror image in the source is taken from the mirror side. */
const MIRROR_WHEN_SMALLER = 0.35;

/** How far beyond the face outline the surroundings bend to the new face shape, relative to the face's radius. */
const SURROUNDINGS_REACH = 1.4;

/**
 * Puts the source face (its pixels and proportions) on one target face of `canvas`, in place.
 * Meshes are 468 (or more) x,y,z points in their own picture's pixels. Returns the rectangle that may have changed:
 * every pixel outside it is left bit-identical.
 */
export function swapFace(canvas: Raster, targetMesh: Float32Array, source: Raster, sourceMesh: Float32Array, options: FaceSwapOptions = DEFAULT_FACE_SWAP): Rect {
  const geometry = swapGeometry(sourceMesh, targetMesh, { strength: options.shapeStrength });
  const reshaped = reshapeSurroundings(canvas, targetMesh, geometry);

  const faceRect = boundingRect(geometry, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: canvas.width, clipHeight: canvas.height });
  const faceSize = Math.max(faceRect.width, faceRect.height);
  const { width: w, height: h } = faceRect;

  const face = renderSourceFace(source, sourceMesh, geometry, faceRect);
  const mask = faceMask(geometry, faceRect, face.coverage, faceSize, options);

  const background = readRgb(canvas, faceRect);
  const core = new Float32Array(w * h);
  for (let p = 0; p < core.length; p++) core[p] = mask[p] > 0.5 ? 1 : 0;
  const coloured = matchColourStats(face.rgb, core, background, core);
  const lit = transferShading(coloured, background, core, w, h, { sigma: faceSize / 10 });
  // Multi-band rather than Poisson: a hair strand on the mask border smears into the cheek under Poisson.
  const blended = multiBandBlend(background, lit, mask, w, h);
  compositeInto(canvas, faceRect, blended, mask);
  return unionRect(reshaped, faceRect);
}

/**
 * Renders the source face's pixels onto the new geometry. Parts the source turns away from the camera (or shows
 * nearly edge-on) are taken from the mirrored side of the source face instead of being smeared.
 */
function renderSourceFace(source: Raster, sourceMesh: Float32Array, geometry: Float32Array, rect: Rect): WarpResult {
  const seen: number[] = [];
  const hidden: number[] = [];
  const hiddenMirror: number[] = [];
  const area = (a: number, b: number, c: number) =>
    (sourceMesh[b * 3] - sourceMesh[a * 3]) * (sourceMesh[c * 3 + 1] - sourceMesh[a * 3 + 1]) -
    (sourceMesh[c * 3] - sourceMesh[a * 3]) * (sourceMesh[b * 3 + 1] - sourceMesh[a * 3 + 1]);
  let orientation = 0;
  for (let t = 0; t < TRIANGULATION.length; t += 3) orientation += area(TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]);
  const front = Math.sign(orientation) || 1;
  for (let t = 0; t < TRIANGULATION.length; t += 3) {
    const [a, b, c] = [TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]];
    const [ma, mb, mc] = [MIRROR_POINT[a], MIRROR_POINT[b], MIRROR_POINT[c]];
    const own = front * area(a, b, c);
    // A mirrored triangle's winding is reversed, hence the minus sign.
    const mirrored = -front * area(ma, mb, mc);
    if (own >= MIRROR_WHEN_SMALLER * mirrored || own > 0 && mirrored <= 0) seen.push(a, b, c);
    else {
      hidden.push(a, b, c);
      hiddenMirror.push(ma, mb, mc);
    }
  }
  const face = warpTriangles(source, sourceMesh, geometry, seen, rect, { srcStride: 3, dstStride: 3, depthTest: true, cullSource: false });
  if (hidden.length > 0) {
    warpTriangles(source, sourceMesh, geometry, hidden, rect, {
      srcStride: 3, dstStride: 3, srcTriangles: hiddenMirror, cullSource: false, into: face, onlyUncovered: true,
    });
  }
  return face;
}

/** The blend weight of the new face: its outline eroded and feathered, the mouth opening (and eyes) left to the target. */
function faceMask(geometry: Float32Array, rect: Rect, coverage: Float32Array, faceSize: number, options: FaceSwapOptions): Float32Array {
  const { width: w, height: h } = rect;
  const outline = rasterizePolygon(geometry, rect, { stride: 3, indices: FACE_OVAL });
  for (let p = 0; p < outline.length; p++) outline[p] *= coverage[p];
  const mask = featherMask(outline, w, h, { erode: faceSize * 0.005, feather: faceSize * 0.05 });

  const holes = rasterizePolygon(geometry, rect, { stride: 3, indices: LIPS_INNER });
  if (options.keepTargetEyes) {
    for (const eye of [EYE_POLYGON.left, EYE_POLYGON.right]) {
      const e = rasterizePolygon(geometry, rect, { stride: 3, indices: eye });
      for (let p = 0; p < e.length; p++) holes[p] = Math.max(holes[p], e[p]);
    }
  }
  const soft = gaussianBlur(holes, w, h, Math.max(1, faceSize * 0.006));
  for (let p = 0; p < mask.length; p++) mask[p] *= 1 - Math.min(1, soft[p] * 1.5);
  return mask;
}

/**
 * Bends the target picture so that its face outline, features and mouth opening move to the new geometry, with the
 * bend fading to nothing at a ring around the face: no doubled jaw line, no tear. Piecewise affine over the mesh,
 * a band of triangles out to the ring, and a fan over the mouth opening (which the mesh leaves open).
 */
function reshapeSurroundings(canvas: Raster, from: Float32Array, to: Float32Array): Rect {
  const points = from.length / 3;
  const ovalCount = FACE_OVAL.length;
  const ringStart = points;
  const mouthCentre = points + ovalCount;
  const total = mouthCentre + 1;
  const src = new Float32Array(total * 2);
  const dst = new Float32Array(total * 2);
  for (let i = 0; i < points; i++) {
    src[i * 2] = from[i * 3];
    src[i * 2 + 1] = from[i * 3 + 1];
    dst[i * 2] = to[i * 3];
    dst[i * 2 + 1] = to[i * 3 + 1];
  }
  let cx = 0, cy = 0;
  for (const i of FACE_OVAL) {
    cx += from[i * 3] / ovalCount;
    cy += from[i * 3 + 1] / ovalCount;
  }
  FACE_OVAL.forEach((i, k) => {
    // The ring stays put: outside it nothing moves.
    const x = cx + (from[i * 3] - cx) * SURROUNDINGS_REACH;
    const y = cy + (from[i * 3 + 1] - cy) * SURROUNDINGS_REACH;
    src[(ringStart + k) * 2] = dst[(ringStart + k) * 2] = x;
    src[(ringStart + k) * 2 + 1] = dst[(ringStart + k) * 2 + 1] = y;
  });
  for (const [mesh, out] of [[from, src], [to, dst]] as const) {
    let mx = 0, my = 0;
    for (const i of LIPS_INNER) {
      mx += mesh[i * 3] / LIPS_INNER.length;
      my += mesh[i * 3 + 1] / LIPS_INNER.length;
    }
    out[mouthCentre * 2] = mx;
    out[mouthCentre * 2 + 1] = my;
  }
  const triangles: number[] = Array.from(TRIANGULATION);
  for (let k = 0; k < ovalCount; k++) {
    const a = FACE_OVAL[k], b = FACE_OVAL[(k + 1) % ovalCount];
    const ra = ringStart + k, rb = ringStart + ((k + 1) % ovalCount);
    triangles.push(a, b, ra, b, rb, ra);
  }
  for (let k = 0; k < LIPS_INNER.length; k++) triangles.push(LIPS_INNER[k], LIPS_INNER[(k + 1) % LIPS_INNER.length], mouthCentre);

  const rect = boundingRect(src.subarray(ringStart * 2, (ringStart + ovalCount) * 2), { pad: 2, clipWidth: canvas.width, clipHeight: canvas.height });
  const bent = warpTriangles(canvas, src, dst, triangles, rect, { cullSource: false, cullDest: false });
  compositeInto(canvas, rect, bent.rgb, bent.coverage);
  return rect;
}
