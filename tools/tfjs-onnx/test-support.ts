import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { decodeWeights, type TfAttr, type TfGraphModel, type TfModelJson, type TfNode, type TfWeightSpec } from './tfjs-model.ts';

/** A pixel rectangle of a photo. */
export interface Crop {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Loads a TF.js graph model from disk through a file IO handler of our own (json + weight shards), so TF.js decodes
 * the weights (quantization included) with its own code, independently of the converter's decoder.
 */
export async function loadTfjsModel(jsonPath: string): Promise<tf.GraphModel> {
  const { json, specs, data } = readTfjsFiles(jsonPath);
  return loadTfjsJson(json, specs, data);
}

/**
 * The same model, run by TF.js at any input height and width: its input's height and width left open and its
 * Reshapes to [1, n, C] made [1, -1, C] (the reference for ConvertOptions.dynamicSpatial).
 */
export async function loadTfjsModelAnySize(jsonPath: string): Promise<tf.GraphModel> {
  const { json, specs, data } = readTfjsFiles(jsonPath);
  const weights = tf.io.decodeWeights(data, specs);
  for (const node of (json.modelTopology as { node: TfNode[] }).node) {
    const dims = node.attr?.shape?.shape?.dim;
    if (node.op === 'Placeholder' && dims?.length === 4) dims[1].size = dims[2].size = '-1';
    if (node.op !== 'Reshape') continue;
    const target = node.input![1];
    const [, , channels] = weights[target].dataSync();
    weights[target] = tf.tensor1d([1, -1, channels], 'int32');
  }
  const encoded = await tf.io.encodeWeights(weights);
  return loadTfjsJson(json, encoded.specs, encoded.data);
}

function readTfjsFiles(jsonPath: string): { json: tf.io.ModelJSON; specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer } {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dirname(jsonPath), p))));
  return { json, specs: json.weightsManifest.flatMap((group) => group.weights), data: new Uint8Array(Buffer.concat(shards)).buffer };
}

async function loadTfjsJson(json: tf.io.ModelJSON, weightSpecs: tf.io.WeightsManifestEntry[], weightData: ArrayBuffer): Promise<tf.GraphModel> {
  const handler: tf.io.IOHandler = {
    load: async () => ({
      modelTopology: json.modelTopology,
      weightSpecs,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy,
      signature: json.signature,
      userDefinedMetadata: json.userDefinedMetadata,
    }),
  };
  await tf.setBackend('cpu');
  return tf.loadGraphModel(handler);
}

/** An RGB photo (optionally cropped) resized to size×size, as float HWC values mapped through `scale` from 0..255. */
export async function readRgb(path: string, size: number, scale: (v: number) => number, crop?: Crop): Promise<Float32Array> {
  const image = crop ? sharp(path).extract(crop) : sharp(path);
  const bytes = await image.resize(size, size, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  if (bytes.length !== size * size * 3) throw new Error(`${path}: decoded ${bytes.length} bytes, expected ${size * size * 3}`);
  return Float32Array.from(bytes, scale);
}

/** Largest |a[i] - b[i]|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Smallest and largest value. */
export function valueRange(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  return { min, max };
}

/** TF attribute builders for synthetic graphs. */
export const tfAttr = {
  ints: (values: number[]): TfAttr => ({ list: { i: values.map(String) } }),
  str: (value: string): TfAttr => ({ s: Buffer.from(value).toString('base64') }),
  strs: (values: string[]): TfAttr => ({ list: { s: values.map((v) => Buffer.from(v).toString('base64')) } }),
  float: (): TfAttr => ({ type: 'DT_FLOAT' }),
  shape: (dims: number[]): TfAttr => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } }),
};

/** A small in-memory TF.js graph model (weights float32 unless int32), its single output named by `output`. */
export function syntheticModel(
  nodes: TfNode[],
  weights: { name: string; shape: number[]; values: number[]; dtype?: 'int32' }[],
  output: string,
): TfGraphModel {
  const specs: TfWeightSpec[] = weights.map(({ name, shape, dtype }) => ({ name, shape, dtype: dtype ?? 'float32' }));
  const consts: TfNode[] = weights.map(({ name }) => ({ name, op: 'Const' }));
  const json: TfModelJson = {
    format: 'graph-model',
    signature: { outputs: { [output]: { name: output } } },
    modelTopology: { node: [...consts, ...nodes] },
    weightsManifest: [{ paths: [], weights: specs }],
  };
  const chunks = weights.map((w) => new Uint8Array((w.dtype ? Int32Array.from(w.values) : Float32Array.from(w.values)).buffer));
  const weightData = new Uint8Array(Buffer.concat(chunks));
  return { json, weightData, weights: decodeWeights(specs, weightData) };
}

/** The same synthetic model, loaded by TF.js (CPU backend) from memory. */
export async function loadSyntheticTfjs(model: TfGraphModel): Promise<tf.GraphModel> {
  await tf.setBackend('cpu');
  return tf.loadGraphModel(
    tf.io.fromMemory({
      // TF.js reads modelTopology.versions, which real model files always carry.
      modelTopology: { ...model.json.modelTopology, versions: {} },
      weightSpecs: model.json.weightsManifest.flatMap((g) => g.weights) as tf.io.WeightsManifestEntry[],
      weightData: model.weightData.slice().buffer,
      signature: model.json.signature,
    }),
  );
}
