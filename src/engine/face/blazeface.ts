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
 * Gathers BlazeFace's outputs for picture `item` of the batch into one [896 × 17] table (score logit, box,
 * keypoints), whether the model returns it whole or split by anchor grid (scores and regressors for 512 and
 * 384 anchors).
 */
export function blazeFaceTable(outputs: Record<string, Tensor>, item = 0): Float32Array {
  const list = Object.values(outputs);
  const rows = (t: Tensor) => t.dims[t.dims.length - 2];
  const width = (t: Tensor) => t.dims[t.dims.length - 1];
  const whole = list.find((t) => width(t) === 17);
  if (whole) return whole.data.subarray(item * 896 * 17, (item + 1) * 896 * 17);
  const find = (anchors: number, w: number) => {
    const t = list.find((o) => width(o) === w && rows(o) === anchors);
    if (!t) throw new Error(`blazeface output ${anchors}×${w} missing`);
    return t.data.subarray(item * anchors * w, (item + 1) * anchors * w);
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

/** A region of a picture for the detector: `toInput` sends it onto the 256×256 input. */
export interface DetectorWindow {
  image: Raster;
  toInput: Affine;
}

/**
 * Windows per detector run. Batches of 2 to 8 cost about 15 % less per window than single runs in
 * onnxruntime-web (WASM, 2 threads); larger ones lose it again and grow the runtime's memory.
 */
const BATCH = 4;

/**
 * Runs the detector on each window (values in [-1, 1], black outside the picture), {@link BATCH} at a time,
 * and returns an [896 × 17] table per window.
 */
export async function runBlazeFace(backend: InferenceBackend, windows: readonly DetectorWindow[]): Promise<Float32Array[]> {
  const pixels = DETECTOR_SIZE * DETECTOR_SIZE * 3;
  const input = new Float32Array(Math.min(windows.length, BATCH) * pixels);
  const tables: Float32Array[] = [];
  for (let start = 0; start < windows.length; start += BATCH) {
    const batch = windows.slice(start, start + BATCH);
    batch.forEach(({ image, toInput }, i) => {
      warpToTensor(image, toInput, DETECTOR_SIZE, DETECTOR_SIZE, { range: [-1, 1], out: input.subarray(i * pixels, (i + 1) * pixels), samples: 1 });
    });
    const data = input.subarray(0, batch.length * pixels);
    const outputs = await backend.run(DETECTOR_MODEL, { data, dims: [batch.length, DETECTOR_SIZE, DETECTOR_SIZE, 3] });
    batch.forEach((_, i) => tables.push(blazeFaceTable(outputs, i)));
  }
  return tables;
}
