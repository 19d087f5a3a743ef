import { existsSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { FACES_DIR, hasModels, loadRaster } from '../../../test/load-raster.ts';
import { analyzeFaces } from '../face/analyze.ts';
import { FACE_OVAL } from '../face/regions.ts';
import type { Raster } from '../image/raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { giveTint, labToRgb, linearToSrgb, maskedStats, matchColourStats, monochromeTint, rgbToLab, srgbToLinear, type ColourMatchOptions } from './colour.ts';
import { rasterizePolygon } from './mask.ts';
import { readRgb } from './patch.ts';
import { boundingRect, type Rect } from './region.ts';
import { ellipse } from '../../../test/shapes.ts';

describe('colour spaces', () => {
  it('round-trips sRGB through linear light and L*a*b*', () => {
    for (let v = 0; v <= 255; v += 0.37) expect(linearToSrgb(srgbToLinear(v))).toBeCloseTo(v, 1);
    const rgb = new Float32Array(3 * 1000);
    let s = 3;
    for (let i = 0; i < rgb.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      rgb[i] = (s >>> 16) % 256;
    }
    const back = labToRgb(rgbToLab(rgb));
    let worst = 0;
    for (let i = 0; i < rgb.length; i++) worst = Math.max(worst, Math.abs(back[i] - rgb[i]));
    expect(worst).toBeLessThan(0.1);
  });

  it('puts white, black and sRGB red where CIE puts them', () => {
    const lab = rgbToLab(new Float32Array([255, 255, 255, 0, 0, 0, 255, 0, 0]));
    expect(lab[0]).toBeCloseTo(100, 1);
    expect(Math.abs(lab[1])).toBeLessThan(0.05);
    expect(lab[3]).toBeCloseTo(0, 3);
    expect(lab[6]).toBeCloseTo(53.24, 0);
    expect(lab[7]).toBeCloseTo(80.09, 0);
    expect(lab[8]).toBeCloseTo(67.2, 0);
  });
});

describe.skipIf(!existsSync(FACES_DIR))('matchColourStats on real faces', () => {
  /** A photo's face: the photo, the rectangle read, and the ellipse (cx, cy, rx, ry in photo px) whose statistics count. */
  type FaceCrop = [name: string, rect: Rect, oval: [number, number, number, number]];
  /** The source face coloured like the target face: both crops, their masks, and the source in L*a*b* before and after. */
  const transferred = async ([sName, sRect, sOval]: FaceCrop, [tName, tRect, tOval]: FaceCrop, options: ColourMatchOptions) => {
    const src = readRgb(await loadRaster(sName), sRect);
    const tgt = readRgb(await loadRaster(tName), tRect);
    const sMask = rasterizePolygon(ellipse(...sOval), sRect);
    const tMask = rasterizePolygon(ellipse(...tOval), tRect);
    return { tgt, sMask, tMask, before: rgbToLab(src), after: rgbToLab(matchColourStats(src, sMask, tgt, tMask, options)) };
  };

  it('gives the masked source the target face statistics', async () => {
    const srcImg = await loadRaster('img3.jpg');
    const tgtImg = await loadRaster('img1.jpg');
    const sRect = { x: 500, y: 550, width: 560, height: 640 };
    const tRect = { x: 480, y: 380, width: 480, height: 620 };
    const src = readRgb(srcImg, sRect);
    const tgt = readRgb(tgtImg, tRect);
    // Grade the target as if lit by dim, warm light so the two faces differ clearly.
    for (let q = 0; q < tgt.length; q += 3) {
      tgt[q] *= 0.85;
      tgt[q + 1] *= 0.75;
      tgt[q + 2] *= 0.55;
    }
    const sMask = rasterizePolygon(ellipse(780, 860, 230, 290), sRect);
    const tMask = rasterizePolygon(ellipse(720, 690, 200, 280), tRect);
    const out = matchColourStats(src, sMask, tgt, tMask, { contrastRange: [0.25, 4], gainRange: [0.25, 4] });
    const got = maskedStats(rgbToLab(out), sMask);
    const want = maskedStats(rgbToLab(tgt), tMask);
    const before = maskedStats(rgbToLab(src), sMask);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(got.mean[c] - want.mean[c])).toBeLessThan(1);
      expect(Math.abs(got.std[c] / want.std[c] - 1)).toBeLessThan(0.04);
    }
    // The photos really differ, so the test means something.
    expect(Math.abs(before.mean[0] - want.mean[0]) + Math.abs(before.mean[2] - want.mean[2])).toBeGreaterThan(15);
    // Half strength moves the means half way.
    const half = maskedStats(rgbToLab(matchColourStats(src, sMask, tgt, tMask, { strength: 0.5, contrastRange: [0.25, 4], gainRange: [0.25, 4] })), sMask);
    expect(half.mean[0]).toBeCloseTo((before.mean[0] + want.mean[0]) / 2, 0);
  });

  it('keeps dark hair its colour when the skin around it changes colour', async () => {
    // img24 (brown skin, black beard) coloured like img26 (pale pink skin): the b* shift that makes the skin pink
    // would make the beard blue.
    const { tgt, sMask, tMask, before, after } = await transferred(
      ['img24.jpg', { x: 335, y: 297, width: 530, height: 630 }, [600, 612, 200, 260]],
      ['img26.jpg', { x: 398, y: 374, width: 589, height: 655 }, [692, 700, 230, 280]],
      { gainRange: [0.75, 1.33] },
    );
    const meanL = maskedStats(before, sMask).mean[0];
    const dark = sMask.map((m, p) => (m > 0.5 && before[p * 3] < 25 ? 1 : 0));
    const light = sMask.map((m, p) => (m > 0.5 && before[p * 3] >= meanL ? 1 : 0));
    expect(dark.reduce((a, b) => a + b, 0)).toBeGreaterThan(10000);
    // The beard stays warm (b* > 0; a plain Reinhard shift takes it to about -9), while the skin's b* moves as far as
    // the two faces' means are apart (~20).
    expect(maskedStats(after, dark).mean[2]).toBeGreaterThan(0);
    const shift = maskedStats(rgbToLab(tgt), tMask).mean[2] - maskedStats(before, sMask).mean[2];
    const moved = maskedStats(after, light).mean[2] - maskedStats(before, light).mean[2];
    expect(shift).toBeLessThan(-15);
    expect(moved / shift).toBeGreaterThan(0.85);
  });

  it('gives skin in shade the same change of colour as the lit skin beside it (img24 -> img26)', async () => {
    // img24's shaded skin (0.75 to 0.95 of the face's mean lightness: the sides of his nose, under his eyes, his
    // cheeks' far parts) moved 0.84 as far in b* as his lit skin when a pixel's share scaled from the mean down (0.99
    // now).
    const { sMask, before, after } = await transferred(
      ['img24.jpg', { x: 335, y: 297, width: 530, height: 630 }, [600, 612, 200, 260]],
      ['img26.jpg', { x: 398, y: 374, width: 589, height: 655 }, [692, 700, 230, 280]],
      { gainRange: [0.75, 1.33] },
    );
    const meanL = maskedStats(before, sMask).mean[0];
    const band = (lo: number, hi: number) => sMask.map((m, p) => (m > 0.5 && before[p * 3] >= lo * meanL && before[p * 3] < hi * meanL ? 1 : 0));
    const [shaded, lit] = [band(0.75, 0.95), band(1, Infinity)];
    expect(shaded.reduce((a, b) => a + b, 0)).toBeGreaterThan(10000);
    const moved = (region: Float32Array) => maskedStats(after, region).mean[2] - maskedStats(before, region).mean[2];
    expect(moved(shaded) / moved(lit)).toBeGreaterThan(0.95);
  });

  it("keeps a highlight's texture when the face is brightened: no skin pushed to white (img67 -> img13)", async () => {
    // img67's face, lit from above with a bright patch on its cheek, coloured like img13's much lighter one.
    const sRect = { x: 372, y: 357, width: 210, height: 237 };
    const src = readRgb(await loadRaster('img67.jpg'), sRect);
    const { sMask, before, after } = await transferred(
      ['img67.jpg', sRect, [477, 475, 90, 110]],
      ['img13.jpg', { x: 785, y: 258, width: 412, height: 507 }, [991, 511, 170, 220]],
      { contrastRange: [0.75, 1.6], gainRange: [0.75, 1.33] },
    );
    const out = labToRgb(after);
    let white = 0, counted = 0;
    for (let p = 0; p < sMask.length; p++) {
      if (!(sMask[p] > 0.5) || Math.max(src[p * 3], src[p * 3 + 1], src[p * 3 + 2]) >= 254) continue;
      counted++;
      if (Math.max(out[p * 3], out[p * 3 + 1], out[p * 3 + 2]) >= 254.5) white++;
    }
    // 2.0 % of the skin reaches white in some channel (a saturated red can); 8.5 % when lightness was clipped at 100.
    expect(white / counted).toBeLessThan(0.04);
    // The face really is brightened a lot (mean L* 62 -> 77).
    expect(maskedStats(after, sMask).mean[0] - maskedStats(before, sMask).mean[0]).toBeGreaterThan(10);
  });

  it('keeps shading its ratio to the skin around it on a darker face', async () => {
    // img22 (pale, a soft shadow beside the nose) coloured like img24 (brown skin): an offset of lightness deepens
    // the shadow into a brown band.
    const { sMask, before, after } = await transferred(
      ['img22.jpg', { x: 767, y: 220, width: 281, height: 317 }, [907, 390, 110, 140]],
      ['img24.jpg', { x: 335, y: 297, width: 530, height: 630 }, [600, 612, 200, 260]],
      { contrastRange: [1, 1], gainRange: [0.75, 1.33] },
    );
    const meanBefore = maskedStats(before, sMask).mean[0];
    const meanAfter = maskedStats(after, sMask).mean[0];
    const shade = sMask.map((m, p) => (m > 0.5 && before[p * 3] < 0.9 * meanBefore ? 1 : 0));
    expect(shade.reduce((a, b) => a + b, 0)).toBeGreaterThan(1000);
    // The target really is much darker.
    expect(meanAfter / meanBefore).toBeLessThan(0.75);
    const ratioBefore = maskedStats(before, shade).mean[0] / meanBefore;
    const ratioAfter = maskedStats(after, shade).mean[0] / meanAfter;
    expect(Math.abs(ratioAfter - ratioBefore)).toBeLessThan(0.01);
  });

  it('changes the spread of lightness only as much as each pixel asks: the rest keeps its ratio to the mean', () => {
    // A patch of skin lightness around 60 and an eye's iris at 30, given a target twice as contrasty at the same mean.
    const grey = (values: number[]) => new Float32Array(values.flatMap((v) => [v, v, v]));
    const source = grey([50, 70, 50, 70, 30]);
    const skin = new Float32Array([1, 1, 1, 1, 0]);
    const target = grey([40, 80, 40, 80]);
    const options: ColourMatchOptions = { contrastRange: [0.5, 2] };
    const all = matchColourStats(source, skin, target, new Float32Array(4).fill(1), options);
    const some = matchColourStats(source, skin, target, new Float32Array(4).fill(1), { ...options, contrastWeight: skin });
    const lightness = (rgb: Float32Array, p: number) => rgbToLab(rgb.slice(p * 3, p * 3 + 3))[0];
    // The skin takes the target's spread either way; the iris, far from the mean, darkens with it only when asked.
    for (const out of [all, some]) expect(lightness(out, 1) - lightness(out, 0)).toBeGreaterThan(1.5 * (lightness(source, 1) - lightness(source, 0)));
    expect(lightness(all, 4)).toBeLessThan(lightness(source, 4) - 10);
    expect(lightness(some, 4)).toBeCloseTo(lightness(source, 4) * (lightness(some, 0) + lightness(some, 1)) / (lightness(source, 0) + lightness(source, 1)), 0);
  });

  it("matches the fine grain's spread alone when asked: slower shading keeps its ratio to the mean", () => {
    // A face lit evenly (a gentle slope, a fine grain) coloured like one lit hard (a steep slope, a grain twice as
    // strong): the target's spread is mostly its light.
    const [w, h] = [64, 8];
    const picture = (from: number, slope: number, grain: number) => {
      const rgb = new Float32Array(w * h * 3);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rgb.fill(from + (slope * x) / (w - 1) + grain * (-1) ** (x + y), (y * w + x) * 3, (y * w + x + 1) * 3);
      return rgb;
    };
    const source = picture(100, 30, 3);
    const target = picture(60, 120, 6);
    const all = new Float32Array(w * h).fill(1);
    const options: ColourMatchOptions = { contrastRange: [0.5, 4] };
    const fine = rgbToLab(matchColourStats(source, all, target, all, { ...options, fineDetail: { width: w, height: h, sigma: 2 } }));
    const whole = rgbToLab(matchColourStats(source, all, target, all, options));
    const before = rgbToLab(source.slice());
    const at = (lab: Float32Array, x: number) => lab[(4 * w + x) * 3];
    const grain = (lab: Float32Array, x: number) => Math.abs(at(lab, x) - at(lab, x + 1));
    const slope = (lab: Float32Array) => (at(lab, 55) + at(lab, 56)) / (at(lab, 8) + at(lab, 9));
    // The grain takes the target's strength; the slope stays as it was, where the whole spread matched steepens it.
    expect(grain(fine, 32) / grain(before, 32)).toBeGreaterThan(1.7);
    expect(Math.abs(slope(fine) - slope(before))).toBeLessThan(0.02);
    expect(slope(whole) - slope(before)).toBeGreaterThan(0.3);
  });
});

