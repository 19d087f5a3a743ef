import { describe, expect, it } from 'vitest';
import { boundingRect, clipRect, expandRect, intersectRect, isEmptyRect, mergeOverlapping, planeBounds, rectArea, unionRect } from './region.ts';

describe('region helpers', () => {
  it('bounds continuous points by the pixels they touch, padded and clipped', () => {
    const pts = new Float32Array([10.2, 20.7, 30.9, 5.0, 15.5, 40.0]);
    expect(boundingRect(pts)).toEqual({ x: 10, y: 5, width: 21, height: 36 });
    expect(boundingRect(pts, { pad: 4 })).toEqual({ x: 6, y: 1, width: 29, height: 44 });
    expect(boundingRect(pts, { pad: 10, clipWidth: 35, clipHeight: 45 })).toEqual({ x: 0, y: 0, width: 35, height: 45 });
  });

  it('reads x,y,z mesh points and index subsets, skipping non-finite points', () => {
    const mesh = new Float32Array([1, 1, 0, 100, 100, 0, 50, 60, 0, Number.NaN, 3, 0]);
    expect(boundingRect(mesh, { stride: 3, indices: [0, 2, 3] })).toEqual({ x: 1, y: 1, width: 50, height: 60 });
    expect(isEmptyRect(boundingRect(new Float32Array(0)))).toBe(true);
  });

  it('intersects, unites, expands and clips', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    const b = { x: 5, y: 8, width: 10, height: 10 };
    expect(intersectRect(a, b)).toEqual({ x: 5, y: 8, width: 5, height: 2 });
    expect(unionRect(a, b)).toEqual({ x: 0, y: 0, width: 15, height: 18 });
    expect(rectArea(intersectRect(a, { x: 20, y: 20, width: 1, height: 1 }))).toBe(0);
    expect(expandRect(a, 2)).toEqual({ x: -2, y: -2, width: 14, height: 14 });
    expect(clipRect(expandRect(a, 2), 11, 9)).toEqual({ x: 0, y: 0, width: 11, height: 9 });
  });

  it('bounds the values of a plane above a threshold, padded and clipped', () => {
    const plane = new Float32Array(6 * 5);
    plane[1 * 6 + 2] = 0.5;
    plane[3 * 6 + 4] = 0.03;
    plane[4 * 6 + 0] = 0.01;
    expect(planeBounds(plane, 6, 5, 0.02)).toEqual({ x: 2, y: 1, width: 3, height: 3 });
    expect(planeBounds(plane, 6, 5, 0.02, 2)).toEqual({ x: 0, y: 0, width: 6, height: 5 });
    expect(planeBounds(plane, 6, 5, 0.6)).toBeNull();
  });

  it('merges overlapping rectangles, also those that meet only once grown', () => {
    const r = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });
    // The second meets neither the first nor the third, only their union; the empty one is dropped.
    expect(mergeOverlapping([r(0, 0, 4, 1), r(0, 4, 1, 1), r(3, 0, 1, 5), r(30, 30, 1, 1), r(5, 5, 0, 3)])).toEqual([r(0, 0, 4, 5), r(30, 30, 1, 1)]);
  });
});
