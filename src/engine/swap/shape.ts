import { fitSimilarity, applySimilarity } from '../face/rigid.ts';
import { IRIS_POINTS, MESH_POINTS, MOUTH_CORNERS } from '../face/landmarks.ts';
import { meshDistance } from '../face/measures.ts';
import { CHIN, EYE_POLYGON, EYE_RING, LIDS, LIPS_BETWEEN, LIPS_INNER, LIPS_OUTER, RIGID } from '../face/regions.ts';

/**
 * Identity lives in shape as well as skin. This builds the face geometry of a swap: the source's 3-D proportions
 * (eye spacing, nose, lips, jaw) re-posed with the target's head pose, with the target's expression (mouth
 * opening and smile, eyelids) put back on the source's features.
 */

export interface ShapeOptions {
  /** 0 keeps the target's proportions, 1 takes the source's. */
  strength: number;
}

const MOUTH = [...LIPS_OUTER, ...LIPS_INNER, ...LIPS_BETWEEN];
const LOWER_LIP = 17;
/**
 * The mouth is centred this far from its corners' middle towards its lips' middle (0..1): a smile lifts the corners
 * far more than the lips, but the lips' middle alone lowered the mouth of every smiling source, and their likeness to
 * the source with it (bench:quality: identity 0.612, 0.617 halfway, 0.615 at the corners).
 */
const LIPS_ANCHOR = 0.5;
/** The middle of the upper and the lower lip's inner edges. */
const UPPER_LIP_MIDDLE = 13;
const LOWER_LIP_MIDDLE = 14;
/** How far (relative to the mouth's width) the skin around the mouth follows the mouth's new shape, fading out. */
const MOUTH_REACH = 0.6;
/**
 * ...and the jaw beside the chin its shift, fading out (see swapGeometry). Twice as far, the jaw's sides came up with
 * the chin: img1's pointed chin on img3 went round (identity 0.617 -> 0.614 on the bench; 0.616 at this).
 */
const CHIN_REACH = 0.3;
const EYES = [
  { corners: [33, 133] as const, core: EYE_POLYGON.left, ring: EYE_RING.left, iris: IRIS_POINTS.left, lid: LIDS.left },
  { corners: [263, 362] as const, core: EYE_POLYGON.right, ring: EYE_RING.right, iris: IRIS_POINTS.right, lid: LIDS.right },
];
/**
 * The most the lid between the lashes and the ring's outer loop is stretched (see keepUpperLid). Kept at the source's
 * height (1), a source's open lid looked hooded on narrower eyes and lost likeness (bench, 52 pairs: img22 onto img26,
 * img29 and img34 0.03-0.05, one pair closer to its target); at 1.5 img12's lashes streaked img21's lid again.
 */
const MAX_LID_STRETCH = 1.25;
/** LIDS' first points: the eye's upper outline, corner to corner; then the brow's lower edge. */
const UPPER_OUTLINE_POINTS = 9;

