import { createRaster, type Raster } from '../image/raster.ts';
import { floats, int16s, uint16s } from '../scratch.ts';

// Fixed-point precision of the filter weights (they sum to exactly 1 << WEIGHT_BITS).
const WEIGHT_BITS = 14;
// Fractional bits of the intermediate (between the two passes) values.
const MID_BITS = 6;

// Filter taps of one axis: output i reads input start[i] .. start[i] + count[i] - 1 with weights at offset[i].
interface Taps {
  start: Int32Array;
  count: Int32Array;
  offset: Int32Array;
  weights: Int32Array;
}

/** The Lanczos kernel with `a` lobes. */
export function lanczos(x: number, a = 3): number {
  if (x === 0) return 1;
  if (x <= -a || x >= a) return 0;
  const px = Math.PI * x;
  return (a * Math.sin(px) * Math.sin(px / a)) / (px * px);
}

// Fixed-point Lanczos taps mapping `inSize` samples onto `outSize` (pixel centres aligned, the kernel widened
// when shrinking). Taps past either end fold onto the edge sample; each output's weights sum to exactly 1 <<
// 14, so a constant stays constant.
function computeTaps(inSize: number, outSize: number, lobes: number): Taps {
  const scale = outSize / inSize;
  const stretch = scale < 1 ? 1 / scale : 1;
  const radius = lobes * stretch;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const offset = new Int32Array(outSize);
  const maxTaps = Math.ceil(2 * radius) + 2;
  const weights = new Int32Array(outSize * Math.min(maxTaps, inSize));
  const raw = new Float64Array(maxTaps + 1);
  let used = 0;
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) / scale - 0.5;
    const lo = Math.ceil(centre - radius);
    const hi = Math.floor(centre + radius);
    const first = Math.max(0, Math.min(inSize - 1, lo));
    const last = Math.max(0, Math.min(inSize - 1, hi));
    const n = last - first + 1;
    raw.fill(0, 0, n);
    let sum = 0;
    for (let k = lo; k <= hi; k++) {
      const wgt = lanczos((k - centre) / stretch, lobes);
      const idx = Math.max(first, Math.min(last, k)) - first;
      raw[idx] += wgt;
      sum += wgt;
    }
    const one = 1 << WEIGHT_BITS;
    let total = 0;
    let biggest = 0;
    for (let t = 0; t < n; t++) {
      const q = Math.round((raw[t] / sum) * one);
      weights[used + t] = q;
      total += q;
      if (Math.abs(q) > Math.abs(weights[used + biggest])) biggest = t;
    }
    weights[used + biggest] += one - total;
    start[i] = first;
    count[i] = n;
    offset[i] = used;
    used += n;
  }
  return { start, count, offset, weights };
}

/**
 * Resizes a raster with a separable Lanczos filter (3 lobes by default), in 14-bit fixed point.
 * Pixel centres are aligned (as in most image tools), borders repeat the edge pixel, and colours are
 * filtered premultiplied by alpha when the picture is not fully opaque (no dark fringes at
 * transparent edges). Returns a new raster, or one on `into` (its pixels, every byte written) when given.
 */
export function resizeRaster(src: Raster, width: number, height: number, lobes = 3, into?: Uint8ClampedArray): Raster {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (into && into.length !== w * h * 4) throw new RangeError(`resizeRaster: ${into.length} bytes for ${w}x${h} pixels`);
  const out = into ? { width: w, height: h, data: into } : createRaster(w, h);
  if (src.width === 0 || src.height === 0) return out;
  const sdata = src.data;
  const n = src.width * src.height;
  let opaque = true;
  for (let p = 3; p < n * 4; p += 4) {
    if (sdata[p] !== 255) {
      opaque = false;
      break;
    }
  }
  const hTaps = computeTaps(src.width, w, lobes);
  const vTaps = computeTaps(src.height, h, lobes);
  if (opaque) {
    // RGB only; alpha stays 255.
    const mid = int16s(w * src.height * 3);
    horizontalRgb(sdata, src.width, src.height, mid, w, hTaps);
    verticalRgb(mid, w, out.data, h, vTaps);
    return out;
  }
  // Premultiplied, in MID_BITS fixed point.
  const input = uint16s(n * 4);
  for (let k = 0; k < n * 4; k += 4) {
    const a = sdata[k + 3];
    input[k] = Math.round((sdata[k] * a * (1 << MID_BITS)) / 255);
    input[k + 1] = Math.round((sdata[k + 1] * a * (1 << MID_BITS)) / 255);
    input[k + 2] = Math.round((sdata[k + 2] * a * (1 << MID_BITS)) / 255);
    input[k + 3] = a << MID_BITS;
  }
  const mid = int16s(w * src.height * 4);
  horizontalRgba(input, src.width, src.height, mid, w, hTaps);
  verticalRgba(mid, w, out.data, h, vTaps);
  return out;
}

