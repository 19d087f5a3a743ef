import { describe, expect, it } from 'vitest';
import { createRaster } from '../image/raster.ts';
import { cropRgb, lumaOf, readRgb } from './patch.ts';

describe('readRgb', () => {
  it('copies a rectangle as float RGB, repeating edge pixels beyond the picture', () => {
    const img = createRaster(3, 2);
    for (let p = 0; p < 6; p++) img.data.set([p * 10, p * 10 + 1, p * 10 + 2, 255], p * 4);
    const rgb = readRgb(img, { x: 1, y: 1, width: 3, height: 2 });
    expect(Array.from(rgb)).toEqual([40, 41, 42, 50, 51, 52, 50, 51, 52, 40, 41, 42, 50, 51, 52, 50, 51, 52]);
    expect(lumaOf(new Float32Array([255, 255, 255]))[0]).toBeCloseTo(255, 3);
  });
});

describe('cropRgb', () => {
  it('copies a window of interleaved RGB', () => {
    const rgb = Float32Array.from({ length: 4 * 3 * 3 }, (_, i) => i);
    expect(Array.from(cropRgb(rgb, 4, { x: 1, y: 1, width: 2, height: 2 }))).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
  });
});
