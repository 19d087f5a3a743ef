/**
 * The 468-point face mesh (MediaPipe FaceMesh, 192×192 input) in image coordinates.
 *
 * The crop is a square around the face turned so that the eye line is level (a similarity map from the full
 * image, bilinear, from the pyramid halving that fits), and the model's points are mapped back through the
 * inverse of that map. A second pass re-crops from the first pass's mesh, which centres and levels the face
 * better than the detector's box and keypoints can.
 */
import type { InferenceBackend } from '../inference.ts';
import { affineScale, angleBetween, applyAffine, cropAffine, invertAffine, warpToTensor, type Beyond } from './affine.ts';
import type { Detection } from './detect.ts';
import { EYE_OUTLINE, MESH_POINTS } from './landmarks.ts';
import { pickLevel, type Pyramid } from './pyramid.ts';

/** The mesh model's file stem. */
export const MESH_MODEL = 'facemesh';
/** The mesh model's input side in pixels. */
export const MESH_SIZE = 192;

/** A square region of the image turned by `angle` radians (clockwise on screen): what the mesh model sees. */
export interface FaceRegion {
  cx: number;
  cy: number;
  size: number;
  angle: number;
}

/** A mesh in image px with the model's confidence that the crop holds a face. */
export interface MeshResult {
  /** 468 points × (x, y, z), image px; z is depth relative to the face centre, in the same scale as x and y. */
  mesh: Float32Array;
  /** The model's face flag (sigmoid), 0…1. */
  faceScore: number;
  /** The region the mesh was computed from. */
  region: FaceRegion;
}

/** Crop side relative to the detector's box (vladmandic/human's recipe: enlarge ×1.4, squarify). */
export const DETECTION_SCALE = 1.4;

/** Crop side relative to the mesh's extent in its own frame; measured from first passes at ×1.4 boxes. */
export const MESH_SCALE = 1.33;

/** The region for a first mesh pass from a detection. */
export function regionFromDetection(d: Detection): FaceRegion {
  return {
    cx: d.box.x + d.box.width / 2,
    cy: d.box.y + d.box.height / 2,
    size: Math.max(d.box.width, d.box.height) * DETECTION_SCALE,
    angle: d.angle,
  };
}

/** The roll of a mesh: the angle of the line from the image-left to the image-right eye centre. */
export function meshRoll(mesh: Float32Array): number {
  let lx = 0, ly = 0, rx = 0, ry = 0;
  for (const i of EYE_OUTLINE.left) { lx += mesh[i * 3]; ly += mesh[i * 3 + 1]; }
  for (const i of EYE_OUTLINE.right) { rx += mesh[i * 3]; ry += mesh[i * 3 + 1]; }
  return Math.atan2(ry - ly, rx - lx);
}

/** Mesh points matching the detector's eye, nose and mouth keypoints: image-left eye, image-right eye, nose, mouth. */
const DETECTOR_POINTS: readonly (readonly number[])[] = [EYE_OUTLINE.left, EYE_OUTLINE.right, [1], [13, 14]];

/**
 * How far the detector's eye, nose and mouth keypoints lie from the same points of the mesh, on average, in
 * units of the mesh's eye distance. Real faces measure under 0.1; face-like texture (lettering, a forehead seen
 * as a face) usually far more, because the mesh model draws a face wherever it is asked to.
 */
export function detectorDisagreement(d: Detection, mesh: Float32Array): number {
  const centre = (idx: readonly number[]) => {
    let x = 0, y = 0;
    for (const i of idx) { x += mesh[i * 3]; y += mesh[i * 3 + 1]; }
    return [x / idx.length, y / idx.length];
  };
  const pts = DETECTOR_POINTS.map(centre);
  let sum = 0;
  pts.forEach(([x, y], k) => (sum += Math.hypot(x - d.keypoints[2 * k], y - d.keypoints[2 * k + 1])));
  const eyes = Math.hypot(pts[1][0] - pts[0][0], pts[1][1] - pts[0][1]);
  return sum / pts.length / Math.max(eyes, 1e-6);
}

/** The region for a refining pass: the mesh's extent measured in its own level frame. */
export function regionFromMesh(mesh: Float32Array): FaceRegion {
  const angle = meshRoll(mesh);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  let minU = Infinity, maxU = -Infinity, minV = Infinity, maxV = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = mesh[i * 3];
    const y = mesh[i * 3 + 1];
    const u = x * cos + y * sin;
    const v = -x * sin + y * cos;
    if (u < minU) minU = u;
    if (u > maxU) maxU = u;
    if (v < minV) minV = v;
    if (v > maxV) maxV = v;
  }
  const cu = (minU + maxU) / 2;
  const cv = (minV + maxV) / 2;
  return { cx: cu * cos - cv * sin, cy: cu * sin + cv * cos, size: Math.max(maxU - minU, maxV - minV) * MESH_SCALE, angle };
}