/** Returns the swap's mesh (x, y, z per point, target image px) for a source face placed on a target face. */
export function swapGeometry(sourceMesh: Float32Array, targetMesh: Float32Array, { strength }: ShapeOptions): Float32Array {
  const aligned = applySimilarity(fitSimilarity(sourceMesh, targetMesh, RIGID), sourceMesh);
  const n = Math.min(sourceMesh.length, targetMesh.length);
  const result = new Float32Array(n);
  for (let i = 0; i < n; i++) result[i] = targetMesh[i] + strength * (aligned[i] - targetMesh[i]);

  // The mouth keeps the target's shape (opening, smile width) centred where the source's mouth sits, partly by the
  // middle of its lips, which a smile moves far less than the corners (centred between those, a neutral mouth put on
  // a broad smile's rose up under the nose: couple.jpg's man from img1).
  const lowerLipBefore = point(result, LOWER_LIP);
  const mouthFrom = mouthFrame(targetMesh);
  const mouthTo = { ...mouthFrame(result), scale: mouthFrom.scale * scaleOf(result, targetMesh) };
  const beforeMouth = result.slice();
  transplant(targetMesh, result, MOUTH, mouthFrom, mouthTo, 1);
  carryAround(beforeMouth, result, MOUTH, new Set<number>([...MOUTH, ...CHIN, ...RIGID]), MOUTH_REACH * mouthTo.scale);
  // The chin follows the lower lip where the target's mouth is open wider or less than the source's, and the jaw beside
  // it part of the way: moved alone, the chin left a step in the jaw line where its points meet the jaw's (img8 on
  // img18; a turn of 74 degrees and back, img1 on img34).
  const lowerLipAfter = point(result, LOWER_LIP);
  const beforeChin = result.slice();
  for (const i of CHIN) for (let k = 0; k < 3; k++) result[i * 3 + k] += 0.85 * (lowerLipAfter[k] - lowerLipBefore[k]);
  carryAround(beforeChin, result, CHIN, new Set<number>([...MOUTH, ...CHIN, ...RIGID]), CHIN_REACH * mouthTo.scale);

  // The eyes keep the target's lids (blinks, squints) on the source's eye size and position, and its gaze where both
  // meshes carry iris points: the new face's irises are placed there (gaze.ts).
  const withIris = n >= (MESH_POINTS + IRIS_POINTS.left.length + IRIS_POINTS.right.length) * 3;
  const sourceEyes = result.slice();
  for (const eye of EYES) {
    const from = frame(targetMesh, eye.corners[0], eye.corners[1]);
    const to = frame(result, eye.corners[0], eye.corners[1]);
    transplant(targetMesh, result, withIris ? [...eye.core, ...eye.iris] : eye.core, from, to, 1);
    transplant(targetMesh, result, eye.ring, from, to, 0.6);
    keepUpperLid(sourceEyes, result, eye);
  }
  return result;
}

/**
 * Each upper lid keeps the source's: its lashes and liner (up to the ring's first loop) keep their width from the eye's
 * new outline, and the lid up to the ring's outer loop stretches at most MAX_LID_STRETCH, so that where the new eye
 * opens less than the source's (a squint), the skin below the brow takes the rest, as on a lid. Stretched with the
 * eye's ring, long lashes turned a dark smeared band over the lid (img12 on img21: the lid twice the source's height).
 * Where the lid has less room to the brow than in the source, both loops close in with it, keeping their shares of
 * the way.
 */
function keepUpperLid(source: Float32Array, mesh: Float32Array, { core, ring, lid }: (typeof EYES)[number]): void {
  const loops = [ring.slice(0, core.length), ring.slice(core.length)];
  const brow = lid.slice(UPPER_OUTLINE_POINTS);
  const nearest = (from: number, among: readonly number[]) => among.reduce((a, b) => (meshDistance(source, from, a) <= meshDistance(source, from, b) ? a : b));
  for (const edge of lid.slice(0, UPPER_OUTLINE_POINTS)) {
    const above = nearest(edge, brow);
    const share = Math.min(1, meshDistance(mesh, edge, above) / Math.max(1e-6, meshDistance(source, edge, above)));
    const margin = loops[0][(core as readonly number[]).indexOf(edge)];
    const outerPoint = nearest(margin, loops[1]);
    const ringStretch = meshDistance(mesh, edge, outerPoint) / Math.max(1e-6, meshDistance(source, edge, outerPoint));
    const stretch = share < 1 ? share : Math.min(MAX_LID_STRETCH, Math.max(1, ringStretch));
    for (const [point, by] of [[margin, share], [outerPoint, stretch]]) {
      for (let c = 0; c < 3; c++) mesh[point * 3 + c] = mesh[edge * 3 + c] + by * (source[point * 3 + c] - source[edge * 3 + c]);
    }
  }
}

/**
 * The skin around `moved` points follows them, fading out with distance (0 at `reach`), so no triangle between the
 * moved points and their still neighbours is stretched into streaks. Each point takes the inverse-distance-weighted
 * mean of the moved points' shifts. `before` is the mesh before they moved, `mesh` after; `fixed` points stay.
 */
