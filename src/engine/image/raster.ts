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
  return { width, height, data: new Uint8ClampedArray(width * height * 4) };
}
