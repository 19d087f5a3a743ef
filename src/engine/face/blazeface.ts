/**
 * BlazeFace's output format: 896 anchors (a 16 px grid with 2 per cell, then a 32 px grid with 6), each with a
 * score logit, a box (centre offset from the anchor, size) and 6 keypoints, in 256×256 input pixels
 * (vladmandic/human's decoding, src/face/blazeface.ts and facemeshutil.ts).
 */
import type { InferenceBackend, Tensor } from '../inference.ts';
import type { Raster } from '../image/raster.ts';
import { warpToTensor, type Affine } from './affine.ts';

/** The detector's model file stem. */
export const DETECTOR_MODEL = 'blazeface';
/** The detector's input side in pixels. */
export const DETECTOR_SIZE = 256;

/** Keypoints per detection: 2 eyes, nose tip, mouth, 2 ears. */
export const KEYPOINTS = 6;

let anchorCache: Float32Array | null = null;

/** BlazeFace's 896 anchor centres in input px: a 16 px grid with 2 per cell, then a 32 px grid with 6. */
export function blazeFaceAnchors(): Float32Array {
  if (anchorCache) return anchorCache;
  const a: number[] = [];
  for (const [stride, perCell] of [[16, 2], [32, 6]] as const) {
    const cells = DETECTOR_SIZE / stride;
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let k = 0; k < perCell; k++) a.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  anchorCache = Float32Array.from(a);
  return anchorCache;
}

/** A raw detection in model-input px: centre, size, 6 keypoints (flat x, y), score. */
export interface Candidate {
  cx: number;
  cy: number;
  w: number;
  h: number;
  kp: Float32Array;
  score: number;
}

/**
 * Gathers BlazeFace's outputs into one [896 × 17] table (score logit, box, keypoints), whether the model
 * returns it whole or split by anchor grid (scores and regressors for 512 and 384 anchors).
 */
export function blazeFaceTable(outputs: Record<string, Tensor>): Float32Array {
  const list = Object.values(outputs);
  const whole = list.find((t) => t.dims[t.dims.length - 1] === 17);
  if (whole) return whole.data;
  const find = (anchors: number, width: number) => {
    const t = list.find((o) => o.dims[o.dims.length - 1] === width && o.data.length === anchors * width);
    if (!t) throw new Error(`blazeface output ${anchors}×${width} missing`);
    return t.data;
  };
  const table = new Float32Array(896 * 17);
  let row = 0;
  for (const n of [512, 384]) {
    const scores = find(n, 1);
    const boxes = find(n, 16);
    for (let i = 0; i < n; i++, row++) {
      table[row * 17] = scores[i];
      table.set(boxes.subarray(i * 16, i * 16 + 16), row * 17 + 1);
    }
  }
  return table;
}

/** Decodes candidates scoring at least `minScore` (after the sigmoid) from the [896 × 17] table. */
export function decodeBlazeFace(table: Float32Array, minScore: number): Candidate[] {
  const anchors = blazeFaceAnchors();
  const minLogit = Math.log(minScore / (1 - minScore));
  const out: Candidate[] = [];
  for (let i = 0; i < 896; i++) {
    const r = i * 17;
    const logit = table[r];
    if (logit < minLogit) continue;
    const ax = anchors[2 * i];
    const ay = anchors[2 * i + 1];
    const kp = new Float32Array(KEYPOINTS * 2);
    for (let k = 0; k < KEYPOINTS; k++) {
      kp[2 * k] = ax + table[r + 5 + 2 * k];
      kp[2 * k + 1] = ay + table[r + 6 + 2 * k];
    }
    out.push({ cx: ax + table[r + 1], cy: ay + table[r + 2], w: table[r + 3], h: table[r + 4], kp, score: 1 / (1 + Math.exp(-logit)) });
  }
  return out;
}

/**
 * Runs the detector on the region of `image` that `toInput` sends onto its 256×256 input (values in [-1, 1],
 * black outside the picture) and returns the [896 × 17] table. `input` is scratch space that may be reused.
 */
export async function runBlazeFace(
  backend: InferenceBackend,
  image: Raster,
  toInput: Affine,
  input: Float32Array = new Float32Array(DETECTOR_SIZE * DETECTOR_SIZE * 3),
): Promise<Float32Array> {
  warpToTensor(image, toInput, DETECTOR_SIZE, DETECTOR_SIZE, { range: [-1, 1], out: input, samples: 1 });
  const outputs = await backend.run(DETECTOR_MODEL, { data: input, dims: [1, DETECTOR_SIZE, DETECTOR_SIZE, 3] });
  return blazeFaceTable(outputs);
}