describe('matchColourStats and the tint of the source\'s shading', () => {
  it("leaves the tint that came with the source's shading behind, and keeps its fine detail's tint", () => {
    // A pale face lit from its right: the shadow side yellower (b* +6 over 25 of L*), with a fine grain of a* beside.
    const [w, h] = [64, 8];
    const source = new Float32Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const lightness = 60 + (25 * x) / (w - 1);
        source.set([lightness, 14 + 3 * (-1) ** (x + y), 16 + (6 * (85 - lightness)) / 25], (y * w + x) * 3);
      }
    }
    labToRgb(source, source);
    // A brown face lit evenly.
    const target = labToRgb(new Float32Array(w * h * 3).map((_, q) => [55, 18 + 2 * (-1) ** Math.floor(q / 3), 24 + 2 * (-1) ** Math.floor(q / 3)][q % 3]));
    const all = new Float32Array(w * h).fill(1);
    const matched = (fineDetail?: { width: number; height: number; sigma: number }) => rgbToLab(matchColourStats(source, all, target, all, { fineDetail }));
    const at = (lab: Float32Array, x: number, c: number) => (lab[(4 * w + x) * 3 + c] + lab[(4 * w + x + 1) * 3 + c]) / 2;
    const shadowTint = (lab: Float32Array) => at(lab, 2, 2) - at(lab, 60, 2);
    // Matched over the whole, the shadow stays as much yellower; matched with its shading apart, it is not.
    expect(shadowTint(matched())).toBeGreaterThan(4);
    const apart = matched({ width: w, height: h, sigma: 2 });
    expect(Math.abs(shadowTint(apart))).toBeLessThan(1);
    // The face is still shaded (flatter, as the target is lit evenly), and its fine a* grain is kept.
    expect(at(apart, 60, 0) - at(apart, 2, 0)).toBeGreaterThan(5);
    const grain = (lab: Float32Array) => Math.abs(lab[(4 * w + 32) * 3 + 1] - lab[(4 * w + 33) * 3 + 1]);
    expect(grain(apart)).toBeCloseTo(grain(matched()), 1);
  });
});

