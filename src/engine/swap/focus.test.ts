import { describe, expect, it } from 'vitest';
import { loadRaster } from '../../../test/load-raster.ts';
import { createRaster, type Raster } from '../image/raster.ts';
import { blurPass, edgeSharpness, matchFocus } from './focus.ts';
import { lumaOf, readRgb } from './patch.ts';

/** img24's face (eyes, glasses, nose, mouth, beard): sharp edges of every kind. */
const FACE = { x: 380, y: 380, width: 440, height: 480 };
const everywhere = () => true;

/** A raster of interleaved RGB samples (w x h). */
function rasterOf(rgb: Float32Array, width: number, height: number): Raster {
  const raster = createRaster(width, height);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) raster.data[p * 4 + c] = rgb[p * 3 + c];
    raster.data[p * 4 + 3] = 255;
  }
  return raster;
}

describe('edgeSharpness', () => {
  it('falls as a real face is blurred, whatever its contrast', async () => {
    const { width: w, height: h } = FACE;
    const luma = lumaOf(readRgb(await loadRaster('img24.jpg'), FACE));
    const sharpness = [edgeSharpness(luma, w, h, everywhere)];
    for (let pass = 0; pass < 4; pass++) {
      blurPass(luma, w, h, 1);
      sharpness.push(edgeSharpness(luma, w, h, everywhere));
    }
    for (let k = 1; k < sharpness.length; k++) expect(sharpness[k]).toBeLessThan(sharpness[k - 1]);
    // Most at the first pass: the finest detail goes first.
    expect(sharpness[1]).toBeLessThan(0.7 * sharpness[0]);
    // Half the contrast, the same sharpness.
    expect(edgeSharpness(luma.map((v) => 60 + v / 2), w, h, everywhere)).toBeCloseTo(sharpness[4], 2);
  });
});

describe('matchFocus', () => {
  /** img24's face (interleaved RGB) as it is, and blurred by `passes` [1 2 1] passes (two: sigma 1 px). */
  const faceAndBlurred = async (passes: number) => {
    const sharp = readRgb(await loadRaster('img24.jpg'), FACE);
    const soft = sharp.slice();
    for (let k = 0; k < passes; k++) blurPass(soft, FACE.width, FACE.height, 3);
    return { sharp, soft };
  };

  it("blurs a sharp face to a photo's softness, by as much as the photo was blurred", async () => {
    const { width: w, height: h } = FACE;
    // The photo: the same face blurred.
    const { sharp, soft } = await faceAndBlurred(2);
    const photo = rasterOf(soft, w, h);
    const rgb = sharp.slice();
    const sigma = matchFocus(rgb, photo, { x: 0, y: 0, width: w, height: h }, everywhere);
    expect(sigma).toBeGreaterThan(0.8);
    expect(sigma).toBeLessThan(1.25);
    const photoSharpness = edgeSharpness(lumaOf(soft), w, h, everywhere);
    expect(edgeSharpness(lumaOf(rgb), w, h, everywhere)).toBeCloseTo(photoSharpness, 1);
  });

  it('sharpens a face from an enlarged source towards a sharper photo, no further than the photo', async () => {
    const { width: w, height: h } = FACE;
    // An enlarged source's face: the photo's own blurred.
    const { sharp, soft } = await faceAndBlurred(2);
    const sharpness = (rgb: Float32Array) => edgeSharpness(lumaOf(rgb), w, h, everywhere);
    const photo = rasterOf(sharp, w, h);
    const sharpened = (enlargement: number) => {
      const rgb = soft.slice();
      expect(matchFocus(rgb, photo, { x: 0, y: 0, width: w, height: h }, everywhere, enlargement)).toBe(0);
      return sharpness(rgb);
    };
    const [before, twice, slightly] = [sharpness(soft), sharpened(2), sharpened(1.1)];
    // 0.34 before, 0.38 after: the most it takes (its lost finest detail is not back).
    expect(twice).toBeGreaterThan(before * 1.1);
    expect(twice).toBeLessThanOrEqual(sharpness(sharp));
    // A source hardly enlarged is as sharp as it is.
    expect(slightly).toBe(before);
  });

  it('leaves a face no sharper than the photo as it is', async () => {
    const { width: w, height: h } = FACE;
    const { sharp, soft } = await faceAndBlurred(1);
    // A soft face on the sharp photo (its source not enlarged), and the photo's own face on it.
    for (const [face, photo] of [[soft, sharp], [sharp, sharp]]) {
      const rgb = face.slice();
      expect(matchFocus(rgb, rasterOf(photo, w, h), { x: 0, y: 0, width: w, height: h }, everywhere)).toBe(0);
      expect(rgb.every((v, i) => v === face[i])).toBe(true);
    }
  });
});
