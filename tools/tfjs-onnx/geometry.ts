/** Padding and output size of one spatial axis of a convolution or pooling window. */
export interface AxisWindow {
  padBegin: number;
  padEnd: number;
  outSize: number;
}

/** The TF padding modes of Conv2D, DepthwiseConv2dNative and MaxPool. */
export type TfPadding = 'SAME' | 'VALID' | { explicit: [number, number] };

/**
 * One spatial axis as TF computes it. SAME pads so that out = ceil(in / stride), putting the odd pixel at the end
 * (bottom/right): that asymmetry is why the ONNX graph gets explicit pads rather than auto_pad.
 */
export function axisWindow(inSize: number, kernel: number, stride: number, dilation: number, padding: TfPadding): AxisWindow {
  if (inSize < 0) throw new Error('spatial size must be static');
  const span = (kernel - 1) * dilation + 1;
  let padBegin = 0;
  let padEnd = 0;
  if (padding === 'SAME') {
    const total = Math.max((Math.ceil(inSize / stride) - 1) * stride + span - inSize, 0);
    padBegin = Math.floor(total / 2);
    padEnd = total - padBegin;
  } else if (padding !== 'VALID') {
    [padBegin, padEnd] = padding.explicit;
  }
  const outSize = Math.floor((inSize + padBegin + padEnd - span) / stride) + 1;
  if (outSize < 1) throw new Error(`window of ${kernel} (dilation ${dilation}) does not fit an axis of ${inSize}`);
  return { padBegin, padEnd, outSize };
}
