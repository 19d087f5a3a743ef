import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FACES_DIR, loadRaster } from '../../../test/load-raster.ts';
import { createRaster, type Raster } from '../image/raster.ts';
import { boundingRect } from './region.ts';
import {
  TRIANGLE_BACK_IN_DEST,
  TRIANGLE_BACK_IN_SOURCE,
  TRIANGLE_DEGENERATE,
  TRIANGLE_OUTSIDE,
  triangleAffine,
  warpTriangles,
} from './warp.ts';

/** A (cols+1) x (rows+1) grid of points over [x0, x0 + cols*step] x [y0, ...], two triangles per cell. */
function gridMesh(x0: number, y0: number, step: number, cols: number, rows: number): { pts: Float32Array; tris: Uint32Array } {
  const pts = new Float32Array((cols + 1) * (rows + 1) * 2);
  for (let j = 0; j <= rows; j++) {
    for (let i = 0; i <= cols; i++) {
      const k = (j * (cols + 1) + i) * 2;
      pts[k] = x0 + i * step;
      pts[k + 1] = y0 + j * step;
    }
  }
  const tris = new Uint32Array(cols * rows * 6);
  let t = 0;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const a = j * (cols + 1) + i;
      const b = a + 1;
      const c = a + cols + 1;
      const d = c + 1;
      // Alternate the diagonal so both orientations of shared edges are exercised.
      if ((i + j) % 2 === 0) tris.set([a, b, d, a, d, c], t);
      else tris.set([a, b, c, b, d, c], t);
      t += 6;
    }
  }
  return { pts, tris };
}

function noiseRaster(w: number, h: number, seed = 1): Raster {
  const r = createRaster(w, h);
  let s = seed;
  for (let i = 0; i < r.data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    r.data[i] = (i & 3) === 3 ? 255 : s >>> 24;
  }
  return r;
}

/** Reference bilinear sample with the same pixel-centre convention and clamped edges. */
function bilinear(img: Raster, u: number, v: number, c: number): number {
  const sx = u - 0.5;
  const sy = v - 0.5;
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const fx = sx - x0;
  const fy = sy - y0;
  const at = (x: number, y: number) => {
    const xx = Math.min(img.width - 1, Math.max(0, x));
    const yy = Math.min(img.height - 1, Math.max(0, y));
    return img.data[(yy * img.width + xx) * 4 + c];
  };
  return (1 - fy) * ((1 - fx) * at(x0, y0) + fx * at(x0 + 1, y0)) + fy * ((1 - fx) * at(x0, y0 + 1) + fx * at(x0 + 1, y0 + 1));
}

describe('triangleAffine', () => {
  it('maps each destination corner exactly onto its source corner', () => {
    const out = new Float64Array(6);
    const d = [10.5, 20.25, 130.75, 40.5, 60.125, 170.5];
    const s = [300.5, 12.5, 250.25, 210.75, 400.5, 90.125];
    expect(triangleAffine(d[0], d[1], d[2], d[3], d[4], d[5], s[0], s[1], s[2], s[3], s[4], s[5], out)).toBe(true);
    for (let k = 0; k < 3; k++) {
      const x = d[2 * k];
      const y = d[2 * k + 1];
      expect(out[0] * x + out[1] * y + out[2]).toBeCloseTo(s[2 * k], 9);
      expect(out[3] * x + out[4] * y + out[5]).toBeCloseTo(s[2 * k + 1], 9);
    }
  });

  it('refuses a degenerate destination triangle', () => {
    expect(triangleAffine(0, 0, 1, 1, 2, 2, 0, 0, 1, 0, 0, 1, new Float64Array(6))).toBe(false);
  });
});

