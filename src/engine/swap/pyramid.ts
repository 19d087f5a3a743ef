import { floats } from '../scratch.ts';

/** A float image with interleaved channels. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

function clampIndex(i: number, n: number): number {
  return i < 0 ? 0 : i >= n ? n - 1 : i;
}

/**
 * Blurs with the 5-tap binomial kernel [1 4 6 4 1]/16 and halves the size (rounding up);
 * edges repeat the border pixel.
 */
export function pyrDown(img: FloatImage): FloatImage {
  const { width: w, height: h, channels: c, data } = img;
  const ow = (w + 1) >> 1;
  const oh = (h + 1) >> 1;
  const tmp = floats(ow * h * c);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let i = 0; i < ow; i++) {
      const x = 2 * i;
      const a = (row + clampIndex(x - 2, w)) * c;
      const b = (row + clampIndex(x - 1, w)) * c;
      const m = (row + x) * c;
      const d = (row + clampIndex(x + 1, w)) * c;
      const e = (row + clampIndex(x + 2, w)) * c;
      const o = (y * ow + i) * c;
      for (let k = 0; k < c; k++) tmp[o + k] = (data[a + k] + data[e + k] + 4 * (data[b + k] + data[d + k]) + 6 * data[m + k]) * 0.0625;
    }
  }
  const out = floats(ow * oh * c);
  const stride = ow * c;
  for (let j = 0; j < oh; j++) {
    const y = 2 * j;
    const a = clampIndex(y - 2, h) * stride;
    const b = clampIndex(y - 1, h) * stride;
    const m = y * stride;
    const d = clampIndex(y + 1, h) * stride;
    const e = clampIndex(y + 2, h) * stride;
    const o = j * stride;
    for (let x = 0; x < stride; x++) out[o + x] = (tmp[a + x] + tmp[e + x] + 4 * (tmp[b + x] + tmp[d + x]) + 6 * tmp[m + x]) * 0.0625;
  }
  return { width: ow, height: oh, channels: c, data: out };
}

/** Doubles an image to width x height (the size it was reduced from) with the binomial interpolation kernel. */
export function pyrUp(img: FloatImage, width: number, height: number): FloatImage {
  const { width: sw, height: sh, channels: c, data } = img;
  const tmp = floats(width * sh * c);
  for (let y = 0; y < sh; y++) {
    const row = y * sw;
    for (let x = 0; x < width; x++) {
      const i = x >> 1;
      const o = (y * width + x) * c;
      if ((x & 1) === 0) {
        const a = (row + clampIndex(i - 1, sw)) * c;
        const m = (row + clampIndex(i, sw)) * c;
        const b = (row + clampIndex(i + 1, sw)) * c;
        for (let k = 0; k < c; k++) tmp[o + k] = (data[a + k] + 6 * data[m + k] + data[b + k]) * 0.125;
      } else {
        const m = (row + clampIndex(i, sw)) * c;
        const b = (row + clampIndex(i + 1, sw)) * c;
        for (let k = 0; k < c; k++) tmp[o + k] = (data[m + k] + data[b + k]) * 0.5;
      }
    }
  }
  const out = floats(width * height * c);
  const stride = width * c;
  for (let y = 0; y < height; y++) {
    const i = y >> 1;
    const o = y * stride;
    if ((y & 1) === 0) {
      const a = clampIndex(i - 1, sh) * stride;
      const m = clampIndex(i, sh) * stride;
      const b = clampIndex(i + 1, sh) * stride;
      for (let x = 0; x < stride; x++) out[o + x] = (tmp[a + x] + 6 * tmp[m + x] + tmp[b + x]) * 0.125;
    } else {
      const m = clampIndex(i, sh) * stride;
      const b = clampIndex(i + 1, sh) * stride;
      for (let x = 0; x < stride; x++) out[o + x] = (tmp[m + x] + tmp[b + x]) * 0.5;
    }
  }
  return { width, height, channels: c, data: out };
}

/** Gaussian pyramid: level 0 is the image itself, each next level half the size. */
export function gaussianPyramid(img: FloatImage, levels: number): FloatImage[] {
  const pyr = [img];
  for (let l = 1; l < levels; l++) pyr.push(pyrDown(pyr[l - 1]));
  return pyr;
}

/** Laplacian pyramid: band-pass levels plus the coarsest Gaussian level last; {@link collapsePyramid} inverts it exactly. */
export function laplacianPyramid(img: FloatImage, levels: number): FloatImage[] {
  const g = gaussianPyramid(img, levels);
  const lap: FloatImage[] = [];
  for (let l = 0; l < levels - 1; l++) {
    const up = pyrUp(g[l + 1], g[l].width, g[l].height);
    const d = floats(g[l].data.length);
    for (let k = 0; k < d.length; k++) d[k] = g[l].data[k] - up.data[k];
    lap.push({ ...g[l], data: d });
  }
  lap.push(g[levels - 1]);
  return lap;
}

/** Sums a Laplacian pyramid back into an image. */
export function collapsePyramid(lap: FloatImage[]): FloatImage {
  let img = lap[lap.length - 1];
  for (let l = lap.length - 2; l >= 0; l--) {
    const up = pyrUp(img, lap[l].width, lap[l].height);
    const d = up.data;
    const band = lap[l].data;
    for (let k = 0; k < d.length; k++) d[k] += band[k];
    img = up;
  }
  return img;
}
