import { describe, expect, it } from 'vitest';
import { medianFineDetail } from '../../../test/fine-detail.ts';
import { loadRaster } from '../../../test/load-raster.ts';
import { createRaster } from '../image/raster.ts';
import { addGrain, matchGrain } from './grain.ts';
import { blurRgb, gaussianBlur } from './mask.ts';
import { lumaOf, readRgb } from './patch.ts';

/** Fine detail over `rect` of a w-wide luma plane. */
const fineDetail = (luma: Float32Array, w: number, rect: { x: number; y: number; width: number; height: number }) => medianFineDetail((x, y) => luma[y * w + x], rect);

/**
 * `rect` of a photo and the same blurred (a new face there from a soft or enlarged source), and the fine detail of
 * either's luma but for the edge pixels.
 */
const photoAndSoftened = async (name: string, rect: { x: number; y: number; width: number; height: number }) => {
  const image = await loadRaster(name);
  const original = readRgb(image, rect);
  const inner = { x: 1, y: 1, width: rect.width - 2, height: rect.height - 2 };
  return { image, original, soft: blurRgb(original, rect.width, rect.height, 2), detail: (rgb: Float32Array) => fineDetail(lumaOf(rgb), rect.width, inner) };
};

describe('addGrain', () => {
  it("gives a smoothed patch of real skin a grain as fine as the skin's around it, and leaves the rest alone", async () => {
    // img26's cheek (powdered, fine pores), its middle smoothed as a fill leaves it.
    const image = await loadRaster('img26.jpg');
    const rect = { x: 470, y: 700, width: 160, height: 160 };
    const rgb = readRgb(image, rect);
    const original = rgb.slice();
    const { width: w, height: h } = rect;
    const patch = { x: 50, y: 50, width: 60, height: 60 };
    const smooth = blurRgb(rgb, w, h, 4);
    const weight = new Float32Array(w * h);
    const reference = new Float32Array(w * h).fill(1);
    for (let y = patch.y; y < patch.y + patch.height; y++) {
      for (let x = patch.x; x < patch.x + patch.width; x++) {
        const p = y * w + x;
        for (let c = 0; c < 3; c++) rgb[p * 3 + c] = smooth[p * 3 + c];
        weight[p] = 1;
        reference[p] = 0;
      }
    }
    const inner = { x: patch.x + 2, y: patch.y + 2, width: patch.width - 4, height: patch.height - 4 };
    const skin = fineDetail(lumaOf(original), w, inner);
    expect(fineDetail(lumaOf(rgb), w, inner)).toBeLessThan(skin * 0.3);
    const before = rgb.slice();
    addGrain(rgb, w, h, [{ x: patch.x - 2, y: patch.y - 2, width: patch.width + 4, height: patch.height + 4 }], (p) => weight[p], (p) => reference[p] === 1);
    const grained = fineDetail(lumaOf(rgb), w, inner);
    expect(grained).toBeGreaterThan(skin * 0.7);
    expect(grained).toBeLessThan(skin * 1.4);
    // Luminance only, and nothing where no weight asks.
    for (let p = 0; p < w * h; p++) {
      const [dr, dg, db] = [0, 1, 2].map((c) => rgb[p * 3 + c] - before[p * 3 + c]);
      if (weight[p] === 0) expect(dr === 0 && dg === 0 && db === 0).toBe(true);
      else expect(Math.abs(dr - dg) + Math.abs(dg - db)).toBeLessThan(1e-3);
    }
  });

  it("gives a face smoother than the target photo's skin that skin's grain, and leaves one as grainy alone", async () => {
    // img26's cheek as the target photo; the new face there, the same cheek blurred (a soft or enlarged source's).
    const rect = { x: 470, y: 700, width: 160, height: 160 };
    const { width: w, height: h } = rect;
    const { image, original, soft, detail } = await photoAndSoftened('img26.jpg', rect);
    const skin = detail(original);
    expect(detail(soft)).toBeLessThan(skin * 0.3);
    matchGrain(soft, image, rect, () => true, () => 1, () => 1);
    const grained = detail(soft);
    expect(grained).toBeGreaterThan(skin * 0.7);
    expect(grained).toBeLessThan(skin * 1.4);
    // A face as grainy as the photo takes none; nor does any where no weight asks.
    const changed = (a: Float32Array, b: Float32Array) => a.filter((v, k) => v !== b[k]).length;
    const sharp = original.slice();
    matchGrain(sharp, image, rect, () => true, () => 1, () => 1);
    expect(changed(sharp, original)).toBe(0);
    const unasked = blurRgb(original, w, h, 2);
    const before = unasked.slice();
    matchGrain(unasked, image, rect, () => true, () => 0, () => 0);
    expect(changed(unasked, before)).toBe(0);
  });

  it("gives a small face the photo's noise, pixel by pixel, not blotches", async () => {
    // selfie-many-people.jpg's wall, noisy as the skin of its 100 px faces is; the new face there, the wall blurred.
    // Grain of pores a pixel or two across, as strong by the fine-detail measure, was 3.6 times as strong as the
    // photo's noise at 2-4 px across: dark blotches over the face.
    const rect = { x: 20, y: 20, width: 100, height: 100 };
    const { width: w, height: h } = rect;
    const { image, original, soft, detail } = await photoAndSoftened('selfie-many-people.jpg', rect);
    matchGrain(soft, image, rect, () => true, () => 1);
    const noise = detail(original);
    const grained = detail(soft);
    expect(grained).toBeGreaterThan(noise * 0.7);
    expect(grained).toBeLessThan(noise * 1.4);
    /** The median size of the luma's detail 2-4 px across (its blur by 1 px less its blur by 2.5 px), off the edges. */
    const blotches = (rgb: Float32Array) => {
      const luma = lumaOf(rgb);
      const [fine, coarse] = [gaussianBlur(luma, w, h, 1), gaussianBlur(luma, w, h, 2.5)];
      const sizes: number[] = [];
      for (let y = 8; y < h - 8; y++) for (let x = 8; x < w - 8; x++) sizes.push(Math.abs(fine[y * w + x] - coarse[y * w + x]));
      return sizes.sort((a, b) => a - b)[sizes.length >> 1];
    };
    expect(blotches(soft)).toBeLessThan(blotches(original) * 1.5);
  });

  it("softens the skin of a face far grainier than the target photo's, and only where asked", async () => {
    // img26's cheek, lightly blurred, as a soft (or retouched) target photo; the new face, the sharp cheek.
    const image = await loadRaster('img26.jpg');
    const rect = { x: 470, y: 700, width: 160, height: 160 };
    const { width: w, height: h } = rect;
    const sharp = readRgb(image, rect);
    const blurred = blurRgb(sharp, w, h, 0.7);
    const photo = createRaster(w, h);
    for (let p = 0; p < w * h; p++) {
      for (let c = 0; c < 3; c++) photo.data[p * 4 + c] = blurred[p * 3 + c];
      photo.data[p * 4 + 3] = 255;
    }
    const inner = { x: 1, y: 1, width: w - 2, height: h - 2 };
    const [own, softSkin] = [fineDetail(lumaOf(sharp), w, inner), fineDetail(lumaOf(readRgb(photo, { x: 0, y: 0, width: w, height: h })), w, inner)];
    expect(softSkin).toBeLessThan(own * 0.6);
    const face = sharp.slice();
    matchGrain(face, photo, { x: 0, y: 0, width: w, height: h }, () => true, () => 1, () => 1);
    const softened = fineDetail(lumaOf(face), w, inner);
    expect(softened).toBeGreaterThan(softSkin * 0.75);
    expect(softened).toBeLessThan(softSkin * 1.3);
    // Not where the skin weight is 0 (the eyes, the lips' edges).
    const features = sharp.slice();
    matchGrain(features, photo, { x: 0, y: 0, width: w, height: h }, () => true, () => 1, () => 0);
    expect(features.every((v, k) => v === sharp[k])).toBe(true);
  });
});
