import { describe, expect, it } from 'vitest';
import { medianFineDetail, rasterLuma } from '../../../test/fine-detail.ts';
import { loadRaster } from '../../../test/load-raster.ts';
import { createRaster, cropRaster, type Raster } from '../image/raster.ts';
import { bendPicture } from './bend.ts';

/** A 200 x 200 picture, dark above y = 100 and light below (an edge, like a jaw line against a collar). */
function edgePicture(): Raster {
  const image = createRaster(200, 200);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < 200; x++) {
      const p = (y * 200 + x) * 4;
      image.data.fill(y < 100 ? 40 : 220, p, p + 3);
      image.data[p + 3] = 255;
    }
  }
  return image;
}

/** Where the edge crosses column x: the first row, from the top, lighter than half-way (sub-pixel). */
function edgeAt(image: Raster, x: number): number {
  for (let y = 1; y < image.height; y++) {
    const v = image.data[(y * image.width + x) * 4];
    const above = image.data[((y - 1) * image.width + x) * 4];
    if (v >= 130 && above < 130) return y - 1 + (130 - above) / (v - above) + 0.5;
  }
  return NaN;
}

/** 24 points on a circle of `radius` around (cx, cy), as flat x, y pairs. */
function circle(cx: number, cy: number, radius: number): number[] {
  return Array.from({ length: 24 }, (_, k) => [cx + radius * Math.cos((k / 12) * Math.PI), cy + radius * Math.sin((k / 12) * Math.PI)]).flat();
}

describe('bendPicture', () => {
  // Points on a circle around the centre, all moved 8 px up; the ring, twice as wide, holds still.
  const from = [...circle(100, 100, 30), 100, 100];
  const to = [...circle(100, 92, 30), 100, 92];
  const ring = circle(100, 100, 70);

  it('moves what was at the points to their new places, and nothing past the ring', () => {
    const original = edgePicture();
    const image = edgePicture();
    const rect = bendPicture(image, from, to, { stride: 2, ring, cell: 3 });
    expect(edgeAt(image, 100)).toBeCloseTo(92, 0);
    expect(edgeAt(original, 100)).toBeCloseTo(100, 5);
    for (let y = 0; y < 200; y++) {
      for (let x = 0; x < 200; x++) {
        const within = x >= rect.x && y >= rect.y && x < rect.x + rect.width && y < rect.y + rect.height;
        const outsideRing = Math.hypot(x + 0.5 - 100, y + 0.5 - 100) > 70 * Math.cos(Math.PI / 24);
        if (!within || outsideRing) expect(image.data[(y * 200 + x) * 4], `${x},${y}`).toBe(original.data[(y * 200 + x) * 4]);
      }
    }
  });

  it('bends an edge it crosses into a smooth curve, without corners', () => {
    const image = edgePicture();
    bendPicture(image, from, to, { stride: 2, ring, cell: 3 });
    const rows = Array.from({ length: 140 }, (_, k) => edgeAt(image, 30 + k));
    // Every column's edge moves up by 0 (at the ring) to 8 (inside), and its curvature stays small everywhere.
    for (const y of rows) expect(y).toBeGreaterThan(91);
    for (const y of rows) expect(y).toBeLessThan(100.6);
    for (let k = 1; k + 1 < rows.length; k++) expect(Math.abs(rows[k - 1] - 2 * rows[k] + rows[k + 1]), `column ${30 + k}`).toBeLessThan(0.6);
  });

  it('keeps what it moves as sharp as it was: hair shifted by half a pixel keeps its fine detail', async () => {
    // img3's hair beside her cheek, every point moved half a pixel right and down (where resampling blurs most).
    const image = cropRaster(await loadRaster('img3.jpg'), { x: 380, y: 700, width: 200, height: 200 });
    const original = cropRaster(image, { x: 0, y: 0, width: 200, height: 200 });
    const points: number[] = [];
    for (let y = 40; y <= 160; y += 10) for (let x = 40; x <= 160; x += 10) points.push(x, y);
    const shifted = points.map((v) => v + 0.5);
    const square = [0, 0, 200, 0, 200, 200, 0, 200];
    bendPicture(image, points, shifted, { stride: 2, ring: square, cell: 4 });
    // Fine detail over the middle (where all moved alike).
    const fineDetail = (picture: Raster) => medianFineDetail(rasterLuma(picture), { x: 60, y: 60, width: 80, height: 80 });
    // 0.64 of the original's with bilinear samples, 0.80 with Catmull-Rom ones.
    expect(fineDetail(image)).toBeGreaterThan(0.75 * fineDetail(original));
  });

  it("brings nothing in from beyond the picture's edge: a face cut by it stretches, it does not smear into stripes", async () => {
    // img3's hair, a face's points around the bottom edge moving up 8 px: what comes to the last rows would lie past the
    // edge. Clamped to the last row, it repeated it down every column (row after row alike: 7 of the last 8).
    const image = cropRaster(await loadRaster('img3.jpg'), { x: 380, y: 700, width: 200, height: 200 });
    bendPicture(image, circle(100, 190, 40), circle(100, 182, 40), { stride: 2, ring: circle(100, 190, 90), cell: 3 });
    const row = (y: number) => image.data.subarray(y * 200 * 4 + 70 * 4, y * 200 * 4 + 130 * 4);
    // Of the last 8 rows, how many repeat the row above them, over the 60 columns around the middle.
    let repeats = 0;
    for (let y = 192; y < 200; y++) if (row(y).every((v, i) => v === row(y - 1)[i])) repeats++;
    expect(repeats).toBe(0);
    // And they did move: the last row is not the photo's.
    const original = cropRaster(await loadRaster('img3.jpg'), { x: 380, y: 700, width: 200, height: 200 });
    expect(row(150).some((v, i) => v !== original.data[150 * 800 + 280 + i])).toBe(true);
  });
});