/** The [192 × 192 × 3] model input, values in [0, 1], for a region. */
export function meshInput(pyramid: Pyramid, region: FaceRegion, beyond: Beyond = 'zero'): Float32Array {
  const toCrop = cropAffine(region.cx, region.cy, region.size, region.angle, MESH_SIZE);
  const level = pickLevel(pyramid, toCrop, affineScale(toCrop));
  return warpToTensor(level.image, level.toOutput, MESH_SIZE, MESH_SIZE, { range: [0, 1], border: beyond });
}

/** Runs the mesh model on one region and maps its points back to the image. */
export async function estimateMesh(backend: InferenceBackend, pyramid: Pyramid, region: FaceRegion, beyond: Beyond = 'zero'): Promise<MeshResult> {
  const input = meshInput(pyramid, region, beyond);
  const outputs = Object.values(await backend.run(MESH_MODEL, { data: input, dims: [1, MESH_SIZE, MESH_SIZE, 3] }));
  const points = outputs.find((t) => t.data.length === MESH_POINTS * 3);
  const flag = outputs.find((t) => t.data.length === 1);
  if (!points || !flag) throw new Error('facemesh outputs missing');
  const toCrop = cropAffine(region.cx, region.cy, region.size, region.angle, MESH_SIZE);
  const back = invertAffine(toCrop);
  const zScale = 1 / affineScale(toCrop);
  const mesh = new Float32Array(MESH_POINTS * 3);
  for (let i = 0; i < MESH_POINTS; i++) {
    const [x, y] = applyAffine(back, points.data[i * 3], points.data[i * 3 + 1]);
    mesh[i * 3] = x;
    mesh[i * 3 + 1] = y;
    mesh[i * 3 + 2] = points.data[i * 3 + 2] * zScale;
  }
  return { mesh, faceScore: flag.data[0], region };
}

/**
 * A mesh whose face turns further than this (radians) from the crop it was found in is found again, in a crop turned
 * as it is: the model fits a face turned far in its crop badly (on img20 turned on its side, the detector's eye line
 * is 32 degrees off, and the swap put the new face's mouth at the nose). Over the test photos' faces the first mesh
 * turns 0.7 degrees from its crop (the median), 4 at the 95th percentile.
 */
const LEVEL_TOLERANCE = (5 * Math.PI) / 180;
/** At most this many passes after the first: each turns the crop about 10 degrees (58, 68, 78, 88 for a face at 90). */
const LEVELLING_PASSES = 4;

/** A mesh from a better crop (wider, or re-cropped from the last mesh) is taken unless its face flag is this much lower. */
const FLAG_DROP = 0.05;

/**
 * A face that the picture's edge cuts is larger than the detector's box (which boxes what shows of it): its first
 * crop is also tried this much wider, and that mesh kept unless the model is clearly less sure of it (FLAG_DROP).
 * Squeezed into a crop too tight, the mesh drew selfie-many-people.jpg's bottom-right man (cut by two edges) from his
 * brows to his upper lip, his chin and open mouth below it, and the swap put a new face there.
 */
const CUT_FACE_CROP = 1.3;

/** Whether a crop reaches past the edge of a `width` x `height` picture (its square as if unturned: near enough here). */
function cutByEdge({ cx, cy, size }: FaceRegion, width: number, height: number): boolean {
  const half = size / 2;
  return cx - half < 0 || cy - half < 0 || cx + half > width || cy + half > height;
}

/**
 * The mesh for a detection: a first pass from the detector's box and eye line (a wider one too where that reaches
 * past the picture's edge, see CUT_FACE_CROP), then `refinements` passes (default 1) from the previous mesh; when the
 * first turns far from its crop, up to {@link LEVELLING_PASSES} of those, while the face still does. Stops early when a
 * pass's face flag drops more than FLAG_DROP below the previous one's, or when the first is below `minFaceScore` (the
 * caller will drop the face anyway). `beyond`: what every crop shows past the picture's edges.
 */
export async function meshForDetection(
  backend: InferenceBackend,
  pyramid: Pyramid,
  detection: Detection,
  refinements = 1,
  minFaceScore = 0,
  beyond: Beyond = 'zero',
): Promise<MeshResult> {
  let best = await estimateMesh(backend, pyramid, regionFromDetection(detection), beyond);
  const [{ width, height }] = pyramid.levels;
  if (cutByEdge(best.region, width, height)) {
    const wider = await estimateMesh(backend, pyramid, { ...best.region, size: best.region.size * CUT_FACE_CROP }, beyond);
    if (wider.faceScore > best.faceScore - FLAG_DROP) best = wider;
  }
  if (best.faceScore < minFaceScore) return best;
  const turned = (m: MeshResult) => Math.abs(angleBetween(meshRoll(m.mesh), m.region.angle)) > LEVEL_TOLERANCE;
  const passes = turned(best) ? Math.max(refinements, LEVELLING_PASSES) : refinements;
  for (let i = 0; i < passes; i++) {
    // Past the refinements asked for, only while the face still turns from its crop.
    if (i >= refinements && !turned(best)) break;
    const next = await estimateMesh(backend, pyramid, regionFromMesh(best.mesh), beyond);
    if (next.faceScore < best.faceScore - FLAG_DROP) break;
    best = next;
  }
  return best;
}
