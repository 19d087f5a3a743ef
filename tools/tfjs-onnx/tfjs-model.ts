import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** One attribute of a TF GraphDef node, in the protobuf-JSON form TF.js model files use. */
export interface TfAttr {
  i?: string;
  f?: number;
  b?: boolean;
  s?: string;
  type?: string;
  shape?: { dim?: { size: string }[]; unknownRank?: boolean };
  list?: { i?: string[]; s?: string[]; f?: number[] };
}

/** One node of the TF GraphDef stored in `modelTopology`. */
export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

/** How TF.js stored a weight: float16 halves, or uint8/uint16 affine codes (`value = code * scale + min`). */
export interface TfQuantization {
  dtype: 'float16' | 'uint8' | 'uint16';
  min?: number;
  scale?: number;
  original_dtype?: string;
}

export interface TfWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: TfQuantization;
}

export interface TfTensorInfo {
  name: string;
  dtype?: string;
  tensorShape?: { dim?: { size: string }[] };
}

export interface TfSignature {
  inputs?: Record<string, TfTensorInfo>;
  outputs?: Record<string, TfTensorInfo>;
}

/** The `model.json` of a TF.js graph model. */
export interface TfModelJson {
  format: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: TfSignature;
  userDefinedMetadata?: { signature?: TfSignature };
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: TfWeightSpec[] }[];
}

/** A decoded constant. float16 weights keep their raw half bits so they can ship as float16. */
export type Weight =
  | { dtype: 'float32'; shape: number[]; data: Float32Array }
  | { dtype: 'float16'; shape: number[]; data: Uint16Array }
  | { dtype: 'int32'; shape: number[]; data: Int32Array };

/** A TF.js graph model read from disk: its json, the concatenated weight shards, and the decoded weights. */
export interface TfGraphModel {
  json: TfModelJson;
  weightData: Uint8Array;
  weights: Map<string, Weight>;
}

// model.json plus its weight shards, in manifest order, concatenated as TF.js does.
function readGraphModelFiles(jsonPath: string): { json: TfModelJson; weightData: Uint8Array } {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as TfModelJson;
  if (json.format !== 'graph-model') throw new Error(`${jsonPath}: format '${json.format}' is not a TF.js graph-model`);
  const shards = json.weightsManifest.flatMap((group) => group.paths.map((p) => readFileSync(join(dirname(jsonPath), p))));
  return { json, weightData: new Uint8Array(Buffer.concat(shards)) };
}

/** Reads a TF.js graph model and decodes every weight of its manifest. */
export function readGraphModel(jsonPath: string): TfGraphModel {
  const { json, weightData } = readGraphModelFiles(jsonPath);
  return { json, weightData, weights: decodeWeights(json.weightsManifest.flatMap((g) => g.weights), weightData) };
}

function storedBytesPerElement(spec: TfWeightSpec): number {
  if (spec.quantization) return spec.quantization.dtype === 'uint8' ? 1 : 2;
  if (spec.dtype === 'float32' || spec.dtype === 'int32') return 4;
  throw new Error(`weight ${spec.name}: dtype '${spec.dtype}' is not supported`);
}

/** Decodes the weights laid end to end in `data`, the way TF.js's io.decodeWeights walks them. */
export function decodeWeights(specs: TfWeightSpec[], data: Uint8Array): Map<string, Weight> {
  const weights = new Map<string, Weight>();
  let offset = 0;
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    const byteLength = size * storedBytesPerElement(spec);
    if (offset + byteLength > data.byteLength) throw new Error(`weight ${spec.name}: runs past the end of the weight data`);
    // Copy so the typed array is aligned whatever the offset.
    const bytes = data.slice(offset, offset + byteLength).buffer;
    offset += byteLength;
    weights.set(spec.name, decodeWeight(spec, bytes));
  }
  if (offset !== data.byteLength) throw new Error(`weight data has ${data.byteLength - offset} bytes the manifest does not describe`);
  return weights;
}

function decodeWeight(spec: TfWeightSpec, bytes: ArrayBuffer): Weight {
  const shape = spec.shape.slice();
  const q = spec.quantization;
  if (!q) {
    return spec.dtype === 'int32'
      ? { dtype: 'int32', shape, data: new Int32Array(bytes) }
      : { dtype: 'float32', shape, data: new Float32Array(bytes) };
  }
  if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: quantized ${spec.dtype} is not supported`);
  if (q.dtype === 'float16') return { dtype: 'float16', shape, data: new Uint16Array(bytes) };
  if (q.min === undefined || q.scale === undefined) throw new Error(`weight ${spec.name}: ${q.dtype} quantization lacks min/scale`);
  const codes = q.dtype === 'uint8' ? new Uint8Array(bytes) : new Uint16Array(bytes);
  const values = new Float32Array(codes.length);
  for (let i = 0; i < codes.length; i++) values[i] = codes[i] * q.scale + q.min;
  return { dtype: 'float32', shape, data: values };
}

/** The signature TF.js reads: top-level, or under userDefinedMetadata in older converters' output. */
export function modelSignature(json: TfModelJson): TfSignature {
  const signature = json.signature ?? json.userDefinedMetadata?.signature;
  if (!signature?.outputs) throw new Error('model has no signature outputs');
  return signature;
}

// IEEE half bits to a number.
function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The value of a one-element float weight. */
export function scalarValue(w: Weight): number {
  if (w.data.length !== 1 || w.dtype === 'int32') throw new Error(`expected a float scalar, got ${w.dtype} [${w.shape}]`);
  return w.dtype === 'float16' ? halfToNumber(w.data[0]) : w.data[0];
}
