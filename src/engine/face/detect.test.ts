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
  it('has 896 anchors at 256×256: 16 px grid ×2, then 32 px grid ×6', () => {
    const a = blazeFaceAnchors(256, 256);
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[1022], a[1023]]).toEqual([248, 248]);
    expect([a[1024], a[1025]]).toEqual([16, 16]);
    expect([a[1790], a[1791]]).toEqual([240, 240]);
  });

  it('lays anchors row by row, then by anchor of a cell, at any input size', () => {
    const a = blazeFaceAnchors(512, 288);
    // 32 × 18 cells of 16 px with 2 anchors, then 16 × 9 cells of 32 px with 6.
    expect(a.length).toBe(2 * (2 * 32 * 18 + 6 * 16 * 9));
    const at = (i: number) => [a[2 * i], a[2 * i + 1]];
    expect([at(1), at(2), at(2 * 32)]).toEqual([[8, 8], [24, 8], [8, 24]]);
    expect(at(2 * 32 * 18 - 1)).toEqual([504, 280]);
    const coarse = 2 * 32 * 18;
    expect([at(coarse), at(coarse + 5), at(coarse + 6), at(coarse + 6 * 16)]).toEqual([[16, 16], [16, 16], [48, 16], [16, 48]]);
    expect(at(a.length / 2 - 1)).toEqual([496, 272]);
  });

  it('joins the split outputs, 16 px grid first', () => {
    const fill = (n: number, w: number, v: number) => ({ data: new Float32Array(n * w).fill(v), dims: [1, n, w] });
    const table = blazeFaceTable({ a: fill(384, 16, 4), b: fill(512, 1, 1), c: fill(384, 1, 3), d: fill(512, 16, 2) }, 256, 256);
    expect(table.length).toBe(896 * 17);
    expect([table[0], table[1], table[16]]).toEqual([1, 2, 2]);
    expect([table[512 * 17], table[512 * 17 + 1]]).toEqual([3, 4]);
    const wide = blazeFaceTable({ a: fill(864, 16, 4), b: fill(1152, 1, 1), c: fill(864, 1, 3), d: fill(1152, 16, 2) }, 512, 288);
    expect(wide.length).toBe(2016 * 17);
    expect([wide[1151 * 17], wide[1152 * 17], wide[2016 * 17 - 1]]).toEqual([1, 3, 4]);
  });

  it('reads each picture of a batch', () => {
    const fill = (n: number, w: number, v: number) => ({ data: new Float32Array(2 * n * w).fill(v, n * w), dims: [2, n, w] });
    const outputs = { a: fill(384, 16, 4), b: fill(512, 1, 1), c: fill(384, 1, 3), d: fill(512, 16, 2) };
    expect(blazeFaceTable(outputs, 256, 256, 0).every((v) => v === 0)).toBe(true);
    const second = blazeFaceTable(outputs, 256, 256, 1);
    expect([second[0], second[1], second[512 * 17], second[896 * 17 - 1]]).toEqual([1, 2, 3, 4]);
  });
});

