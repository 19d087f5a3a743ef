/**
 * BlazeFace's output format: per input of W×H px (multiples of 32), anchors on a 16 px grid with 2 per cell, then
 * on a 32 px grid with 6 (896 at the model's native 256×256), each with a score logit, a box (centre offset from
 * the anchor, size) and 6 keypoints, in input pixels (vladmandic/human's decoding, src/face/blazeface.ts and
 * facemeshutil.ts). The converted model is fully convolutional, so one run covers an input of any such size.
 */
import type { BufferPool } from '../image/buffer-pool.ts';
import type { InferenceBackend, Tensor } from '../inference.ts';
import type { Raster } from '../image/raster.ts';
import { warpToTensor, type Affine, type Beyond } from './affine.ts';

/** The detector's model file stem. */
export const DETECTOR_MODEL = 'blazeface';
/** The detector's native input side in pixels: its anchor boxes and face sizes are trained for it. */
export const DETECTOR_SIZE = 256;
/** Input sides must be multiples of this (the product of the model's strides; see tools/tfjs-onnx dynamicSpatial). */
export const DETECTOR_STEP = 32;

/** Keypoints per detection: 2 eyes, nose tip, mouth, 2 ears. */
export const KEYPOINTS = 6;

/** Anchor grids: cell side in input px and anchors per cell, in the order of the model's outputs. */
const GRIDS = [
  [16, 2],
  [32, 6],
] as const;

/** Anchors per grid for a width × height input, 16 px grid first. */
function gridAnchors(width: number, height: number): number[] {
  return GRIDS.map(([cell, perCell]) => (width / cell) * (height / cell) * perCell);
}

/**
 * Anchor centres in input px for a width × height input, in the model's output order: the 16 px grid, then the
 * 32 px grid, each row by row (y, then x), then the anchors of a cell (the NHWC reshape of the conv outputs).
 */
export function blazeFaceAnchors(width: number, height: number): Float32Array {
  const a: number[] = [];
  for (const [cell, perCell] of GRIDS) {
    for (let gy = 0; gy < height / cell; gy++) {
      for (let gx = 0; gx < width / cell; gx++) {
        for (let k = 0; k < perCell; k++) a.push(cell * (gx + 0.5), cell * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(a);
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
 * Gathers BlazeFace's outputs for picture `item` of the batch into one [anchors × 17] table (score logit, box,
 * keypoints), whether the model returns it whole or split by anchor grid (scores and regressors per grid).
 */
export function blazeFaceTable(outputs: Record<string, Tensor>, width: number, height: number, item = 0): Float32Array {
  const grids = gridAnchors(width, height);
  const total = grids[0] + grids[1];
  const list = Object.values(outputs);
  const rows = (t: Tensor) => t.dims[t.dims.length - 2];
  const columns = (t: Tensor) => t.dims[t.dims.length - 1];
  const whole = list.find((t) => columns(t) === 17);
  if (whole) return whole.data.subarray(item * total * 17, (item + 1) * total * 17);
  // The grids' anchor counts never coincide (8 : 6 per 32 px cell), so rows tell the outputs apart.
  const find = (anchors: number, w: number) => {
    const t = list.find((o) => columns(o) === w && rows(o) === anchors);
    if (!t) throw new Error(`blazeface output ${anchors}×${w} missing`);
    return t.data.subarray(item * anchors * w, (item + 1) * anchors * w);
  };
  const table = new Float32Array(total * 17);
  let row = 0;
  for (const n of grids) {
    const scores = find(n, 1);
    const boxes = find(n, 16);
    for (let i = 0; i < n; i++, row++) {
      table[row * 17] = scores[i];
      table.set(boxes.subarray(i * 16, i * 16 + 16), row * 17 + 1);
    }
  }
  return table;
}

/** Decodes candidates scoring at least `minScore` (after the sigmoid) from the table of a width × height input. */
export function decodeBlazeFace(table: Float32Array, width: number, height: number, minScore: number): Candidate[] {
  const anchors = blazeFaceAnchors(width, height);
  const minLogit = Math.log(minScore / (1 - minScore));
  const out: Candidate[] = [];
  for (let i = 0; i < anchors.length / 2; i++) {
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

/** A region of a picture for the detector: `toInput` sends it onto a width × height input (multiples of 32). */
export interface DetectorWindow {
  image: Raster;
  toInput: Affine;
  width: number;
  height: number;
  /** What the input shows beyond the picture's edges; default black. */
  border?: Beyond;
}

/**
 * Windows per detector run. Batches of 2 to 8 cost about 15 % less per window than single runs in
 * onnxruntime-web (WASM, 2 threads); larger ones lose it again and grow the runtime's memory.
 */
const BATCH = 4;

/**
 * Runs the detector on each window (values in [-1, 1], black outside the picture), neighbours of the same size
 * {@link BATCH} at a time, and returns the table of each ({@link blazeFaceTable}). Inputs are written into buffers from
 * `buffers` where given (the runtime copies them in, so each goes back once its run is over).
 */
export async function runBlazeFace(backend: InferenceBackend, windows: readonly DetectorWindow[], buffers?: BufferPool<ArrayBuffer>): Promise<Float32Array[]> {
  const tables: Float32Array[] = [];
  for (let start = 0; start < windows.length; ) {
    const { width, height } = windows[start];
    let end = start + 1;
    while (end < windows.length && end - start < BATCH && windows[end].width === width && windows[end].height === height) end++;
    const pixels = width * height * 3;
    const buffer = buffers?.take((end - start) * pixels * 4);
    const data = buffer ? new Float32Array(buffer) : new Float32Array((end - start) * pixels);
    for (let i = start; i < end; i++) {
      const out = data.subarray((i - start) * pixels, (i - start + 1) * pixels);
      warpToTensor(windows[i].image, windows[i].toInput, width, height, { range: [-1, 1], out, samples: 1, border: windows[i].border });
    }
    const outputs = await backend.run(DETECTOR_MODEL, { data, dims: [end - start, height, width, 3] }).finally(() => buffer && buffers!.give(buffer));
    for (let i = start; i < end; i++) tables.push(blazeFaceTable(outputs, width, height, i - start));
    start = end;
  }
  return tables;
}
