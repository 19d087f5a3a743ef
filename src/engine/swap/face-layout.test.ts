import { describe, expect, it } from 'vitest';
import { regionBounds } from './face-layout.ts';

describe('regionBounds', () => {
  it('bounds each 4-connected region above the threshold', () => {
    // . # . . .
    // . # # . #
    // . . . . #   (diagonal neighbours are apart)
    // . . . # .
    const plane = Float32Array.from([0, 1, 0, 0, 0, 0, 0.5, 0.5, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0.01]);
    expect(regionBounds(plane, 5, 4, 0.02)).toEqual([
      { x: 1, y: 0, width: 2, height: 2 },
      { x: 4, y: 1, width: 1, height: 2 },
      { x: 3, y: 3, width: 1, height: 1 },
    ]);
  });
});
