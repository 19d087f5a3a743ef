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
const dist = (mesh: Float32Array, a: number, b: number) => Math.hypot(mesh[a * 3] - mesh[b * 3], mesh[a * 3 + 1] - mesh[b * 3 + 1]);

/** Expression ratios of a mesh, measured in the frame of its eye line so that head roll does not count. */
export function expressionOf(mesh: Float32Array): Expression {
  const [lx, ly] = at(mesh, 33);
  const [rx, ry] = at(mesh, 263);
  const angle = Math.atan2(ry - ly, rx - lx);
  const up = (i: number) => -(-Math.sin(angle) * mesh[i * 3] + Math.cos(angle) * mesh[i * 3 + 1]);
  const width = dist(mesh, 61, 291);
  return {
    mouthOpen: dist(mesh, 13, 14) / width,
    eyeOpen: (dist(mesh, 159, 145) / dist(mesh, 33, 133) + dist(mesh, 386, 374) / dist(mesh, 263, 362)) / 2,
    smile: ((up(61) + up(291)) / 2 - (up(13) + up(14)) / 2) / width,
  };
}

/** The angle in degrees of the head rotation between two meshes, fitted on the expression-free points. */
export function poseDifferenceDegrees(a: Float32Array, b: Float32Array): number {
  const r = fitSimilarity(a, b, RIGID).rotation;
  const cos = (r[0] + r[4] + r[8] - 1) / 2;
  return (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
}