// Opaque rows: 8-bit RGBA in, RGB in MID_BITS fixed point out.
function horizontalRgb(input: Uint8ClampedArray, inW: number, inH: number, mid: Int16Array, outW: number, taps: Taps): void {
  const { start, count, offset, weights } = taps;
  const shift = WEIGHT_BITS - MID_BITS;
  const half = 1 << (shift - 1);
  for (let y = 0; y < inH; y++) {
    const rowIn = y * inW * 4;
    let o = y * outW * 3;
    for (let x = 0; x < outW; x++, o += 3) {
      let r = half;
      let g = half;
      let b = half;
      let p = rowIn + start[x] * 4;
      const end = offset[x] + count[x];
      for (let t = offset[x]; t < end; t++, p += 4) {
        const wt = weights[t];
        r += wt * input[p];
        g += wt * input[p + 1];
        b += wt * input[p + 2];
      }
      mid[o] = r >> shift;
      mid[o + 1] = g >> shift;
      mid[o + 2] = b >> shift;
    }
  }
}

// Opaque columns: RGB fixed point in, 8-bit RGBA (alpha 255) out.
function verticalRgb(mid: Int16Array, w: number, out: Uint8ClampedArray, outH: number, taps: Taps): void {
  const { start, count, offset, weights } = taps;
  const stride = w * 3;
  const shift = WEIGHT_BITS + MID_BITS;
  const half = 1 << (shift - 1);
  for (let y = 0; y < outH; y++) {
    const first = offset[y];
    const n = count[y];
    const r0 = start[y] * stride;
    let o = y * w * 4;
    if (n === 6) {
      // The common case when enlarging, unrolled.
      const w0 = weights[first], w1 = weights[first + 1], w2 = weights[first + 2];
      const w3 = weights[first + 3], w4 = weights[first + 4], w5 = weights[first + 5];
      const r1 = r0 + stride, r2 = r1 + stride, r3 = r2 + stride, r4 = r3 + stride, r5 = r4 + stride;
      for (let m = 0; m < stride; m += 3, o += 4) {
        out[o] = (half + w0 * mid[r0 + m] + w1 * mid[r1 + m] + w2 * mid[r2 + m] + w3 * mid[r3 + m] + w4 * mid[r4 + m] + w5 * mid[r5 + m]) >> shift;
        const g = m + 1;
        out[o + 1] = (half + w0 * mid[r0 + g] + w1 * mid[r1 + g] + w2 * mid[r2 + g] + w3 * mid[r3 + g] + w4 * mid[r4 + g] + w5 * mid[r5 + g]) >> shift;
        const b = m + 2;
        out[o + 2] = (half + w0 * mid[r0 + b] + w1 * mid[r1 + b] + w2 * mid[r2 + b] + w3 * mid[r3 + b] + w4 * mid[r4 + b] + w5 * mid[r5 + b]) >> shift;
        out[o + 3] = 255;
      }
      continue;
    }
    for (let m = 0; m < stride; m += 3, o += 4) {
      let r = half;
      let g = half;
      let b = half;
      let p = r0 + m;
      for (let t = first; t < first + n; t++, p += stride) {
        const wt = weights[t];
        r += wt * mid[p];
        g += wt * mid[p + 1];
        b += wt * mid[p + 2];
      }
      out[o] = r >> shift;
      out[o + 1] = g >> shift;
      out[o + 2] = b >> shift;
      out[o + 3] = 255;
    }
  }
}

// Rows with alpha: premultiplied RGBA fixed point in and out.
function horizontalRgba(input: Uint16Array, inW: number, inH: number, mid: Int16Array, outW: number, taps: Taps): void {
  const { start, count, offset, weights } = taps;
  const half = 1 << (WEIGHT_BITS - 1);
  for (let y = 0; y < inH; y++) {
    const rowIn = y * inW * 4;
    let o = y * outW * 4;
    for (let x = 0; x < outW; x++, o += 4) {
      let r = half;
      let g = half;
      let b = half;
      let a = half;
      let p = rowIn + start[x] * 4;
      const end = offset[x] + count[x];
      for (let t = offset[x]; t < end; t++, p += 4) {
        const wt = weights[t];
        r += wt * input[p];
        g += wt * input[p + 1];
        b += wt * input[p + 2];
        a += wt * input[p + 3];
      }
      mid[o] = r >> WEIGHT_BITS;
      mid[o + 1] = g >> WEIGHT_BITS;
      mid[o + 2] = b >> WEIGHT_BITS;
      mid[o + 3] = a >> WEIGHT_BITS;
    }
  }
}

