import { attrShape, nodeError, requireFloat } from './attrs.ts';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, weightForNchw } from './layout.ts';
import { GraphBuilder, onnxSafeName } from './onnx-graph.ts';
import { encodeModel, type TensorSpec } from './onnx-writer.ts';
import { OP_HANDLERS, type Layout, type OpContext, type Value } from './ops.ts';
import { modelSignature, type TfGraphModel, type TfNode, type Weight } from './tfjs-model.ts';

/** A graph input or output and the TF.js tensor behind it. */
export interface IoMapping extends TensorSpec {
  /** The TF.js signature key (outputs) or placeholder name (inputs). */
  tfjs: string;
  /** The TF tensor name, as `model.execute(x, names)` accepts it. */
  tensor: string;
}

/** An ONNX model and how its inputs and outputs map to the TF.js model's. */
export interface ConvertedModel {
  onnx: Uint8Array;
  inputs: IoMapping[];
  outputs: IoMapping[];
}

/** ONNX output name for a TF.js signature key: ':0' dropped, other characters outside [A-Za-z0-9_] made '_'. */
export function outputName(key: string): string {
  return onnxSafeName(key.replace(/:0$/, ''));
}

function parseRef(ref: string): { node: string; index: number } {
  const colon = ref.lastIndexOf(':');
  return colon < 0 ? { node: ref, index: 0 } : { node: ref.slice(0, colon), index: Number(ref.slice(colon + 1)) };
}

function dataInputs(node: TfNode): string[] {
  // '^name' inputs are control dependencies: ordering only, no data.
  return (node.input ?? []).filter((ref) => !ref.startsWith('^'));
}

// Walks the TF graph from the outputs, lowering each node once through OP_HANDLERS.
class Converter implements OpContext {
  readonly graph = new GraphBuilder();
  private readonly nodes: Map<string, TfNode>;
  private readonly values = new Map<string, Value>();
  private readonly consts = new Map<string, string>();
  private readonly transposed = new Map<string, Value>();

  constructor(
    private readonly model: TfGraphModel,
    readonly dynamicSpatial: boolean,
  ) {
    this.nodes = new Map(model.json.modelTopology.node.map((n) => [n.name, n]));
  }

  // Declares a Placeholder as an NHWC graph input, its batch (and height and width) made dynamic when asked.
  // Returns the declared dims; the graph is traced at the exported height and width.
  addInput(node: TfNode, dynamicBatch: boolean): TensorSpec {
    requireFloat(node);
    const shape = attrShape(node, 'shape');
    if (dynamicBatch && shape[0] === 1) shape[0] = -1;
    const value: Value = { name: this.graph.reserve(onnxSafeName(node.name)), shape, layout: 'tf' };
    this.values.set(node.name, value);
    if (!this.dynamicSpatial) return { name: value.name, dims: shape };
    if (shape.length !== 4) throw nodeError(node, `a dynamic height and width need an NHWC input, got [${shape}]`);
    return { name: value.name, dims: [shape[0], -1, -1, shape[3]] };
  }

  valueOf(ref: string): Value {
    const { node: name, index } = parseRef(ref);
    const node = this.nodes.get(name);
    if (!node) throw new Error(`tensor '${ref}' has no producing node`);
    if (index !== 0) throw nodeError(node, `output ${index} is used, but only single-output ops are supported`);
    const known = this.values.get(name);
    if (known) return known;
    let value: Value;
    if (node.op === 'Const') {
      value = { name: this.constName(node, 'tf'), shape: this.constWeight(node).shape, layout: 'tf' };
    } else {
      const handler = OP_HANDLERS[node.op];
      if (!handler) throw nodeError(node, 'op is not supported by the TF.js-to-ONNX converter');
      value = handler(node, this);
    }
    this.values.set(name, value);
    return value;
  }

  private producer(node: TfNode, i: number): TfNode {
    const ref = dataInputs(node)[i];
    if (ref === undefined) throw nodeError(node, `has no input ${i}`);
    const producer = this.nodes.get(parseRef(ref).node);
    if (!producer) throw nodeError(node, `input '${ref}' has no producing node`);
    return producer;
  }

  private constWeight(node: TfNode): Weight {
    const w = this.model.weights.get(node.name);
    if (!w) throw nodeError(node, 'constant is missing from the weights manifest');
    return w;
  }