describe.skipIf(!hasModels('blazeface', 'facemesh'))('monochromeTint', () => {
  const version = async (name: string, how: 'colour' | 'grey' | 'sepia') => {
    let pipeline = sharp(`${FACES_DIR}/${name}`);
    if (how === 'grey') pipeline = pipeline.grayscale().toColourspace('srgb');
    if (how === 'sepia') pipeline = pipeline.tint({ r: 180, g: 140, b: 100 });
    return loadRaster(sharp(await pipeline.jpeg({ quality: 85 }).toBuffer()));
  };
  /** The rectangle a swap onto the photo's largest face works in (its mesh's outline, 4 px out). */
  const faceRect = async (image: Raster) => {
    const faces = await analyzeFaces(createNodeBackend(), image, 'target', { skipEmbedding: true, iris: false });
    const face = faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));
    return boundingRect(face.mesh, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: image.width, clipHeight: image.height });
  };

  it('tells black-and-white and sepia faces from colour ones', async () => {
    for (const name of ['img3.jpg', 'img20.jpg', 'img24.jpg', 'img38.jpg']) {
      const colour = await version(name, 'colour');
      const rect = await faceRect(colour);
      expect(monochromeTint(colour, rect)).toBeNull();
      const grey = monochromeTint(await version(name, 'grey'), rect);
      expect(grey).not.toBeNull();
      for (const v of grey!) expect(Math.abs(v)).toBeLessThan(1);
      const sepia = monochromeTint(await version(name, 'sepia'), rect);
      expect(sepia).not.toBeNull();
      // Warm (b* above 0) wherever the photo is neither black nor white.
      for (let band = 4; band < 18; band++) expect(sepia![band * 2 + 1]).toBeGreaterThan(3);
    }
  });

  it('gives pixels the tint of their lightness, and keeps their lightness', async () => {
    const colour = await version('img24.jpg', 'colour');
    const rect = await faceRect(colour);
    const tint = monochromeTint(await version('img24.jpg', 'sepia'), rect)!;
    const rgb = readRgb(colour, rect);
    const lightness = rgbToLab(rgb).filter((_, k) => k % 3 === 0);
    giveTint(rgb, tint);
    const lab = rgbToLab(rgb);
    let worstL = 0;
    const offTint: number[] = [];
    for (let p = 0, q = 0; p < lightness.length; p++, q += 3) {
      worstL = Math.max(worstL, Math.abs(lab[q] - lightness[p]));
      // Between the two bands' tints around its lightness.
      const at = Math.min(20, Math.max(0, lab[q] / 5 - 0.5));
      const band = Math.min(19, Math.floor(at)), f = at - band;
      const [a, b] = [0, 1].map((k) => tint[band * 2 + k] + f * (tint[band * 2 + 2 + k] - tint[band * 2 + k]));
      offTint.push(Math.hypot(lab[q + 1] - a, lab[q + 2] - b));
    }
    offTint.sort((a, b) => a - b);
    expect(worstL).toBeLessThan(1.5);
    // Within 2 of it but for 1 in 100 (1.6 at the 99th percentile): the lightest and darkest pixels' tint lies just
    // outside what sRGB holds.
    expect(offTint[Math.floor(offTint.length * 0.99)]).toBeLessThan(2);
  });
});