// Columns with alpha: premultiplied fixed point in, straight 8-bit RGBA out.
function verticalRgba(mid: Int16Array, w: number, out: Uint8ClampedArray, outH: number, taps: Taps): void {
  const { start, count, offset, weights } = taps;
  const stride = w * 4;
  const shift = WEIGHT_BITS + MID_BITS;
  const half = 1 << (shift - 1);
  for (let y = 0; y < outH; y++) {
    const first = offset[y];
    const end = first + count[y];
    const r0 = start[y] * stride;
    for (let m = 0, o = y * stride; m < stride; m += 4, o += 4) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      let p = r0 + m;
      for (let t = first; t < end; t++, p += stride) {
        const wt = weights[t];
        r += wt * mid[p];
        g += wt * mid[p + 1];
        b += wt * mid[p + 2];
        a += wt * mid[p + 3];
      }
      if (a <= 0) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        out[o + 3] = 0;
        continue;
      }
      const k = 255 / a;
      out[o] = r * k;
      out[o + 1] = g * k;
      out[o + 2] = b * k;
      out[o + 3] = (a + half) >> shift;
    }
  }
}

/**
 * Enlarges interleaved float samples (`channels` a pixel) from w x h to `width` x `height` bilinearly, pixel centres
 * aligned and edges repeated. Output pixel i samples the input at (i + 0.5) / `factor` - 0.5 along each axis: by
 * default `factor` is the size ratio (as in {@link resizeRaster}); a block grid of f x f means passes f. Meant for
 * enlarging: shrinking with it would alias.
 */
export function enlargeBilinear(src: Float32Array, channels: number, w: number, h: number, width: number, height: number, factor?: number): Float32Array {
  const out = floats(width * height * channels);
  forEachEnlargedRow(src, channels, w, h, width, height, factor, (y, row) => out.set(row, y * row.length));
  return out;
}

/**
 * {@link enlargeBilinear} a row at a time: `visit` gets each output row (`width` x `channels` values, in a buffer that
 * is reused for the next row), top to bottom, so that a caller that only reads it needs no full-size array.
 */
export function forEachEnlargedRow(
  src: Float32Array,
  channels: number,
  w: number,
  h: number,
  width: number,
  height: number,
  factor: number | undefined,
  visit: (y: number, row: Float32Array) => void,
): void {
  const axis = (inSize: number, outSize: number) => {
    const step = factor ?? outSize / inSize;
    const lo = new Int32Array(outSize);
    const hi = new Int32Array(outSize);
    const frac = new Float32Array(outSize);
    for (let i = 0; i < outSize; i++) {
      const c = Math.min(inSize - 1, Math.max(0, (i + 0.5) / step - 0.5));
      lo[i] = Math.floor(c);
      hi[i] = Math.min(inSize - 1, lo[i] + 1);
      frac[i] = c - lo[i];
    }
    return { lo, hi, frac };
  };
  const xs = axis(w, width);
  const ys = axis(h, height);
  // Separable: each input row is widened once (into one of two row buffers), then output rows mix two widened rows.
  const stride = width * channels;
  const rows = [new Float32Array(stride), new Float32Array(stride)];
  const held = [-1, -1];
  const widened = (r: number): Float32Array => {
    const slot = held[0] === r ? 0 : held[1] === r ? 1 : held[0] < held[1] ? 0 : 1;
    if (held[slot] === r) return rows[slot];
    held[slot] = r;
    const row = rows[slot];
    const base = r * w;
    for (let x = 0, o = 0; x < width; x++) {
      const a = (base + xs.lo[x]) * channels, b = (base + xs.hi[x]) * channels, fx = xs.frac[x];
      for (let k = 0; k < channels; k++, o++) row[o] = src[a + k] + fx * (src[b + k] - src[a + k]);
    }
    return row;
  };
  const out = new Float32Array(stride);
  for (let y = 0; y < height; y++) {
    const top = widened(ys.lo[y]);
    const bottom = widened(ys.hi[y]);
    const fy = ys.frac[y];
    if (fy === 0) out.set(top);
    else for (let i = 0; i < stride; i++) out[i] = top[i] + fy * (bottom[i] - top[i]);
    visit(y, out);
  }
}
