import type { Weight } from './tfjs-model.ts';

/** Axis permutation taking an NHWC tensor to NCHW (ONNX Transpose `perm`). */
export const NHWC_TO_NCHW = [0, 3, 1, 2];
/** Axis permutation taking an NCHW tensor back to NHWC. */
export const NCHW_TO_NHWC = [0, 2, 3, 1];

/** Element count of a static shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `shape` permuted: result[i] = shape[perm[i]]. */
export function permute<T>(shape: readonly T[], perm: readonly number[]): T[] {
  return perm.map((p) => shape[p]);
}

/** Where NHWC axis `axis` (may be negative) sits in an NCHW tensor. */
export function nchwAxis(axis: number): number {
  return NHWC_TO_NCHW.indexOf(axis < 0 ? axis + 4 : axis);
}

/**
 * Whether dropping NHWC axes `dropped` from an NCHW tensor leaves the kept axes in TF's order, so a reduce or
 * squeeze can run on the NCHW tensor and yield the TF result without a transpose (true for [1,2] or [1,2,3]).
 */
export function keptAxesInTfOrder(dropped: readonly number[]): boolean {
  const kept = [0, 1, 2, 3].filter((a) => !dropped.includes(a)).map(nchwAxis);
  return kept.every((p, i) => i === 0 || p > kept[i - 1]);
}

/** A weight with its data transposed by `perm` (bit-exact for every dtype, float16 included). */
export function transposeWeight(w: Weight, perm: readonly number[]): Weight {
  const rank = w.shape.length;
  if (perm.length !== rank) throw new Error(`transpose: perm ${perm} does not fit shape ${w.shape}`);
  const outShape = permute(w.shape, perm);
  const inStrides = stridesOf(w.shape);
  // The input stride behind each output axis.
  const walk = perm.map((p) => inStrides[p]);
  const out = new (w.data.constructor as new (n: number) => typeof w.data)(w.data.length);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let dst = 0; dst < out.length; dst++) {
    out[dst] = w.data[src];
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      src += walk[axis];
      if (index[axis] < outShape[axis]) break;
      src -= walk[axis] * outShape[axis];
      index[axis] = 0;
    }
  }
  return { ...w, shape: outShape, data: out } as Weight;
}

function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/**
 * A constant laid out to broadcast against an NCHW tensor as it broadcast against the NHWC one in TF:
 * left-pad its shape to rank 4 with ones (numpy broadcasting), then move channels to axis 1.
 * Scalars stay scalars.
 */
export function weightForNchw(w: Weight): Weight {
  if (w.shape.length === 0) return w;
  if (w.shape.length > 4) throw new Error(`cannot broadcast a rank-${w.shape.length} constant against an NCHW tensor`);
  const padded = { ...w, shape: [...new Array<number>(4 - w.shape.length).fill(1), ...w.shape] } as Weight;
  return transposeWeight(padded, NHWC_TO_NCHW);
}

/** Numpy/TF broadcast of two static shapes; -1 (unknown) wins over 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1 && x !== -1 && y !== -1) throw new Error(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(x === 1 ? y : y === 1 ? x : Math.max(x, y));
  }
  return out;
}