describe('windows', () => {
  const sizes = (w: number, h: number, options = {}) => planWindows(w, h, options).map((win) => [win.width, win.height]);

  it('letterboxes the whole picture into the first window', () => {
    const [whole] = planWindows(1920, 1080);
    const back = invertAffine(whole.toInput);
    expect([whole.width, whole.height, whole.maxFace]).toEqual([256, 256, Infinity]);
    expect(applyAffine(back, 0, 0)).toEqual([expect.closeTo(0, 6), expect.closeTo(-420, 6)]);
    expect(applyAffine(back, 256, 256)).toEqual([expect.closeTo(1920, 6), expect.closeTo(1500, 6)]);
  });

  it('runs the whole picture once per level: 2 runs at 1080p, 3 at 4K', () => {
    expect(sizes(1920, 1080)).toEqual([[256, 256], [544, 320]]);
    expect(sizes(3840, 2160)).toEqual([[256, 256], [544, 320], [1056, 608]]);
    expect(sizes(1080, 1920)).toEqual([[256, 256], [320, 544]]);
    // Level 1 runs from a 256 px long side on (enlarging up to twice), level 2 from 2048 px; smaller pictures need fewer.
    expect(sizes(600, 604)).toEqual([[256, 256], [544, 544]]);
    expect(sizes(400, 400)).toEqual([[256, 256], [544, 544]]);
    expect(sizes(255, 200)).toEqual([[256, 256]]);
    expect(sizes(2280, 1588)).toEqual([[256, 256], [544, 416], [1056, 768]]);
    expect(sizes(2000, 1500)).toEqual([[256, 256], [544, 416]]);
    expect(sizes(3840, 2160, { levels: 1 })).toEqual([[256, 256], [544, 320]]);
    expect(planWindows(3840, 2160).map((win) => win.maxFace)).toEqual([Infinity, 128, 64]);
  });

  it('covers every point of the picture at each level, its long side at 256·2^k px inside a black border', () => {
    for (const [w, h] of [[3840, 2160], [1920, 1080], [2280, 1588], [600, 604], [1080, 1920], [333, 250]]) {
      planWindows(w, h).forEach((win, k) => {
        const name = `${w}x${h} level ${k}`;
        expect([win.width % 32, win.height % 32], name).toEqual([0, 0]);
        const [x0, y0] = applyAffine(win.toInput, 0, 0);
        const [x1, y1] = applyAffine(win.toInput, w, h);
        expect(Math.max(x1 - x0, y1 - y0), name).toBeCloseTo(256 * 2 ** k, 6);
        // Level 0 is letterboxed (no border along the long side); finer levels keep 16 to 32 px each side.
        const [least, most] = k === 0 ? [0, 128] : [16, 32];
        for (const border of [x0, y0, win.width - x1, win.height - y1]) {
          expect(border, name).toBeGreaterThanOrEqual(least - 1e-6);
          expect(border, name).toBeLessThan(most);
        }
      });
    }
  });

  it('adds square 256 px windows for rotations after the upright whole picture', () => {
    const windows = planWindows(1920, 1080, { rotations: [-30, 30] });
    expect(windows.map((win) => [win.width, win.height])).toEqual([[256, 256], [256, 256], [256, 256], [544, 320]]);
    const back = invertAffine(windows[2].toInput);
    expect(applyAffine(back, 128, 128)).toEqual([expect.closeTo(960, 6), expect.closeTo(540, 6)]);
    expect(applyAffine(back, 256, 128)[1]).toBeGreaterThan(540 + 100);
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

  it('keeps readings of one place at rolls far apart for the mesh to tell, and only the surer one of opposite rolls', () => {
    const turned = (d: Detection, degrees: number): Detection => ({ ...d, angle: (degrees * Math.PI) / 180 });
    // A face at 270 degrees, seen so by the whole picture and as upright by a finer level: averaged, they gave -40.
    const onItsSide = mergeDetections([turned(det(100, 100, 50, 0.88), -20), turned(det(104, 96, 52, 0.79), -95)], 0.3);
    expect(onItsSide.map((d) => Math.round((d.angle * 180) / Math.PI))).toEqual([-20, -95]);
    // A face upside down, seen upright less surely than upside down.
    const upsideDown = mergeDetections([turned(det(100, 100, 50, 0.61), -8), turned(det(100, 110, 50, 0.82), 177)], 0.3);
    expect(upsideDown.length).toBe(1);
    expect(Math.round((upsideDown[0].angle * 180) / Math.PI)).toBe(177);
    // Read upright by a finer level and on its side by the whole picture (img19 at 90 degrees): not opposite, both kept.
    expect(mergeDetections([turned(det(100, 100, 50, 0.85), -9), turned(det(100, 110, 50, 0.8), 95)], 0.3).length).toBe(2);
    // A small face inside a big box read the other way up is another face.
    expect(mergeDetections([turned(det(0, 0, 400, 0.7), 180), det(100, 100, 40, 0.5)], 0.3).length).toBe(2);
  });
});