describe('warpTriangles on synthetic meshes', () => {
  it('owns every pixel centre of a jittered mesh exactly once: no gaps, no double writes', () => {
    // Boundary on quarter pixels, interior vertices jittered and some exactly on pixel centres (ties).
    const { pts, tris } = gridMesh(3.25, 4.25, 16, 8, 6);
    let s = 7;
    const cols = 8;
    for (let j = 1; j < 6; j++) {
      for (let i = 1; i < cols; i++) {
        const k = (j * (cols + 1) + i) * 2;
        s = (s * 1103515245 + 12345) >>> 0;
        if (s % 3 === 0) {
          pts[k] = Math.round(pts[k]) + 0.5;
          pts[k + 1] = Math.round(pts[k + 1]) + 0.5;
        } else {
          pts[k] += ((s >>> 8) % 1000) / 100 - 5;
          pts[k + 1] += ((s >>> 18) % 1000) / 100 - 5;
        }
      }
    }
    const src = noiseRaster(200, 200);
    const rect = { x: 0, y: 0, width: 140, height: 110 };
    const all = warpTriangles(src, pts, pts, tris, rect);
    const even: number[] = [];
    const odd: number[] = [];
    for (let t = 0; t < tris.length / 3; t++) (t % 2 ? odd : even).push(tris[3 * t], tris[3 * t + 1], tris[3 * t + 2]);
    const a = warpTriangles(src, pts, pts, even, rect);
    const b = warpTriangles(src, pts, pts, odd, rect);
    let covered = 0;
    let split = 0;
    let expected = 0;
    for (let j = 0; j < rect.height; j++) {
      for (let i = 0; i < rect.width; i++) {
        const p = j * rect.width + i;
        covered += all.coverage[p];
        split += a.coverage[p] + b.coverage[p];
        const x = i + 0.5;
        const y = j + 0.5;
        if (x > 3.25 && x < 3.25 + 128 && y > 4.25 && y < 4.25 + 96) expected++;
      }
    }
    expect(covered).toBe(expected);
    expect(split).toBe(expected);
    expect(Array.from(all.status).every((f) => f === 0)).toBe(true);
  });

  it('puts the source pixel under a mapped vertex exactly at that vertex', () => {
    // Four triangles around a centre vertex on a pixel centre, mapped to a different place in the source.
    const dst = new Float32Array([10.5, 10.5, 30.5, 10.5, 30.5, 30.5, 10.5, 30.5, 20.5, 20.5]);
    const srcPts = new Float32Array([50.5, 5.5, 80.5, 12.5, 75.5, 48.5, 45.5, 40.5, 60.5, 33.5]);
    const tris = [0, 1, 4, 1, 2, 4, 2, 3, 4, 3, 0, 4];
    const src = noiseRaster(100, 60, 3);
    const res = warpTriangles(src, srcPts, dst, tris, { x: 0, y: 0, width: 40, height: 40 });
    const p = 20 * 40 + 20;
    expect(res.coverage[p]).toBe(1);
    for (let c = 0; c < 3; c++) expect(res.rgb[p * 3 + c]).toBeCloseTo(src.data[(33 * 100 + 60) * 4 + c], 3);
  });

  it('flags degenerate, back-facing and outside triangles and skips them', () => {
    const { pts, tris } = gridMesh(0, 0, 10, 2, 1);
    // tris: [0,1,4, 0,4,3] for cell 0 and [1,2,4, 2,5,4] for cell 1. Fold point 2 back over cell 0 in the destination.
    const dst = pts.slice();
    dst[2 * 2] = 5;
    const src = noiseRaster(40, 40);
    const res = warpTriangles(src, pts, dst, tris, { x: 0, y: 0, width: 30, height: 20 });
    expect(res.status[2] & TRIANGLE_BACK_IN_DEST).toBeTruthy();
    expect(res.status[0]).toBe(0);
    // Same fold in the source instead: the source does not show that triangle.
    const res2 = warpTriangles(src, dst, pts, tris, { x: 0, y: 0, width: 30, height: 20 });
    expect(res2.status[2] & TRIANGLE_BACK_IN_SOURCE).toBeTruthy();
    // Collapse a destination triangle to a line.
    const flat = pts.slice();
    flat[4 * 2 + 1] = 0;
    flat[4 * 2] = 10;
    const res3 = warpTriangles(src, pts, flat, [0, 1, 4], { x: 0, y: 0, width: 30, height: 20 });
    expect(res3.status[0]).toBe(TRIANGLE_DEGENERATE);
    expect(res3.coverage.every((v) => v === 0)).toBe(true);
    const res4 = warpTriangles(src, pts, pts, tris, { x: 100, y: 100, width: 10, height: 10 });
    expect(Array.from(res4.status).every((f) => f === TRIANGLE_OUTSIDE)).toBe(true);
  });

  it('fills holes in a second pass with onlyUncovered (e.g. a mirrored source triangle)', () => {
    const { pts, tris } = gridMesh(0.25, 0.25, 10, 2, 1);
    const src = noiseRaster(40, 40);
    const rect = { x: 0, y: 0, width: 20, height: 10 };
    const first = warpTriangles(src, pts, pts, Array.from(tris).slice(0, 9), rect);
    const holes = first.coverage.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
    expect(holes).toBeGreaterThan(0);
    // Fill the rest from mirrored source points (x -> 20.5 - x), which wind the other way: no source culling.
    const mirrored = pts.slice();
    for (let k = 0; k < mirrored.length; k += 2) mirrored[k] = 20.5 - mirrored[k];
    const before = first.rgb.slice();
    const coveredBefore = first.coverage.slice();
    const filled = warpTriangles(src, mirrored, pts, tris, rect, { into: first, onlyUncovered: true, cullSource: false, frontSign: 1 });
    expect(filled.status[3] & TRIANGLE_BACK_IN_SOURCE).toBeTruthy();
    expect(filled.coverage.every((v) => v === 1)).toBe(true);
    let changedHoles = 0;
    for (let p = 0; p < coveredBefore.length; p++) {
      if (coveredBefore[p]) for (let c = 0; c < 3; c++) expect(filled.rgb[p * 3 + c]).toBe(before[p * 3 + c]);
      else if (filled.rgb[p * 3] !== 0 || filled.rgb[p * 3 + 1] !== 0) changedHoles++;
    }
    expect(changedHoles).toBe(holes);
  });

  it('keeps the nearer of two overlapping triangles with depthTest', () => {
    const src = createRaster(4, 1);
    src.data.set([255, 0, 0, 255, 255, 0, 0, 255, 0, 0, 255, 255, 0, 0, 255, 255]);
    // Two identical destination triangles; the first samples blue (near, z=-5), the second red (far, z=5).
    const dst = new Float32Array([0, 0, -5, 20, 0, -5, 0, 20, -5, 0, 0, 5, 20, 0, 5, 0, 20, 5]);
    const srcPts = new Float32Array([3.5, 0.5, 3.9, 0.5, 3.5, 0.6, 0.5, 0.5, 1, 0.5, 0.5, 0.6]);
    const res = warpTriangles(src, srcPts, dst, [0, 1, 2, 3, 4, 5], { x: 0, y: 0, width: 20, height: 20 }, { dstStride: 3, depthTest: true });
    const p = 3 * 20 + 3;
    expect(res.rgb[p * 3 + 2]).toBeGreaterThan(200);
    expect(res.rgb[p * 3]).toBeLessThan(50);
  });

  it('renders the same pixels into a sub-rectangle as into the full one', () => {
    const { pts, tris } = gridMesh(2.5, 3.5, 12, 5, 5);
    const dst = pts.map((v, k) => (k % 2 ? v * 1.1 + 2 : v * 0.9 + 5));
    const src = noiseRaster(80, 80);
    const full = warpTriangles(src, pts, dst, tris, { x: 0, y: 0, width: 80, height: 80 });
    const rect = { x: 17, y: 23, width: 30, height: 25 };
    const part = warpTriangles(src, pts, dst, tris, rect);
    for (let j = 0; j < rect.height; j++) {
      for (let i = 0; i < rect.width; i++) {
        const pf = (rect.y + j) * 80 + rect.x + i;
        const pp = j * rect.width + i;
        expect(part.coverage[pp]).toBe(full.coverage[pf]);
        for (let c = 0; c < 3; c++) expect(Math.abs(part.rgb[pp * 3 + c] - full.rgb[pf * 3 + c])).toBeLessThan(1e-3);
      }
    }
  });
});

