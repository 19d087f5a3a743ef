import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { facesDir } from '../../test/faces.ts';
import { convertModel, convertModels, DEFAULT_OUT_DIR, MODEL_NAMES, sourceModelPath, type Manifest } from '../convert-models.ts';
import { convertGraphModel } from './convert.ts';
import { axisWindow } from './geometry.ts';
import { decodeWeights, type TfModelJson, type TfNode } from './tfjs-model.ts';
import { loadSyntheticTfjs, loadTfjsModelAnySize, maxAbsDiff, syntheticModel, tfAttr, valueRange } from './test-support.ts';

const { onnx } = onnxProto;

function sourceWeightBytes(name: string): number {
  const jsonPath = sourceModelPath(name);
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TfModelJson;
  return json.weightsManifest.flatMap((g) => g.paths).reduce((sum, p) => sum + statSync(join(dirname(jsonPath), p)).size, 0);
}

describe('convert-models', () => {
  let manifest: Manifest;

  beforeAll(() => {
    manifest = convertModels().manifest;
  }, 60_000);

  it('ships every model, reports the total size, and keeps each file near its TF.js weight size', () => {
    expect(manifest.models.map((m) => m.name)).toEqual([...MODEL_NAMES]);
    for (const m of manifest.models) {
      const bytes = readFileSync(join(DEFAULT_OUT_DIR, m.file));
      expect(bytes.byteLength).toBe(m.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(m.sha256);
      // float16 weights stay float16: doubling them to float32 would blow far past 10%.
      expect(m.bytes).toBeLessThan(sourceWeightBytes(m.name) * 1.1);
      console.log(`${m.file.padEnd(20)} ${m.bytes.toLocaleString('en').padStart(10)} bytes (TF.js weights ${sourceWeightBytes(m.name).toLocaleString('en')})`);
    }
    const total = manifest.models.reduce((sum, m) => sum + m.bytes, 0);
    console.log(`total shipped ONNX: ${total.toLocaleString('en')} bytes (${(total / 1e6).toFixed(2)} MB)`);
    expect(total).toBeLessThanOrEqual(12_000_000); // the model budget
  });

  it('is deterministic: a fresh conversion reproduces the shipped bytes', () => {
    for (const name of MODEL_NAMES) {
      const first = convertModel(name);
      const second = convertModel(name);
      expect(Buffer.from(second.onnx).equals(Buffer.from(first.onnx))).toBe(true);
      expect(first.entry).toEqual(manifest.models.find((m) => m.name === name));
    }
  }, 60_000);

  it('gives every model a dynamic batch: blazeface answers a batch of two as it answers each alone', async () => {
    for (const m of manifest.models) expect(m.inputs[0].dims[0], m.name).toBe(-1);
    const session = await ort.InferenceSession.create(readFileSync(join(DEFAULT_OUT_DIR, 'blazeface.onnx')));
    const size = 256 * 256 * 3;
    const pair = Float32Array.from({ length: 2 * size }, (_, i) => Math.sin(i * (i < size ? 0.37 : 0.11)));
    const run = (data: Float32Array, n: number) => session.run({ input: new ort.Tensor('float32', data, [n, 256, 256, 3]) });
    const both = await run(pair, 2);
    const alone = [await run(pair.slice(0, size), 1), await run(pair.slice(size), 1)];
    for (const [name, t] of Object.entries(both)) {
      const each = t.data.length / 2;
      for (const k of [0, 1]) expect(maxAbsDiff((t.data as Float32Array).subarray(k * each, (k + 1) * each), alone[k][name].data as Float32Array)).toBe(0);
    }
  });

  it('gives blazeface a dynamic height and width: anchors follow the input, outputs match TF.js at that size', async () => {
    const entry = manifest.models.find((m) => m.name === 'blazeface')!;
    expect(entry.inputs[0].dims).toEqual([-1, -1, -1, 3]);
    const session = await ort.InferenceSession.create(readFileSync(join(DEFAULT_OUT_DIR, 'blazeface.onnx')));
    const reference = await loadTfjsModelAnySize(sourceModelPath('blazeface'));
    for (const [width, height] of [[512, 288], [256, 256]]) {
      const rgb = await sharp(join(facesDir, 'couple.jpg')).resize(width, height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
      const pixels = Float32Array.from(rgb, (v) => v / 127.5 - 1);
      const dims = [1, height, width, 3];
      const onnx = await session.run({ [entry.inputs[0].name]: new ort.Tensor('float32', pixels, dims) });
      const input = tf.tensor4d(pixels, dims as [number, number, number, number]);
      const tensors = [reference.execute(input, entry.outputs.map((o) => o.tensor))].flat();
      // 2 anchors per cell of the 16 px grid, 6 per cell of the 32 px grid: 2016 at 512×288, 896 at 256×256.
      const grids = [2 * (width / 16) * (height / 16), 6 * (width / 32) * (height / 32)];
      const rows = entry.outputs.map((o) => onnx[o.name].dims[1]);
      expect(new Set(rows)).toEqual(new Set(grids));
      expect(grids[0] + grids[1]).toBe(width === 512 ? 2016 : 896);
      entry.outputs.forEach((o, i) => {
        expect(onnx[o.name].dims).toEqual(tensors[i].shape);
        const expected = tensors[i].dataSync();
        const { min, max } = valueRange(expected);
        expect(maxAbsDiff(onnx[o.name].data as Float32Array, expected), `${o.name} at ${width}×${height}`).toBeLessThanOrEqual(1e-4 * Math.max(1, max - min));
      });
      tf.dispose([input, ...tensors]);
    }
  }, 60_000);

  it('skips the work when the stamp matches', () => {
    expect(convertModels().converted).toBe(false);
  });

  it('stores float16 TF.js weights as float16 initializers, each cast once to float32', () => {
    for (const name of ['facemesh', 'faceres']) {
      const model = onnx.ModelProto.decode(readFileSync(join(DEFAULT_OUT_DIR, `${name}.onnx`)));
      const halves = model.graph?.initializer?.filter((t) => t.dataType === onnx.TensorProto.DataType.FLOAT16) ?? [];
      expect(halves.length).toBeGreaterThan(0);
      for (const half of halves) {
        const consumers = model.graph?.node?.filter((n) => n.input?.includes(half.name ?? '')) ?? [];
        expect(consumers.map((n) => n.opType)).toEqual(['Cast']);
      }
    }
  });
});

describe('converter', () => {
  it('pads SAME like TF: the odd pixel goes at the end', () => {
    expect(axisWindow(256, 5, 2, 1, 'SAME')).toEqual({ padBegin: 1, padEnd: 2, outSize: 128 });
    expect(axisWindow(112, 3, 2, 1, 'SAME')).toEqual({ padBegin: 0, padEnd: 1, outSize: 56 });
    expect(axisWindow(7, 3, 1, 2, 'SAME')).toEqual({ padBegin: 2, padEnd: 2, outSize: 7 });
    expect(axisWindow(7, 2, 2, 1, 'VALID')).toEqual({ padBegin: 0, padEnd: 0, outSize: 3 });
  });

  it('dequantizes uint8 weights as TF.js does (code * scale + min)', () => {
    const spec = { name: 'w', shape: [3], dtype: 'float32', quantization: { dtype: 'uint8' as const, min: -1, scale: 0.5 } };
    const w = decodeWeights([spec], Uint8Array.of(0, 2, 255)).get('w');
    expect(w?.dtype).toBe('float32');
    expect(Array.from(w?.data ?? [])).toEqual([-1, 0, 126.5]);
  });

  it('matches TF.js on explicit padding, fused Relu6, a dilated depthwise with multiplier 2 and a mean over H', async () => {
    let seed = 7;
    const random = (n: number, amplitude: number) =>
      Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * amplitude);
    const common = { T: tfAttr.float(), data_format: tfAttr.str('NHWC') };
    const nodes: TfNode[] = [
      { name: 'x', op: 'Placeholder', attr: { dtype: tfAttr.float(), shape: tfAttr.shape([1, 7, 6, 3]) } },
      {
        name: 'conv',
        op: '_FusedConv2D',
        input: ['x', 'filter', 'bias'],
        attr: {
          ...common,
          strides: tfAttr.ints([1, 2, 2, 1]),
          dilations: tfAttr.ints([1, 1, 1, 1]),
          padding: tfAttr.str('EXPLICIT'),
          explicit_paddings: tfAttr.ints([0, 0, 1, 2, 2, 0, 0, 0]),
          fused_ops: tfAttr.strs(['BiasAdd', 'Relu6']),
          num_args: { i: '1' },
        },
      },
      {
        name: 'depthwise',
        op: 'DepthwiseConv2dNative',
        input: ['conv', 'dw'],
        attr: { ...common, strides: tfAttr.ints([1, 1, 1, 1]), dilations: tfAttr.ints([1, 2, 2, 1]), padding: tfAttr.str('SAME') },
      },
      { name: 'mean', op: 'Mean', input: ['depthwise', 'axes'], attr: { T: tfAttr.float(), keep_dims: { b: false } } },
      { name: 'y', op: 'Identity', input: ['mean'], attr: { T: tfAttr.float() } },
    ];
    const model = syntheticModel(
      nodes,
      [
        { name: 'filter', shape: [3, 3, 3, 4], values: random(108, 2) },
        { name: 'bias', shape: [4], values: random(4, 1) },
        { name: 'dw', shape: [3, 3, 4, 2], values: random(72, 1) },
        { name: 'axes', shape: [1], values: [1], dtype: 'int32' },
      ],
      'y',
    );

    const converted = convertGraphModel(model, { name: 'synthetic', source: 'test' });
    expect(converted.outputs[0].dims).toEqual([1, 3, 8]);
    const input = Float32Array.from(random(1 * 7 * 6 * 3, 3));
    const session = await ort.InferenceSession.create(converted.onnx);
    const actual = (await session.run({ x: new ort.Tensor('float32', input, [1, 7, 6, 3]) })).y;
    const reference = await loadSyntheticTfjs(model);
    const [expected, conv] = reference.execute(tf.tensor4d(input, [1, 7, 6, 3]), ['y', 'conv']) as tf.Tensor[];
    // The input is loud enough that Relu6 clips at both ends.
    expect([conv.min().dataSync()[0], conv.max().dataSync()[0]]).toEqual([0, 6]);
    expect(actual.dims).toEqual(expected.shape);
    expect(maxAbsDiff(actual.data as Float32Array, expected.dataSync())).toBeLessThan(1e-5);
  });

  it('fails loudly on an op it does not know, naming the op and the node', () => {
    const model = syntheticModel(
      [
        { name: 'x', op: 'Placeholder', attr: { dtype: tfAttr.float(), shape: tfAttr.shape([1, 4]) } },
        { name: 'mystery', op: 'Erf', input: ['x'], attr: { T: tfAttr.float() } },
      ],
      [],
      'mystery',
    );
    expect(() => convertGraphModel(model, { name: 'bad', source: 'test' })).toThrow("Erf node 'mystery': op is not supported");
  });
});
