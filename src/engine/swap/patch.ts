import { halvedCrop } from '../face/pyramid.ts';
import { FACE_OVAL } from '../face/regions.ts';
import type { Raster } from '../image/raster.ts';
import { boundingRect, type Rect } from './region.ts';
import { resizeRaster } from './resample.ts';
import { floats } from '../scratch.ts';

/**
 * Copies a rectangle of a raster into interleaved float RGB (0..255), 3 numbers per pixel, row-major.
 * Parts of the rectangle outside the raster repeat the nearest edge pixel.
 */
export function readRgb(raster: Raster, rect: Rect, out?: Float32Array): Float32Array {
  const { width: w, height: h } = rect;
  const rgb = out ?? floats(w * h * 3);
  const src = raster.data;
  const maxX = raster.width - 1;
  const maxY = raster.height - 1;
  for (let j = 0; j < h; j++) {
    const sy = Math.min(maxY, Math.max(0, rect.y + j));
    const rowBase = sy * raster.width;
    let o = j * w * 3;
    for (let i = 0; i < w; i++) {
      const sx = Math.min(maxX, Math.max(0, rect.x + i));
      const s = (rowBase + sx) * 4;
      rgb[o] = src[s];
      rgb[o + 1] = src[s + 1];
      rgb[o + 2] = src[s + 2];
      o += 3;
    }
  }
  return rgb;
}

/** Copies `rect` (inside it) of interleaved RGB that is `width` px wide. */
export function cropRgb(rgb: Float32Array, width: number, rect: Rect): Float32Array {
  return cropPlane(rgb, width, rect, 3);
}

/** Copies `rect` (inside it) of a plane `width` px wide with `channels` interleaved numbers a pixel. */
export function cropPlane(plane: Float32Array, width: number, rect: Rect, channels = 1): Float32Array {
  const out = floats(rect.width * rect.height * channels);
  for (let j = 0; j < rect.height; j++) {
    const start = ((rect.y + j) * width + rect.x) * channels;
    out.set(plane.subarray(start, start + rect.width * channels), j * rect.width * channels);
  }
  return out;
}

/** Luminance (Rec. 601 weights, same 0..255 scale) of interleaved float RGB, one number per pixel. */
export function lumaOf(rgb: Float32Array, out?: Float32Array): Float32Array {
  const n = rgb.length / 3;
  const y = out ?? floats(n);
  for (let p = 0, q = 0; p < n; p++, q += 3) y[p] = 0.299 * rgb[q] + 0.587 * rgb[q + 1] + 0.114 * rgb[q + 2];
  return y;
}

/**
 * A swap works out a face's colour, light, hair and blend with the face at most this many px across (larger faces on a
 * smaller copy), unless asked otherwise; the source's finer detail is then added back at full size.
 */
export const FACE_WORK_SIZE = 256;

/**
 * The face of `mesh` in `image`, its outline's bounds shrunk to at most `workSize` px across as a swap works on it
 * (its larger side then `faceSize` px): interleaved RGB over `rect` (from 0, 0), and the mesh in its pixels:
 * (x - bounds.x) * scale, (y - bounds.y) * scale. With `part` (a rectangle within the outline's bounds, in their px),
 * only that part of the face is shrunk and `bounds` is that part.
 */
export function faceAtWorkSize(image: Raster, mesh: Float32Array, workSize: number, part?: (face: Rect) => Rect): { rgb: Float32Array; rect: Rect; mesh: Float32Array; bounds: Rect; scale: number; faceSize: number } {
  const face = boundingRect(mesh, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: image.width, clipHeight: image.height });
  const scale = Math.min(1, workSize / Math.max(face.width, face.height));
  const within = part?.(face);
  const bounds = within ? { ...within, x: face.x + within.x, y: face.y + within.y } : face;
  const small = shrunkCopy(image, bounds, Math.max(1, Math.round(bounds.width * scale)), Math.max(1, Math.round(bounds.height * scale)));
  const rect = { x: 0, y: 0, width: small.width, height: small.height };
  const local = mesh.map((v, i) => (i % 3 === 0 ? (v - bounds.x) * scale : i % 3 === 1 ? (v - bounds.y) * scale : v * scale));
  return { rgb: readRgb(small, rect), rect, mesh: local, bounds, scale, faceSize: Math.max(face.width, face.height) * scale };
}

/** A copy of `rect` of `canvas` shrunk to `width` x `height`: halved while that stays at least twice as large, then Lanczos. */
export function shrunkCopy(canvas: Raster, rect: Rect, width: number, height: number): Raster {
  let halvings = 0;
  while (rect.width >> halvings >= 2 * width && rect.height >> halvings >= 2 * height) halvings++;
  return resizeRaster(halvedCrop(canvas, rect, halvings), width, height);
}