  private constName(node: TfNode, layout: Layout): string {
    const key = `${node.name}|${layout}`;
    let name = this.consts.get(key);
    if (!name) {
      const w = this.constWeight(node);
      name = this.graph.weight(node.name, layout === 'nchw' ? weightForNchw(w) : w);
      this.consts.set(key, name);
    }
    return name;
  }

  input(node: TfNode, i: number): Value {
    this.producer(node, i);
    return this.valueOf(dataInputs(node)[i]);
  }

  isConst(node: TfNode, i: number): boolean {
    return this.producer(node, i).op === 'Const';
  }

  weight(node: TfNode, i: number): Weight {
    const producer = this.producer(node, i);
    if (producer.op !== 'Const') throw nodeError(node, `input ${i} must be a constant, got ${producer.op} '${producer.name}'`);
    return this.constWeight(producer);
  }

  constFor(node: TfNode, i: number, layout: Layout): string {
    this.weight(node, i); // throws unless input i is a Const
    return this.constName(this.producer(node, i), layout);
  }

  toLayout(v: Value, layout: Layout): Value {
    if (v.layout === layout) return v;
    const key = `${v.name}|${layout}`;
    let out = this.transposed.get(key);
    if (!out) {
      if (v.shape.length !== 4) throw new Error(`value '${v.name}' of shape [${v.shape}] cannot be NCHW`);
      const perm = layout === 'nchw' ? NHWC_TO_NCHW : NCHW_TO_NHWC;
      out = { name: this.graph.node('Transpose', [v.name], `${v.name}_${layout}`, { perm: { ints: perm } }), shape: v.shape, layout };
      this.transposed.set(key, out);
    }
    return out;
  }
}

/** Options for {@link convertGraphModel}. */
export interface ConvertOptions {
  /**
   * Give inputs exported with a batch of 1 a dynamic batch axis, so that one run can take several pictures;
   * reshapes that spell out that batch of 1 keep the input's batch instead.
   */
  dynamicBatch?: boolean;
  /**
   * Give the (NHWC) input a dynamic height and width, for fully convolutional models. SAME pads stay those of
   * the exported size, which are exact only where every strided conv or pool sees a size divisible by its
   * stride: feed sizes that are multiples of the product of the strides (32 for blazeface). A Reshape that
   * flattens the spatial axes to [1, n, C] becomes [0, -1, C], so that n follows the input.
   */
  dynamicSpatial?: boolean;
}

function checkSignatureShape(key: string, inferred: number[], dims: { size: string }[] | undefined): void {
  if (!dims) return;
  const expected = dims.map((d) => Number(d.size));
  const fits = expected.length === inferred.length && expected.every((d, i) => d < 0 || inferred[i] < 0 || d === inferred[i]);
  if (!fits) throw new Error(`output ${key}: inferred shape [${inferred}] contradicts the signature's [${expected}]`);
}

/**
 * Converts a TF.js graph model to ONNX. Inputs stay NHWC as in TF.js (an RGB float buffer feeds straight in);
 * the graph transposes to NCHW once after the input and back to NHWC only where TF semantics need it, so every
 * output has TF.js's exact shape and element order. Outputs are the signature's, named by `outputName`.
 */
export function convertGraphModel(model: TfGraphModel, meta: { name: string; source: string }, options: ConvertOptions = {}): ConvertedModel {
  const cx = new Converter(model, options.dynamicSpatial ?? false);
  const inputs = model.json.modelTopology.node
    .filter((n) => n.op === 'Placeholder')
    .map((n): IoMapping => {
      const { name, dims } = cx.addInput(n, options.dynamicBatch ?? false);
      return { name, dims, tfjs: n.name, tensor: `${n.name}:0` };
    });
  const signatureOutputs = Object.entries(modelSignature(model.json).outputs ?? {});
  const names = signatureOutputs.map(([key]) => cx.graph.reserve(outputName(key)));
  const outputs = signatureOutputs.map(([key, info], i): IoMapping => {
    const value = cx.toLayout(cx.valueOf(info.name), 'tf');
    checkSignatureShape(key, value.shape, info.tensorShape?.dim);
    cx.graph.node('Identity', [value.name], names[i], {}, names[i]);
    return { name: names[i], dims: value.shape, tfjs: key, tensor: info.name };
  });
  return { onnx: encodeModel(cx.graph, { inputs, outputs }, meta), inputs, outputs };
}