describe.skipIf(!existsSync(FACES_DIR))('warpTriangles on a real photo', () => {
  let photo: Raster;
  beforeAll(async () => {
    photo = await loadRaster('img1.jpg');
  });

  it('reproduces the image under an identity warp', () => {
    const { pts, tris } = gridMesh(400, 300, 25, 24, 32);
    const rect = { x: 400, y: 300, width: 600, height: 800 };
    const res = warpTriangles(photo, pts, pts, tris, rect);
    let maxErr = 0;
    let uncovered = 0;
    for (let j = 0; j < rect.height; j++) {
      for (let i = 0; i < rect.width; i++) {
        const p = j * rect.width + i;
        if (res.coverage[p] !== 1) uncovered++;
        const s = ((rect.y + j) * photo.width + rect.x + i) * 4;
        for (let c = 0; c < 3; c++) maxErr = Math.max(maxErr, Math.abs(res.rgb[p * 3 + c] - photo.data[s + c]));
      }
    }
    expect(uncovered).toBe(0);
    expect(maxErr).toBeLessThan(1e-3);
  });

  it('matches an analytic affine of a photo region within one level', () => {
    // Destination = A(source): rotation 12 degrees, scale 1.35, a little shear, a shift.
    const th = (12 * Math.PI) / 180;
    const A = [1.35 * Math.cos(th), -1.35 * Math.sin(th) + 0.1, 120, 1.35 * Math.sin(th), 1.35 * Math.cos(th), -80];
    const { pts, tris } = gridMesh(500, 450, 40, 10, 12);
    const dst = new Float32Array(pts.length);
    for (let k = 0; k < pts.length; k += 2) {
      dst[k] = A[0] * pts[k] + A[1] * pts[k + 1] + A[2];
      dst[k + 1] = A[3] * pts[k] + A[4] * pts[k + 1] + A[5];
    }
    const rect = boundingRect(dst, { pad: 2, clipWidth: photo.width, clipHeight: photo.height });
    const res = warpTriangles(photo, pts, dst, tris, rect);
    // Inverse of the 2x2 part for the analytic reference.
    const det = A[0] * A[4] - A[1] * A[3];
    let checked = 0;
    let worst = 0;
    for (let j = 0; j < rect.height; j++) {
      for (let i = 0; i < rect.width; i++) {
        const p = j * rect.width + i;
        if (!res.coverage[p]) continue;
        const x = rect.x + i + 0.5 - A[2];
        const y = rect.y + j + 0.5 - A[5];
        const u = (A[4] * x - A[1] * y) / det;
        const v = (-A[3] * x + A[0] * y) / det;
        for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(res.rgb[p * 3 + c] - bilinear(photo, u, v, c)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(300_000);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
