import onnxProto from 'onnx-proto';
import type { Weight } from './tfjs-model.ts';

const { onnx } = onnxProto;

/** An ONNX node attribute value: `ints`/`int`/`float` pick the AttributeProto type explicitly. */
export type AttrValue = { ints: number[] } | { int: number } | { float: number };

/** Makes a TF name usable as an ONNX value name: every character outside [A-Za-z0-9_] becomes '_'. */
export function onnxSafeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(safe) ? `_${safe}` : safe;
}

function littleEndianBytes(data: Float32Array | Uint16Array | BigInt64Array): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Accumulates the nodes and initializers of one ONNX graph with unique, readable, deterministic value names.
 * float16 weights are stored as float16 initializers followed by a Cast to float32, so the file stays as small
 * as the TF.js one while every op computes in float32 like TF.js does.
 */
export class GraphBuilder {
  readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly taken = new Set<string>();

  /** Claims `name` exactly (graph inputs and outputs); throws if it is already used. */
  reserve(name: string): string {
    if (this.taken.has(name)) throw new Error(`ONNX value name '${name}' is used twice`);
    this.taken.add(name);
    return name;
  }

  /** A fresh value name derived from `hint`. */
  fresh(hint: string): string {
    const base = onnxSafeName(hint);
    let name = base;
    for (let n = 1; this.taken.has(name); n++) name = `${base}_${n}`;
    return this.reserve(name);
  }

  /** Appends a node and returns its (single) output name; pass `output` to name it exactly. */
  node(opType: string, inputs: string[], hint: string, attrs: Record<string, AttrValue> = {}, output?: string): string {
    const out = output ?? this.fresh(hint);
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if ('ints' in v) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: v.ints };
      if ('int' in v) return { name, type: onnx.AttributeProto.AttributeType.INT, i: v.int };
      return { name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v.float };
    });
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [out], name: out, attribute }));
    return out;
  }

  /** Adds a float weight as an initializer and returns the name of its float32 value. */
  weight(hint: string, w: Weight): string {
    if (w.dtype === 'int32') throw new Error(`constant '${hint}' is int32 where a float tensor is needed`);
    if (w.dtype === 'float32') return this.initializer(this.fresh(hint), onnx.TensorProto.DataType.FLOAT, w.shape, w.data);
    const half = this.initializer(this.fresh(`${hint}_fp16`), onnx.TensorProto.DataType.FLOAT16, w.shape, w.data);
    return this.node('Cast', [half], hint, { to: { int: onnx.TensorProto.DataType.FLOAT } });
  }

  /** Adds an int64 initializer (shapes, axes, pads) and returns its name. */
  int64(hint: string, values: readonly number[], dims: number[] = [values.length]): string {
    return this.initializer(this.fresh(hint), onnx.TensorProto.DataType.INT64, dims, BigInt64Array.from(values, BigInt));
  }

  /** Adds a float32 scalar initializer and returns its name. */
  scalar(hint: string, value: number): string {
    return this.initializer(this.fresh(hint), onnx.TensorProto.DataType.FLOAT, [], Float32Array.of(value));
  }

  private initializer(name: string, dataType: number, dims: number[], data: Float32Array | Uint16Array | BigInt64Array): string {
    this.initializers.push(onnx.TensorProto.create({ name, dataType, dims, rawData: littleEndianBytes(data) }));
    return name;
  }
}
