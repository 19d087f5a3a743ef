import { attrBool, attrInts, attrString, attrStrings, nodeError, requireFloat, requireNhwc } from './attrs.ts';
import { axisWindow, type TfPadding } from './geometry.ts';
import { broadcastShapes, keptAxesInTfOrder, nchwAxis, NHWC_TO_NCHW, sizeOf, transposeWeight } from './layout.ts';
import type { AttrValue, GraphBuilder } from './onnx-graph.ts';
import { scalarValue, type TfNode, type Weight } from './tfjs-model.ts';

/**
 * How a value's ONNX data relates to the TF tensor: 'tf' is the same element order, 'nchw' is a rank-4 NHWC
 * tensor held transposed to NCHW (what ONNX Conv and MaxPool need).
 */
export type Layout = 'tf' | 'nchw';

/**
 * A converted tensor: its ONNX value name, its TF (NHWC) shape with -1 for run-time sizes, and its layout.
 * With a dynamic height and width (ConvertOptions.dynamicSpatial), rank-4 shapes are those at the exported size.
 */
export interface Value {
  name: string;
  shape: number[];
  layout: Layout;
}

/** What an op handler may ask of the converter. `i` indexes the node's data inputs. */
export interface OpContext {
  readonly graph: GraphBuilder;
  /** Input `i` as a value; a float Const input becomes an initializer in TF layout. */
  input(node: TfNode, i: number): Value;
  /** Whether input `i` is a Const node. */
  isConst(node: TfNode, i: number): boolean;
  /** The decoded weight of Const input `i`. */
  weight(node: TfNode, i: number): Weight;
  /** Const input `i` as an initializer laid out to broadcast against a tensor in `layout`. */
  constFor(node: TfNode, i: number, layout: Layout): string;
  /** `v` in `layout`, transposing (once per value) when needed. */
  toLayout(v: Value, layout: Layout): Value;
  /** Whether the input's height and width are run-time sizes (ConvertOptions.dynamicSpatial). */
  readonly dynamicSpatial: boolean;
}

type OpHandler = (node: TfNode, cx: OpContext) => Value;

function intValues(node: TfNode, cx: OpContext, i: number): number[] {
  const w = cx.weight(node, i);
  if (w.dtype !== 'int32') throw nodeError(node, `input ${i} must be an int32 constant`);
  return Array.from(w.data);
}

function shapeOf(node: TfNode, cx: OpContext, i: number): number[] {
  return cx.isConst(node, i) ? cx.weight(node, i).shape : cx.input(node, i).shape;
}

function operand(node: TfNode, cx: OpContext, i: number, layout: Layout): string {
  return cx.isConst(node, i) ? cx.constFor(node, i, layout) : cx.toLayout(cx.input(node, i), layout).name;
}

// NCHW when every tensor operand is rank 4 and at least one already is NCHW (constants are re-laid out at
// conversion time, for free); otherwise TF layout.
function sharedLayout(node: TfNode, cx: OpContext, inputs: number[]): Layout {
  const tensors = inputs.filter((i) => !cx.isConst(node, i)).map((i) => cx.input(node, i));
  const consts = inputs.filter((i) => cx.isConst(node, i)).map((i) => cx.weight(node, i));
  const nchw =
    tensors.some((v) => v.layout === 'nchw') && tensors.every((v) => v.shape.length === 4) && consts.every((w) => w.shape.length <= 4);
  return nchw ? 'nchw' : 'tf';
}

