import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { facesDir } from '../../test/faces.ts';
import { convertModels, DEFAULT_OUT_DIR, sourceModelPath, type Manifest } from '../convert-models.ts';
import { loadTfjsModel, maxAbsDiff, readRgb, valueRange, type Crop } from './test-support.ts';

// The shipped ONNX models must reproduce TF.js (CPU backend) on real faces: for every output,
// max |onnx - tfjs| <= RELATIVE_TOLERANCE * max(1, max - min of the TF.js output).
// Measured errors are ~1e-6 of the range (float32 summation order); a layout or padding mistake is O(range).
const RELATIVE_TOLERANCE = 1e-4;

interface Case {
  model: string;
  size: number;
  /** Maps a 0..255 channel value to what the model expects. */
  scale: (v: number) => number;
  /** Photos, with a hand-picked crop (face or eye) where the model takes one. */
  photos: { file: string; crop?: Crop }[];
}

const faceCrops = [
  { file: 'img25.jpg', crop: { left: 90, top: 50, width: 240, height: 240 } },
  { file: 'img1.jpg', crop: { left: 260, top: 160, width: 880, height: 880 } },
  { file: 'img20.jpg', crop: { left: 214, top: 68, width: 450, height: 450 } },
];

const CASES: Case[] = [
  // Whole photos, squashed to the detector's square input, values in [-1, 1].
  { model: 'blazeface', size: 256, scale: (v) => v / 127.5 - 1, photos: [{ file: 'img25.jpg' }, { file: 'couple.jpg' }] },
  { model: 'facemesh', size: 192, scale: (v) => v / 255, photos: faceCrops.slice(0, 2) },
  {
    model: 'iris',
    size: 64,
    scale: (v) => v / 255,
    photos: [
      { file: 'img25.jpg', crop: { left: 135, top: 120, width: 64, height: 64 } },
      { file: 'img1.jpg', crop: { left: 480, top: 425, width: 200, height: 200 } },
    ],
  },
  // Human feeds faceres 0..255.
  { model: 'faceres', size: 224, scale: (v) => v, photos: [faceCrops[1]] },
];

let manifest: Manifest;

beforeAll(() => {
  manifest = convertModels().manifest;
});

describe.each(CASES)('$model: ONNX matches TF.js', ({ model, size, scale, photos }) => {
  let session: ort.InferenceSession;
  let reference: tf.GraphModel;

  beforeAll(async () => {
    session = await ort.InferenceSession.create(readFileSync(join(DEFAULT_OUT_DIR, `${model}.onnx`)));
    reference = await loadTfjsModel(sourceModelPath(model));
  }, 60_000);

  it.each(photos)('on $file', async ({ file, crop }) => {
    const entry = manifest.models.find((m) => m.name === model);
    if (!entry) throw new Error(`${model} is not in the manifest`);
    const pixels = await readRgb(join(facesDir, file), size, scale, crop);
    const dims = [1, size, size, 3];

    const onnx = await session.run({ [entry.inputs[0].name]: new ort.Tensor('float32', pixels, dims) });
    const input = tf.tensor4d(pixels, [1, size, size, 3]);
    const tensors = [reference.execute(input, entry.outputs.map((o) => o.tensor))].flat();
    const expected = tensors.map((t) => ({ shape: t.shape, data: t.dataSync() }));
    tf.dispose([input, ...tensors]);

    entry.outputs.forEach((output, i) => {
      const actual = onnx[output.name];
      expect(actual.dims).toEqual(expected[i].shape);
      const { min, max } = valueRange(expected[i].data);
      const error = maxAbsDiff(actual.data as Float32Array, expected[i].data);
      const tolerance = RELATIVE_TOLERANCE * Math.max(1, max - min);
      console.log(
        `${model} ${file} ${output.name} [${actual.dims}]: max abs error ${error.toExponential(2)}` +
          ` (tolerance ${tolerance.toExponential(2)}, TF.js range ${min.toFixed(3)}..${max.toFixed(3)})`,
      );
      expect(error).toBeLessThanOrEqual(tolerance);
    });
  }, 60_000);
});
