import onnxProto from 'onnx-proto';
import type { GraphBuilder } from './onnx-graph.ts';

const { onnx } = onnxProto;

/** Opset 17: supported by onnxruntime-node and onnxruntime-web (WASM and WebGPU) 1.30. */
export const OPSET = 17;
// The IR version that goes with opset 17.
const IR_VERSION = 8;

/** A graph input or output: name and dims, -1 for a size only known at run time. */
export interface TensorSpec {
  name: string;
  dims: number[];
}

function valueInfo(spec: TensorSpec) {
  const dim = spec.dims.map((d, i) => (d >= 0 ? { dimValue: d } : i === 0 ? { dimParam: 'batch' } : {}));
  return { name: spec.name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim } } } };
}

/** Serialises a finished graph to ONNX bytes. Nothing time- or machine-dependent goes in, so output is reproducible. */
export function encodeModel(
  graph: GraphBuilder,
  io: { inputs: TensorSpec[]; outputs: TensorSpec[] },
  meta: { name: string; source: string },
): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: OPSET }],
    producerName: 'faceswap-studio tools/tfjs-onnx',
    producerVersion: '1',
    docString: `Converted from the TF.js graph model ${meta.source}`,
    graph: {
      name: meta.name,
      node: graph.nodes,
      initializer: graph.initializers,
      input: io.inputs.map(valueInfo),
      output: io.outputs.map(valueInfo),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