describe('matchColourStats and what is less coloured than the skin', () => {
  it("keeps an eye's white near grey and gives a highlight on skin the skin's tint: neither takes the opposite of the skin's shift", () => {
    // A yellow face with a white patch in its middle (a highlight, or an eye's white), onto a pale pink face.
    const [w, h] = [32, 32];
    const grain = (p: number) => ((p * 7919) % 5) - 2;
    const source = labToRgb(new Float32Array(w * h * 3).map((_, q) => {
      const [p, c] = [Math.floor(q / 3), q % 3];
      const [x, y] = [p % w, Math.floor(p / w)];
      const white = Math.abs(x - 15.5) < 2 && Math.abs(y - 15.5) < 2;
      return (white ? [88, 2, 6] : [65, 10, 28])[c] + grain(p);
    }));
    const target = labToRgb(new Float32Array(w * h * 3).map((_, q) => [70, 14, 4][q % 3] + grain(Math.floor(q / 3) + 1)));
    const all = new Float32Array(w * h).fill(1);
    const fineDetail = { width: w, height: h, sigma: 3 };
    const middle = (skin: number) => {
      const lab = rgbToLab(matchColourStats(source, all, target, all, { fineDetail, skin: new Float32Array(w * h).fill(skin) }));
      const mean = [0, 0, 0];
      for (const [x, y] of [[15, 15], [16, 15], [15, 16], [16, 16]]) for (let c = 0; c < 3; c++) mean[c] += lab[(y * w + x) * 3 + c] / 4;
      return mean;
    };
    // Shifted as the skin is (b* -24, a* +4), the white came out bluer than either face: b* -4.
    const [, a, b] = middle(1);
    expect(Math.abs(a - 14)).toBeLessThan(3);
    expect(Math.abs(b - 4)).toBeLessThan(3);
    const [, whiteA, whiteB] = middle(0);
    expect(whiteB).toBeGreaterThan(-1);
    expect(Math.hypot(whiteA, whiteB)).toBeLessThan(0.5 * Math.hypot(14, 4));
  });

  it("gives a shine broader than the fine detail the skin's tint too, though it is hardly lighter than the skin around", () => {
    // A yellow face with a broad shine blown almost to white (img13's forehead), onto a pale pink face.
    const [w, h] = [48, 48];
    const grain = (p: number) => ((p * 7919) % 5) - 2;
    const shine = (p: number) => Math.abs((p % w) - 23.5) < 8 && Math.abs(Math.floor(p / w) - 11.5) < 6;
    const source = labToRgb(new Float32Array(w * h * 3).map((_, q) => {
      const [p, c] = [Math.floor(q / 3), q % 3];
      return (shine(p) ? [92, 3, 6] : [65, 10, 28])[c] + grain(p);
    }));
    const target = labToRgb(new Float32Array(w * h * 3).map((_, q) => [70, 14, 4][q % 3] + grain(Math.floor(q / 3) + 1)));
    const all = new Float32Array(w * h).fill(1);
    // Too unlike the skin's colour to be sampled as skin, as on the photo.
    const bare = all.map((_, p) => (shine(p) ? 0 : 1));
    const lab = rgbToLab(matchColourStats(source, bare, target, all, { fineDetail: { width: w, height: h, sigma: 2 }, skin: all }));
    const [a, b] = [1, 2].map((c) => lab[(12 * w + 24) * 3 + c]);
    // Shifted as the skin is, it came out blue-grey (a*, b* 1.5, -11.8); it takes the target's tint by its grey share
    // (11.2, 0.1 for the target's 14, 4).
    expect(b).toBeGreaterThan(-2);
    expect(Math.hypot(a - 14, b - 4)).toBeLessThan(6);
  });
});