function carryAround(before: Float32Array, mesh: Float32Array, moved: readonly number[], fixed: Set<number>, reach: number): void {
  const points = mesh.length / 3;
  for (let j = 0; j < points; j++) {
    if (fixed.has(j)) continue;
    let nearest = Infinity;
    let total = 0;
    const shift = [0, 0, 0];
    for (const i of moved) {
      const d2 = (before[j * 3] - before[i * 3]) ** 2 + (before[j * 3 + 1] - before[i * 3 + 1]) ** 2;
      nearest = Math.min(nearest, d2);
      const w = 1 / (d2 + 1e-6);
      total += w;
      for (let k = 0; k < 3; k++) shift[k] += w * (mesh[i * 3 + k] - before[i * 3 + k]);
    }
    const t = Math.min(1, Math.sqrt(nearest) / reach);
    const weight = 1 - t * t * (3 - 2 * t);
    if (weight <= 0) continue;
    for (let k = 0; k < 3; k++) mesh[j * 3 + k] += (weight * shift[k]) / total;
  }
}

interface Frame {
  x: number;
  y: number;
  z: number;
  cos: number;
  sin: number;
  scale: number;
}

function point(mesh: Float32Array, i: number): [number, number, number] {
  return [mesh[i * 3], mesh[i * 3 + 1], mesh[i * 3 + 2]];
}

/** A 2-D frame on the segment a–b: origin at its middle, x along it, unit = its length. */
function frame(mesh: Float32Array, a: number, b: number): Frame {
  const [ax, ay, az] = point(mesh, a);
  const [bx, by, bz] = point(mesh, b);
  const scale = Math.hypot(bx - ax, by - ay) || 1;
  return { x: (ax + bx) / 2, y: (ay + by) / 2, z: (az + bz) / 2, cos: (bx - ax) / scale, sin: (by - ay) / scale, scale };
}

/** The mouth's frame: along the line through its corners, with its origin towards the middle of its lips (LIPS_ANCHOR). */
function mouthFrame(mesh: Float32Array): Frame {
  const corners = frame(mesh, MOUTH_CORNERS[0], MOUTH_CORNERS[1]);
  const [ux, uy, uz] = point(mesh, UPPER_LIP_MIDDLE);
  const [lx, ly, lz] = point(mesh, LOWER_LIP_MIDDLE);
  const toward = (corner: number, upper: number, lower: number) => corner + LIPS_ANCHOR * ((upper + lower) / 2 - corner);
  return { ...corners, x: toward(corners.x, ux, lx), y: toward(corners.y, uy, ly), z: toward(corners.z, uz, lz) };
}

/** How much larger `a` is than `b`, measured on the rigid points. */
function scaleOf(a: Float32Array, b: Float32Array): number {
  return fitSimilarity(b, a, RIGID).scale;
}

/** Moves `points` of `into` to where their shape in `shapeMesh` (seen in frame `from`) lands in frame `to`, by `weight`. */
function transplant(shapeMesh: Float32Array, into: Float32Array, points: readonly number[], from: Frame, to: Frame, weight: number): void {
  const k = to.scale / from.scale;
  for (const i of points) {
    const dx = shapeMesh[i * 3] - from.x;
    const dy = shapeMesh[i * 3 + 1] - from.y;
    const u = (dx * from.cos + dy * from.sin) * k;
    const v = (-dx * from.sin + dy * from.cos) * k;
    const x = to.x + u * to.cos - v * to.sin;
    const y = to.y + u * to.sin + v * to.cos;
    const z = to.z + (shapeMesh[i * 3 + 2] - from.z) * k;
    into[i * 3] += weight * (x - into[i * 3]);
    into[i * 3 + 1] += weight * (y - into[i * 3 + 1]);
    into[i * 3 + 2] += weight * (z - into[i * 3 + 2]);
  }
}
