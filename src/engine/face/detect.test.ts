import { describe, expect, it } from 'vitest';
import { applyAffine, invertAffine } from './affine.ts';
import { blazeFaceAnchors, blazeFaceTable } from './blazeface.ts';
import { containment, iou, mergeDetections, planWindows, type Detection } from './detect.ts';

const det = (x: number, y: number, size: number, score: number): Detection => ({
  box: { x, y, width: size, height: size },
  score,
  keypoints: new Float32Array(12).fill(x),
  angle: 0,
});

describe('BlazeFace decoding', () => {
  it('has 896 anchors: 16 px grid ×2, then 32 px grid ×6', () => {
    const a = blazeFaceAnchors();
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[1022], a[1023]]).toEqual([248, 248]);
    expect([a[1024], a[1025]]).toEqual([16, 16]);
    expect([a[1790], a[1791]]).toEqual([240, 240]);
  });

  it('joins the split outputs, 512-anchor grid first', () => {
    const fill = (n: number, w: number, v: number) => ({ data: new Float32Array(n * w).fill(v), dims: [1, n, w] });
    const table = blazeFaceTable({ a: fill(384, 16, 4), b: fill(512, 1, 1), c: fill(384, 1, 3), d: fill(512, 16, 2) });
    expect(table.length).toBe(896 * 17);
    expect([table[0], table[1], table[16]]).toEqual([1, 2, 2]);
    expect([table[512 * 17], table[512 * 17 + 1]]).toEqual([3, 4]);
  });

  it('reads each picture of a batch', () => {
    const fill = (n: number, w: number, v: number) => ({ data: new Float32Array(2 * n * w).fill(v, n * w), dims: [2, n, w] });
    const outputs = { a: fill(384, 16, 4), b: fill(512, 1, 1), c: fill(384, 1, 3), d: fill(512, 16, 2) };
    expect(blazeFaceTable(outputs, 0).every((v) => v === 0)).toBe(true);
    const second = blazeFaceTable(outputs, 1);
    expect([second[0], second[1], second[512 * 17], second[896 * 17 - 1]]).toEqual([1, 2, 3, 4]);
  });
});

describe('windows', () => {
  it('letterboxes the whole picture into the first window', () => {
    const [whole] = planWindows(1920, 1080);
    const back = invertAffine(whole.toInput);
    expect(applyAffine(back, 0, 0)).toEqual([expect.closeTo(0, 6), expect.closeTo(-420, 6)]);
    expect(applyAffine(back, 256, 256)).toEqual([expect.closeTo(1920, 6), expect.closeTo(1500, 6)]);
  });

  it('tiles every level so that any face up to a quarter tile lies wholly inside a tile', () => {
    for (const [w, h] of [[3840, 2160], [1920, 1080], [2280, 1588], [600, 604]]) {
      const tiles = planWindows(w, h).filter((win) => win.tile).map((win) => win.tile!);
      const sides = [...new Set(tiles.map((t) => Math.round(t.x1 - t.x0)))];
      for (const side of sides) {
        const level = tiles.filter((t) => Math.round(t.x1 - t.x0) === side);
        const face = side / 4;
        for (let y = 0; y + face <= h; y += face / 3) {
          for (let x = 0; x + face <= w; x += face / 3) {
            const inside = level.some((t) => x >= t.x0 - 1e-6 && y >= t.y0 - 1e-6 && x + face <= t.x1 + 1e-6 && y + face <= t.y1 + 1e-6);
            expect(inside, `${w}x${h} tile ${side} face at ${x},${y}`).toBe(true);
          }
        }
      }
    }
  });

  it('costs 7 windows at 1080p and 22 at 4K', () => {
    expect(planWindows(1920, 1080).length).toBe(7);
    expect(planWindows(3840, 2160).length).toBe(22);
  });
});

describe('merging', () => {
  it('measures overlap', () => {
    expect(iou(det(0, 0, 10, 1).box, det(5, 0, 10, 1).box)).toBeCloseTo(50 / 150, 9);
    expect(containment(det(0, 0, 100, 1).box, det(10, 10, 20, 1).box)).toBe(1);
  });

  it('averages a cluster by score and drops parts of a bigger face', () => {
    const merged = mergeDetections([det(100, 100, 50, 0.9), det(104, 100, 50, 0.3), det(400, 0, 30, 0.8), det(110, 110, 20, 0.4)], 0.3);
    expect(merged.length).toBe(2);
    expect(merged[0].score).toBe(0.9);
    expect(merged[0].box.x).toBeCloseTo(101, 9);
    expect(merged[1].box.x).toBe(400);
  });
});
