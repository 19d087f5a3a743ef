import { MOUTH_CORNERS } from './landmarks.ts';
import { RIGID } from './regions.ts';
import { fitSimilarity } from './rigid.ts';

/** Measures of a face mesh used to check that a swap keeps the target's pose and expression. */

export interface Expression {
  /** Lip gap over mouth width. */
  mouthOpen: number;
  /** Lid gap over eye width, both eyes averaged. */
  eyeOpen: number;
  /** Height of the mouth corners above the lip centre, over mouth width (positive when smiling). */
  smile: number;
}

const at = (mesh: Float32Array, i: number): [number, number] => [mesh[i * 3], mesh[i * 3 + 1]];
/** The distance in the picture between two points of a mesh (x, y, z per point). */
export const meshDistance = (mesh: Float32Array, a: number, b: number) => Math.hypot(mesh[a * 3] - mesh[b * 3], mesh[a * 3 + 1] - mesh[b * 3 + 1]);
const [MOUTH_LEFT, MOUTH_RIGHT] = MOUTH_CORNERS;
/** The inner midpoints of the upper and the lower lip. */
const [UPPER_LIP_MID, LOWER_LIP_MID] = [13, 14];

/** The mouth's width, corner to corner (at least 1 px, to divide by). */
export const mouthWidth = (mesh: Float32Array) => Math.max(1, meshDistance(mesh, MOUTH_LEFT, MOUTH_RIGHT));

/** How far a mesh's mouth is open (its openness): the gap between the lips' inner midpoints over the mouth's width. */
export function mouthOpening(mesh: Float32Array): number {
  return meshDistance(mesh, UPPER_LIP_MID, LOWER_LIP_MID) / mouthWidth(mesh);
}

/** Expression ratios of a mesh, measured in the frame of its eye line so that head roll does not count. */
export function expressionOf(mesh: Float32Array): Expression {
  const [lx, ly] = at(mesh, 33);
  const [rx, ry] = at(mesh, 263);
  const angle = Math.atan2(ry - ly, rx - lx);
  const up = (i: number) => -(-Math.sin(angle) * mesh[i * 3] + Math.cos(angle) * mesh[i * 3 + 1]);
  return {
    mouthOpen: mouthOpening(mesh),
    eyeOpen: (meshDistance(mesh, 159, 145) / meshDistance(mesh, 33, 133) + meshDistance(mesh, 386, 374) / meshDistance(mesh, 263, 362)) / 2,
    smile: ((up(MOUTH_LEFT) + up(MOUTH_RIGHT)) / 2 - (up(UPPER_LIP_MID) + up(LOWER_LIP_MID)) / 2) / mouthWidth(mesh),
  };
}

/** The angle in degrees of the head rotation between two meshes, fitted on the expression-free points. */
export function poseDifferenceDegrees(a: Float32Array, b: Float32Array): number {
  const r = fitSimilarity(a, b, RIGID).rotation;
  const cos = (r[0] + r[4] + r[8] - 1) / 2;
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}

/** The eyes' corners, each from the image-left corner to the image-right one (of an upright face). */
export const EYE_AXES = [[33, 133], [362, 263]] as const;

/**
 * Where one eye's iris centre sits in that eye (0: image-left, 1: image-right; `iris` holds 5 points an eye, image-left
 * eye first, centre first, as the iris stage gives them): from the middle of its corners, along the line from the
 * image-left corner to the image-right one (x) and across it (y, down), in eye widths.
 */
export function irisInEye(mesh: Float32Array, iris: ArrayLike<number>, eye: 0 | 1): [number, number] {
  const [ax, ay] = at(mesh, EYE_AXES[eye][0]);
  const [bx, by] = at(mesh, EYE_AXES[eye][1]);
  const width2 = (bx - ax) ** 2 + (by - ay) ** 2;
  const dx = iris[eye * 15] - (ax + bx) / 2, dy = iris[eye * 15 + 1] - (ay + by) / 2;
  return [(dx * (bx - ax) + dy * (by - ay)) / width2, (-dx * (by - ay) + dy * (bx - ax)) / width2];
}

/**
 * Where the eyes look: {@link irisInEye} of both eyes, averaged. A face looking at the camera reads about 0, 0
 * whatever its head's pose; looking to the picture's right, x grows.
 */
export function gazeOf(mesh: Float32Array, iris: ArrayLike<number>): [number, number] {
  const [l, r] = [irisInEye(mesh, iris, 0), irisInEye(mesh, iris, 1)];
  return [(l[0] + r[0]) / 2, (l[1] + r[1]) / 2];
}