function normalizeAxes(axes: number[], rank: number): number[] {
  return [...new Set(axes.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
}

// The ONNX pads/strides/dilations of a TF 2-D window op, and its output size.
function spatialWindow(node: TfNode, inShape: number[], kernel: [number, number]) {
  const strides = attrInts(node, 'strides');
  const dilations = attrInts(node, 'dilations', [1, 1, 1, 1]);
  for (const [name, v] of [['strides', strides], ['dilations', dilations]] as const) {
    if (v.length !== 4 || v[0] !== 1 || v[3] !== 1) throw nodeError(node, `${name} [${v}] must be [1, h, w, 1]`);
  }
  const mode = attrString(node, 'padding');
  const explicit = attrInts(node, 'explicit_paddings', []);
  const padding = (axis: number): TfPadding => {
    if (mode === 'SAME' || mode === 'VALID') return mode;
    if (mode === 'EXPLICIT' && explicit.length === 8) return { explicit: [explicit[2 * axis], explicit[2 * axis + 1]] };
    throw nodeError(node, `padding ${mode} [${explicit}] is not supported`);
  };
  const [h, w] = [1, 2].map((axis) => {
    try {
      return axisWindow(inShape[axis], kernel[axis - 1], strides[axis], dilations[axis], padding(axis));
    } catch (e) {
      throw nodeError(node, (e as Error).message);
    }
  });
  return {
    outH: h.outSize,
    outW: w.outSize,
    attrs: {
      pads: { ints: [h.padBegin, w.padBegin, h.padEnd, w.padEnd] },
      strides: { ints: [strides[1], strides[2]] },
      dilations: { ints: [dilations[1], dilations[2]] },
    },
  };
}

// BiasAdd (input 2) plus at most one activation: the fused_ops of _FusedConv2D, FusedDepthwiseConv2dNative, _FusedMatMul.
function fusedOps(node: TfNode, cx: OpContext): { bias?: string; activation?: string } {
  const ops = attrStrings(node, 'fused_ops');
  if (ops.length === 0) return {};
  if (ops[0] !== 'BiasAdd' || ops.length > 2) throw nodeError(node, `fused_ops [${ops}] are not supported`);
  return { bias: cx.input(node, 2).name, activation: ops[1] };
}

function clip(x: Value, min: number | undefined, max: number | undefined, hint: string, g: GraphBuilder): Value {
  const bounds = [min === undefined ? '' : g.scalar(`${hint}/min`, min)];
  if (max !== undefined) bounds.push(g.scalar(`${hint}/max`, max));
  return { ...x, name: g.node('Clip', [x.name, ...bounds], hint) };
}

// onnxruntime-web's WebGPU backend has no PRelu kernel, so spell it out: relu(x) + alpha * (x - relu(x)).
// Each term is exact (one side is always 0), so the result equals TF's x < 0 ? alpha * x : x bit for bit.
function prelu(x: Value, alpha: string, hint: string, g: GraphBuilder): Value {
  const positive = g.node('Relu', [x.name], `${hint}/positive`);
  const negative = g.node('Sub', [x.name, positive], `${hint}/negative`);
  const scaled = g.node('Mul', [negative, alpha], `${hint}/scaled`);
  return { ...x, name: g.node('Add', [positive, scaled], hint) };
}

// A fused activation; Prelu's alpha is fused input 3 (after filter/weights and bias).
function activate(kind: string | undefined, x: Value, node: TfNode, cx: OpContext): Value {
  const hint = `${node.name}/${kind}`;
  switch (kind) {
    case undefined:
      return x;
    case 'Relu':
      return { ...x, name: cx.graph.node('Relu', [x.name], hint) };
    case 'Relu6':
      return clip(x, 0, 6, hint, cx.graph);
    case 'Prelu':
      return prelu(x, cx.constFor(node, 3, x.layout), hint, cx.graph);
    default:
      throw nodeError(node, `fused activation ${kind} is not supported`);
  }
}

// Conv2D, _FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2dNative.
function conv(depthwise: boolean): OpHandler {
  return (node, cx) => {
    requireFloat(node);
    requireNhwc(node);
    const x = cx.toLayout(cx.input(node, 0), 'nchw');
    const filter = cx.weight(node, 1);
    if (filter.shape.length !== 4) throw nodeError(node, `filter must be rank 4, got [${filter.shape}]`);
    // TF filters are [kh, kw, in, out] (depthwise: [kh, kw, channels, multiplier]).
    const [kh, kw, fin, fout] = filter.shape;
    const channels = x.shape[3];
    const group = depthwise ? fin : channels / fin;
    if (!Number.isInteger(group) || (depthwise && channels !== fin)) {
      throw nodeError(node, `filter [${filter.shape}] does not fit input [${x.shape}]`);
    }
    const outChannels = depthwise ? fin * fout : fout;
    // ONNX wants [out, in/group, kh, kw]; for depthwise, out channel c*multiplier+m matches TF's order.
    const w = depthwise
      ? { ...transposeWeight(filter, [2, 3, 0, 1]), shape: [outChannels, 1, kh, kw] }
      : transposeWeight(filter, [3, 2, 0, 1]);
    const window = spatialWindow(node, x.shape, [kh, kw]);
    const { bias, activation } = fusedOps(node, cx);
    const inputs = [x.name, cx.graph.weight(`${node.name}/filter`, w as Weight), ...(bias ? [bias] : [])];
    const attrs: Record<string, AttrValue> = { ...window.attrs, kernel_shape: { ints: [kh, kw] }, group: { int: group } };
    const name = cx.graph.node('Conv', inputs, node.name, attrs);
    return activate(activation, { name, shape: [x.shape[0], window.outH, window.outW, outChannels], layout: 'nchw' }, node, cx);
  };
}

const maxPool: OpHandler = (node, cx) => {
  requireFloat(node);
  requireNhwc(node);
  const x = cx.toLayout(cx.input(node, 0), 'nchw');
  const ksize = attrInts(node, 'ksize');
  if (ksize.length !== 4 || ksize[0] !== 1 || ksize[3] !== 1) throw nodeError(node, `ksize [${ksize}] must be [1, h, w, 1]`);
  const window = spatialWindow(node, x.shape, [ksize[1], ksize[2]]);
  // ONNX MaxPool pads with -inf, which is how TF's SAME pooling ignores the padding.
  const attrs = { kernel_shape: { ints: [ksize[1], ksize[2]] }, pads: window.attrs.pads, strides: window.attrs.strides };
  const name = cx.graph.node('MaxPool', [x.name], node.name, attrs);
  return { name, shape: [x.shape[0], window.outH, window.outW, x.shape[3]], layout: 'nchw' };
};

const pad: OpHandler = (node, cx) => {
  requireFloat(node);
  const x = cx.input(node, 0);
  const rank = x.shape.length;
  const pads = intValues(node, cx, 1);
  if (pads.length !== 2 * rank) throw nodeError(node, `paddings [${pads}] do not fit rank ${rank}`);
  // TF paddings are [[begin, end] per NHWC axis]; ONNX wants all begins then all ends, in the value's axis order.
  const axes = x.layout === 'nchw' ? NHWC_TO_NCHW : x.shape.map((_, i) => i);
  const onnxPads = [...axes.map((a) => pads[2 * a]), ...axes.map((a) => pads[2 * a + 1])];
  const name = cx.graph.node('Pad', [x.name, cx.graph.int64(`${node.name}/pads`, onnxPads)], node.name);
  return { name, shape: x.shape.map((d, i) => (d < 0 ? d : d + pads[2 * i] + pads[2 * i + 1])), layout: x.layout };
};

const reshape: OpHandler = (node, cx) => {
  const x = cx.toLayout(cx.input(node, 0), 'tf');
  const target = intValues(node, cx, 1);
  // ONNX Reshape reads 0 as "keep this axis"; TF means an empty axis.
  if (target.includes(0)) throw nodeError(node, `target shape [${target}] has a zero size`);
  if (cx.dynamicSpatial && x.shape.length === 4) return flattenSpatial(node, x, target, cx);
  const shape = target.slice();
  const wild = target.indexOf(-1);
  if (wild >= 0 && x.shape.every((d) => d >= 0)) shape[wild] = sizeOf(x.shape) / sizeOf(target.filter((d) => d !== -1));
  // A leading 1 on a tensor with a dynamic batch is the batch of 1 the model was exported with: ONNX's 0 keeps it.
  const batched = x.shape[0] < 0 && target[0] === 1;
  if (batched) shape[0] = -1;
  const onnxTarget = batched ? [0, ...target.slice(1)] : target;
  const name = cx.graph.node('Reshape', [x.name, cx.graph.int64(`${node.name}/shape`, onnxTarget)], node.name);
  return { name, shape, layout: 'tf' };
};

// [N, H, W, a·C] to [1, H·W·a, C] at the exported size becomes [0, -1, C]: rows follow the run-time H and W
// (row-major y, x, then a), and the batch is kept.
function flattenSpatial(node: TfNode, x: Value, target: number[], cx: OpContext): Value {
  const [, h, w, channels] = x.shape;
  const c = target[2];
  if (target.length !== 3 || target[0] !== 1 || !(c > 0) || channels % c !== 0 || (target[1] !== -1 && target[1] * c !== h * w * channels)) {
    throw nodeError(node, `cannot reshape [${x.shape}] to [${target}] with a dynamic height and width: only [1, n, C] flattening is supported`);
  }
  const name = cx.graph.node('Reshape', [x.name, cx.graph.int64(`${node.name}/shape`, [0, -1, c])], node.name);
  return { name, shape: [x.shape[0], -1, c], layout: 'tf' };
}

const squeeze: OpHandler = (node, cx) => {
  const x = cx.input(node, 0);
  const listed = normalizeAxes(attrInts(node, 'squeeze_dims', []), x.shape.length);
  const dims = listed.length ? listed : x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
  if (dims.length === 0) return x;
  if (dims.some((a) => x.shape[a] !== 1)) throw nodeError(node, `cannot squeeze axes [${dims}] of [${x.shape}]`);
  const v = x.layout === 'nchw' && !keptAxesInTfOrder(dims) ? cx.toLayout(x, 'tf') : x;
  const axes = v.layout === 'nchw' ? dims.map(nchwAxis) : dims;
  const name = cx.graph.node('Squeeze', [v.name, cx.graph.int64(`${node.name}/axes`, axes)], node.name);
  return { name, shape: x.shape.filter((_, i) => !dims.includes(i)), layout: 'tf' };
};

// Mean and Sum over constant axes.
function reduce(onnxOp: 'ReduceMean' | 'ReduceSum'): OpHandler {
  return (node, cx) => {
    requireFloat(node);
    const x = cx.input(node, 0);
    const axes = normalizeAxes(intValues(node, cx, 1), x.shape.length);
    if (axes.length === 0) return x;
    const keep = attrBool(node, 'keep_dims');
    const v = x.layout === 'nchw' && !keep && !keptAxesInTfOrder(axes) ? cx.toLayout(x, 'tf') : x;
    const onnxAxes = v.layout === 'nchw' ? axes.map(nchwAxis) : axes;
    const keepdims = { int: keep ? 1 : 0 };
    // Opset 17: ReduceMean takes axes as an attribute, ReduceSum as an input.
    const name =
      onnxOp === 'ReduceMean'
        ? cx.graph.node(onnxOp, [v.name], node.name, { axes: { ints: onnxAxes }, keepdims })
        : cx.graph.node(onnxOp, [v.name, cx.graph.int64(`${node.name}/axes`, onnxAxes)], node.name, { keepdims });
    const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    return { name, shape, layout: keep ? v.layout : 'tf' };
  };
}

const concat: OpHandler = (node, cx) => {
  requireFloat(node);
  const count = (node.input ?? []).filter((s) => !s.startsWith('^')).length - 1;
  const parts = [...Array(count).keys()];
  const shapes = parts.map((i) => shapeOf(node, cx, i));
  const rank = shapes[0].length;
  const [axis] = normalizeAxes(intValues(node, cx, count), rank);
  const layout = sharedLayout(node, cx, parts);
  const names = parts.map((i) => operand(node, cx, i, layout));
  const name = cx.graph.node('Concat', names, node.name, { axis: { int: layout === 'nchw' ? nchwAxis(axis) : axis } });
  const shape = shapes[0].slice();
  shape[axis] = shapes.some((s) => s[axis] < 0) ? -1 : shapes.reduce((sum, s) => sum + s[axis], 0);
  return { name, shape, layout };
};

const fusedMatMul: OpHandler = (node, cx) => {
  requireFloat(node);
  const a = cx.toLayout(cx.input(node, 0), 'tf');
  const bShape = shapeOf(node, cx, 1);
  if (a.shape.length !== 2 || bShape.length !== 2) throw nodeError(node, `only 2-D operands are supported, got [${a.shape}] x [${bShape}]`);
  const transA = attrBool(node, 'transpose_a');
  const transB = attrBool(node, 'transpose_b');
  const { bias, activation } = fusedOps(node, cx);
  const inputs = [a.name, operand(node, cx, 1, 'tf'), ...(bias ? [bias] : [])];
  const name = cx.graph.node('Gemm', inputs, node.name, { transA: { int: transA ? 1 : 0 }, transB: { int: transB ? 1 : 0 } });
  const shape = [transA ? a.shape[1] : a.shape[0], transB ? bShape[0] : bShape[1]];
  return activate(activation, { name, shape, layout: 'tf' }, node, cx);
};

function binary(onnxOp: 'Add' | 'Sub' | 'Mul'): OpHandler {
  return (node, cx) => {
    requireFloat(node);
    const layout = sharedLayout(node, cx, [0, 1]);
    const names = [0, 1].map((i) => operand(node, cx, i, layout));
    const shape = broadcastShapes(shapeOf(node, cx, 0), shapeOf(node, cx, 1));
    return { name: cx.graph.node(onnxOp, names, node.name), shape, layout };
  };
}

// Maximum/Minimum against a scalar constant, as Clip: onnxruntime-web's WebGPU backend has no Max/Min kernels,
// and TF graphs use these ops for ReLU6 clipping and epsilon floors.
function clampBy(bound: 'min' | 'max'): OpHandler {
  return (node, cx) => {
    requireFloat(node);
    const c = [0, 1].find((i) => cx.isConst(node, i) && cx.weight(node, i).data.length === 1);
    if (c === undefined || cx.isConst(node, 1 - c)) throw nodeError(node, 'only a tensor against a scalar constant is supported');
    const x = cx.input(node, 1 - c);
    if (cx.weight(node, c).shape.length > x.shape.length) throw nodeError(node, 'the scalar constant must not raise the rank');
    const value = scalarValue(cx.weight(node, c));
    return bound === 'min' ? clip(x, value, undefined, node.name, cx.graph) : clip(x, undefined, value, node.name, cx.graph);
  };
}

function unary(onnxOp: string): OpHandler {
  return (node, cx) => {
    requireFloat(node);
    const x = cx.input(node, 0);
    return { ...x, name: cx.graph.node(onnxOp, [x.name], node.name) };
  };
}

/** TF op name to its ONNX lowering. Ops not listed make the conversion fail, naming op and node. */
export const OP_HANDLERS: Readonly<Record<string, OpHandler>> = {
  Identity: (node, cx) => cx.input(node, 0),
  Conv2D: conv(false),
  _FusedConv2D: conv(false),
  DepthwiseConv2dNative: conv(true),
  FusedDepthwiseConv2dNative: conv(true),
  MaxPool: maxPool,
  Pad: pad,
  Reshape: reshape,
  Squeeze: squeeze,
  ConcatV2: concat,
  Mean: reduce('ReduceMean'),
  Sum: reduce('ReduceSum'),
  _FusedMatMul: fusedMatMul,
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  Maximum: clampBy('min'),
  Minimum: clampBy('max'),
  Relu: unary('Relu'),
  Sigmoid: unary('Sigmoid'),
  Abs: unary('Abs'),
  Prelu: (node, cx) => {
    const x = cx.input(node, 0);
    return prelu(x, cx.constFor(node, 1, x.layout), node.name, cx.graph);
  },
  Square: (node, cx) => {
    const x = cx.input(node, 0);
    return { ...x, name: cx.graph.node('Mul', [x.name, x.name], node.name) };
  },
  Rsqrt: (node, cx) => {
    const x = cx.input(node, 0);
    const root = cx.graph.node('Sqrt', [x.name], `${node.name}/sqrt`);
    return { ...x, name: cx.graph.node('Reciprocal', [root], node.name) };
  },
  // TF softmax runs over the last axis, which NCHW holds at axis 1.
  Softmax: (node, cx) => {
    const x = cx.input(node, 0);
    return { ...x, name: cx.graph.node('Softmax', [x.name], node.name, { axis: { int: x.layout === 'nchw' ? 1 : -1 } }) };
  },
};
