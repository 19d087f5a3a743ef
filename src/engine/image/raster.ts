import { clampedBytes } from '../scratch.ts';

/**
 * An 8-bit RGBA picture in row-major order, the engine's one image type.
 * Same shape as the DOM's ImageData, so either can be passed where the other is expected.
 */
export interface Raster {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** A blank (transparent black) raster. */
export function createRaster(width: number, height: number): Raster {
  return { width, height, data: clampedBytes(width * height * 4) };
}

/**
 * The pixels as 32-bit words, red in the low byte (little-endian, as on every platform the app runs on): one
 * read per pixel instead of four. A copy when the buffer is not 4-byte aligned (a decoder's pooled buffer).
 */
export function rasterWords(image: Raster): Uint32Array {
  const data = image.data;
  if (data.byteOffset % 4) return new Uint32Array(data.slice().buffer);
  return new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
}

/** A copy of the rectangle (x, y, width, height) of `image`, which must lie inside it. */
export function cropRaster(image: Raster, rect: { x: number; y: number; width: number; height: number }): Raster {
  const out = createRaster(rect.width, rect.height);
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.y + y) * image.width + rect.x) * 4;
    out.data.set(image.data.subarray(from, from + rect.width * 4), y * rect.width * 4);
  }
  return out;
}

/** Copies the rectangle (x, y, width, height) of `from` into the same place of `to`, a raster of the same size. */
export function copyRect(from: Raster, to: Raster, rect: { x: number; y: number; width: number; height: number }): void {
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const start = (y * from.width + rect.x) * 4;
    to.data.set(from.data.subarray(start, start + rect.width * 4), start);
  }
}
