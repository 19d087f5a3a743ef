/**
 * Iris points from MediaPipe Iris (64×64 input): per eye, a square crop around the eye corners (×2.3,
 * vladmandic/human's recipe) levelled on the eye line; the model sees one kind of eye, so the image-right eye
 * is mirrored in and out.
 */
import type { InferenceBackend } from '../inference.ts';
import { affineScale, applyAffine, composeAffine, cropAffine, invertAffine, warpToTensor, type Affine } from './affine.ts';
import { EYE_CORNERS, EYE_OUTLINE } from './landmarks.ts';
import { pickLevel, type Pyramid } from './pyramid.ts';

/** The iris model's file stem. */
export const IRIS_MODEL = 'iris';
/** The iris model's input side in pixels. */
export const IRIS_SIZE = 64;

/** Eye crop side relative to the corner-to-corner distance. */
export const EYE_SCALE = 2.3;

/** Which eye (as seen in the picture) the model is fed unmirrored. */
const MIRRORED = { left: false, right: true } as const;

/** Index of the iris centre among the model's 76 output points (then 4 rim points). */
const IRIS_FIRST = 71;
const OUTPUT_POINTS = 76;

/** The map from image px to one eye's model input (mirrored for the image-right eye). */
export function eyeAffine(mesh: Float32Array, side: 'left' | 'right', mirror: boolean = MIRRORED[side]): Affine {
  const [a, b] = EYE_CORNERS[side];
  const ax = mesh[a * 3], ay = mesh[a * 3 + 1], bx = mesh[b * 3], by = mesh[b * 3 + 1];
  // Level the crop on the eye line, always measured image-left to image-right.
  const angle = side === 'left' ? Math.atan2(by - ay, bx - ax) : Math.atan2(ay - by, ax - bx);
  const size = Math.hypot(bx - ax, by - ay) * EYE_SCALE;
  const crop = cropAffine((ax + bx) / 2, (ay + by) / 2, size, angle, IRIS_SIZE);
  return mirror ? composeAffine([-1, 0, IRIS_SIZE, 0, 1, 0], crop) : crop;
}

/**
 * The 5 iris points (centre, then 4 on the rim) of both eyes in image px, as 10 × (x, y, z):
 * image-left eye first. z is the mean depth of that eye's outline in the mesh.
 */
export async function estimateIris(backend: InferenceBackend, pyramid: Pyramid, mesh: Float32Array): Promise<Float32Array> {
  const out = new Float32Array(10 * 3);
  let o = 0;
  for (const side of ['left', 'right'] as const) {
    const toInput = eyeAffine(mesh, side);
    const level = pickLevel(pyramid, toInput, affineScale(toInput));
    const data = warpToTensor(level.image, level.toOutput, IRIS_SIZE, IRIS_SIZE, { range: [0, 1] });
    const result = Object.values(await backend.run(IRIS_MODEL, { data, dims: [1, IRIS_SIZE, IRIS_SIZE, 3] }));
    const points = result.find((t) => t.data.length === OUTPUT_POINTS * 3);
    if (!points) throw new Error('iris output missing');
    const back = invertAffine(toInput);
    let z = 0;
    for (const i of EYE_OUTLINE[side]) z += mesh[i * 3 + 2];
    z /= EYE_OUTLINE[side].length;
    for (let k = 0; k < 5; k++) {
      const p = (IRIS_FIRST + k) * 3;
      const [x, y] = applyAffine(back, points.data[p], points.data[p + 1]);
      out[o++] = x;
      out[o++] = y;
      out[o++] = z;
    }
  }
  return out;
}
