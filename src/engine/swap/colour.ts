import type { Raster } from '../image/raster.ts';
import type { Rect } from './region.ts';
import { gaussianBlur } from './mask.ts';
import { smoothstep } from './face-layout.ts';
import { enlargeBilinear } from './resample.ts';
import { floats, floatsCopy } from '../scratch.ts';

/** Per-channel weighted statistics of a masked region. */
export interface ChannelStats {
  mean: [number, number, number];
  std: [number, number, number];
  /** Sum of the mask weights used (0 = no pixel counted). */
  weight: number;
}

// sRGB (0..255) -> linear (0..1): table at quarter-level steps, linearly interpolated.
const TO_LINEAR_STEPS = 4;
const TO_LINEAR = new Float32Array(255 * TO_LINEAR_STEPS + 2);
for (let i = 0; i < TO_LINEAR.length; i++) {
  const c = Math.min(1, i / TO_LINEAR_STEPS / 255);
  TO_LINEAR[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}
// linear (0..1) -> sRGB (0..255): table over sqrt(linear), which makes the curve nearly straight.
const FROM_LINEAR_SIZE = 4096;
const FROM_LINEAR = new Float32Array(FROM_LINEAR_SIZE + 2);
for (let i = 0; i < FROM_LINEAR.length; i++) {
  const s = Math.min(1, i / FROM_LINEAR_SIZE);
  const l = s * s;
  FROM_LINEAR[i] = 255 * (l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055);
}

/** sRGB value (0..255, fractional allowed) to linear light (0..1). */
export function srgbToLinear(v: number): number {
  const t = (v <= 0 ? 0 : v >= 255 ? 255 : v) * TO_LINEAR_STEPS;
  const i = t | 0;
  const f = t - i;
  return TO_LINEAR[i] + f * (TO_LINEAR[i + 1] - TO_LINEAR[i]);
}

/** Linear light (0..1) to an sRGB value (0..255, fractional). */
export function linearToSrgb(l: number): number {
  const t = Math.sqrt(l <= 0 ? 0 : l >= 1 ? 1 : l) * FROM_LINEAR_SIZE;
  const i = t | 0;
  const f = t - i;
  return FROM_LINEAR[i] + f * (FROM_LINEAR[i + 1] - FROM_LINEAR[i]);
}

const XN = 0.95047;
const ZN = 1.08883;
const DELTA = 6 / 29;
const DELTA3 = DELTA * DELTA * DELTA;
const K = 1 / (3 * DELTA * DELTA);

/** Interleaved sRGB (0..255) to CIE L*a*b* (D65), 3 numbers per pixel. `out` may be `rgb`. */
export function rgbToLab(rgb: Float32Array, out?: Float32Array): Float32Array {
  const lab = out ?? floats(rgb.length);
  for (let q = 0; q < rgb.length; q += 3) labAt(rgb, q, lab, q);
  return lab;
}

// Converts the pixel at `q` of `rgb` into `lab` at `o`.
function labAt(rgb: Float32Array, q: number, lab: Float32Array | Float64Array, o: number): void {
  const r = srgbToLinear(rgb[q]);
  const g = srgbToLinear(rgb[q + 1]);
  const b = srgbToLinear(rgb[q + 2]);
  const x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / XN;
  const y = 0.2126729 * r + 0.7151522 * g + 0.072175 * b;
  const z = (0.0193339 * r + 0.119192 * g + 0.9503041 * b) / ZN;
  const fx = x > DELTA3 ? Math.cbrt(x) : x * K + 4 / 29;
  const fy = y > DELTA3 ? Math.cbrt(y) : y * K + 4 / 29;
  const fz = z > DELTA3 ? Math.cbrt(z) : z * K + 4 / 29;
  lab[o] = 116 * fy - 16;
  lab[o + 1] = 500 * (fx - fy);
  lab[o + 2] = 200 * (fy - fz);
}

/** CIE L*a*b* (D65) back to interleaved sRGB (0..255, clamped, fractional). `out` may be `lab`. */
export function labToRgb(lab: Float32Array, out?: Float32Array): Float32Array {
  const rgb = out ?? floats(lab.length);
  for (let q = 0; q < lab.length; q += 3) {
    const fy = (lab[q] + 16) / 116;
    const fx = fy + lab[q + 1] / 500;
    const fz = fy - lab[q + 2] / 200;
    const x = XN * (fx > DELTA ? fx * fx * fx : (fx - 4 / 29) / K);
    const y = fy > DELTA ? fy * fy * fy : (fy - 4 / 29) / K;
    const z = ZN * (fz > DELTA ? fz * fz * fz : (fz - 4 / 29) / K);
    rgb[q] = linearToSrgb(3.2404542 * x - 1.5371385 * y - 0.4985314 * z);
    rgb[q + 1] = linearToSrgb(-0.969266 * x + 1.8760108 * y + 0.041556 * z);
    rgb[q + 2] = linearToSrgb(0.0556434 * x - 0.2040259 * y + 1.0572252 * z);
  }
  return rgb;
}

/** Mask-weighted mean and standard deviation of each channel of an interleaved 3-channel buffer. */
export function maskedStats(pixels: Float32Array, mask: Float32Array): ChannelStats {
  return statsOf(pixels, mask, false);
}

/** Mask-weighted L*a*b* statistics of sRGB pixels, converting only the pixels the mask selects. */
export function maskedLabStats(rgb: Float32Array, mask: Float32Array): ChannelStats {
  return statsOf(rgb, mask, true);
}

function statsOf(pixels: Float32Array, mask: Float32Array, toLab: boolean): ChannelStats {
  const v = new Float64Array(3);
  let w = 0;
  let s0 = 0, s1 = 0, s2 = 0;
  let q0 = 0, q1 = 0, q2 = 0;
  for (let p = 0, q = 0; p < mask.length; p++, q += 3) {
    const m = mask[p];
    if (!(m > 0)) continue;
    if (toLab) labAt(pixels, q, v, 0);
    const a = toLab ? v[0] : pixels[q];
    const b = toLab ? v[1] : pixels[q + 1];
    const c = toLab ? v[2] : pixels[q + 2];
    w += m;
    s0 += m * a;
    s1 += m * b;
    s2 += m * c;
    q0 += m * a * a;
    q1 += m * b * b;
    q2 += m * c * c;
  }
  if (w === 0) return { mean: [0, 0, 0], std: [0, 0, 0], weight: 0 };
  const m0 = s0 / w;
  const m1 = s1 / w;
  const m2 = s2 / w;
  return {
    mean: [m0, m1, m2],
    std: [Math.sqrt(Math.max(0, q0 / w - m0 * m0)), Math.sqrt(Math.max(0, q1 / w - m1 * m1)), Math.sqrt(Math.max(0, q2 / w - m2 * m2))],
    weight: w,
  };
}

/** The L* plane of interleaved L*a*b* `lab`. */
function lightnessOf(lab: Float32Array): Float32Array {
  const lightness = floats(lab.length / 3);
  for (let p = 0; p < lightness.length; p++) lightness[p] = lab[p * 3];
  return lightness;
}

/** Mask-weighted standard deviation of `lightness` about `local`. */
function spreadAbout(lightness: Float32Array, local: Float32Array, mask: Float32Array): number {
  let sum = 0, squares = 0;
  for (let p = 0; p < mask.length; p++) {
    const m = mask[p];
    if (!(m > 0)) continue;
    const d = lightness[p] - local[p];
    sum += m;
    squares += m * d * d;
  }
  return sum > 0 ? Math.sqrt(squares / sum) : 0;
}

/**
 * Replaces each pixel's a*, b* in `lab` (interleaved L*a*b*) by their mean over the pixels under `mask` around it (a
 * Gaussian of `sigma`), or by `mean` where the mask has next to nothing near; returns `lab`.
 */
function localTint(lab: Float32Array, mask: Float32Array, { width, height, sigma }: { width: number; height: number; sigma: number }, mean: ArrayLike<number>): Float32Array {
  const n = width * height;
  const weight = gaussianBlur(mask, width, height, sigma);
  const plane = floats(n);
  for (const c of [1, 2]) {
    for (let p = 0; p < n; p++) plane[p] = lab[p * 3 + c] * mask[p];
    gaussianBlur(plane, width, height, sigma, plane);
    for (let p = 0; p < n; p++) lab[p * 3 + c] = weight[p] > 0.05 ? plane[p] / weight[p] : mean[c];
  }
  return lab;
}

/** The steepest change of a* or b* per unit of L* taken as a tint of the source's shading. */
const MAX_SHADE_SLOPE = 1;

/**
 * How a face's tint follows its shading: over the skin (`mask`), its lightness, a* and b* averaged within `sigma`
 * px, and the slopes of those a* and b* against that lightness. Returns the slopes and each pixel's shading (its
 * averaged lightness less the skin's mean; 0 where no skin is near).
 */
function shadingTint(lab: Float32Array, mask: Float32Array, { width, height, sigma }: { width: number; height: number; sigma: number }): { slope: [number, number]; shade: Float32Array } {
  // Smooth as they are, worked out on cells a third of sigma across: each cell's skin-weighted sums, then means.
  const f = Math.max(1, Math.floor(sigma / 3));
  const [cw, ch] = [Math.ceil(width / f), Math.ceil(height / f)];
  const [cl, ca, cb, cm, weight] = [floats(cw * ch), floats(cw * ch), floats(cw * ch), floats(cw * ch), floats(cw * ch)];
  for (let y = 0, p = 0; y < height; y++) {
    const row = ((y / f) | 0) * cw;
    for (let x = 0; x < width; x++, p++) {
      const c = row + ((x / f) | 0);
      weight[c]++;
      const w = mask[p];
      if (!(w > 0)) continue;
      cm[c] += w;
      cl[c] += w * lab[p * 3];
      ca[c] += w * lab[p * 3 + 1];
      cb[c] += w * lab[p * 3 + 2];
    }
  }
  for (let c = 0; c < cm.length; c++) {
    const pixels = weight[c];
    weight[c] = cm[c] / pixels;
    cl[c] /= pixels;
    ca[c] /= pixels;
    cb[c] /= pixels;
    cm[c] /= pixels;
  }
  for (const plane of [cl, ca, cb, cm]) gaussianBlur(plane, cw, ch, sigma / f, plane);
  let sw = 0, sl = 0, sa = 0, sb = 0;
  for (let c = 0; c < cm.length; c++) {
    if (!(cm[c] > 1e-3)) continue;
    cl[c] /= cm[c];
    ca[c] /= cm[c];
    cb[c] /= cm[c];
    sw += weight[c];
    sl += weight[c] * cl[c];
    sa += weight[c] * ca[c];
    sb += weight[c] * cb[c];
  }
  if (!(sw > 0)) return { slope: [0, 0], shade: floats(width * height) };
  const [ml, ma, mb] = [sl / sw, sa / sw, sb / sw];
  let ll = 0, la = 0, lb = 0;
  for (let c = 0; c < cm.length; c++) {
    const d = cm[c] > 1e-3 ? cl[c] - ml : 0;
    cl[c] = d;
    ll += weight[c] * d * d;
    la += weight[c] * d * (ca[c] - ma);
    lb += weight[c] * d * (cb[c] - mb);
  }
  const limited = (v: number) => Math.max(-MAX_SHADE_SLOPE, Math.min(MAX_SHADE_SLOPE, v));
  return { slope: ll > 0 ? [limited(la / ll), limited(lb / ll)] : [0, 0], shade: enlarge(cl, cw, ch, f, width, height) };
}

/** A source skin less coloured than this (a*, b* from grey) has no tint of its own to tell grey-ward pixels by. */
const MIN_SKIN_CHROMA = 4;

/** A skin pixel this much lighter (L*) than the skin around it starts to be a highlight, and is one from the next. */
const HIGHLIGHT_FROM = [2, 8] as const;

/**
 * ...or this much lighter than the skin's mean: a shine broader than the fine detail's reach (a lit forehead's), whose
 * whitest part is hardly lighter than the sheen around it.
 */
const SHINE_FROM = [6, 14] as const;

/** L* from which a colour transfer's lightness rolls off towards white. */
const HIGHLIGHT_KNEE = 85;

/** Options for {@link matchColourStats}. */
export interface ColourMatchOptions {
  /** 0 = unchanged, 1 = full transfer (default 1). */
  strength?: number;
  /** Limits on how far the spread of lightness relative to its mean is scaled to the target's (default [0.5, 2]). */
  contrastRange?: [number, number];
  /** Limits on the std ratio target/source of a* and b* (default [0.5, 2]). */
  gainRange?: [number, number];
  /** Per pixel of `src`, 0..1: how much of the a*, b* change it takes (default all). */
  hueWeight?: Float32Array;
  /**
   * Per pixel of `src`, 0..1: how much of the change of the lightness's spread it takes (default all); the rest keeps
   * its lightness in ratio to the mean.
   */
  contrastWeight?: Float32Array;
  /**
   * Match the spread of lightness of the detail finer than a Gaussian of `sigma` px alone (`src` and `target` are
   * then both `width` x `height`): what is coarser keeps its ratio to the mean, as the rest of the lightness does,
   * and takes none of the tint that comes with the source's shading at that scale.
   */
  fineDetail?: { width: number; height: number; sigma: number };
  /**
   * Per pixel of `src`, 0..1: how much it is skin, whose highlights (lighter than the skin around, or than its mean)
   * take the skin's tint (with `fineDetail` only).
   */
  skin?: Float32Array;
}

/**
 * The share of the source's mean lightness from which a pixel takes the skin's full change of a* and b* (darker, a
 * proportionally smaller one). From the mean itself, skin in shade kept part of its old tint: img24's shaded skin on
 * img26 moved 0.84 as far in b* as his lit skin. Bench tint 3.28 -> 3.25 (52 pairs 3.24 -> 3.21), identity unchanged;
 * the a* and b* of a face's darkest pixels (L* under 35: beards, brows) within 1 of what they were.
 */
const FULL_HUE_FROM = 0.7;

/**
 * Reinhard-style colour transfer in L*a*b*: gives `src` under `srcMask` the statistics of `target` under
 * `targetMask` (the two buffers may differ in size; each mask matches its own buffer). Lightness is scaled by the
 * ratio of the means rather than shifted, so shading keeps its ratio to the skin around it: a shadow 10 % darker
 * than the cheek stays 10 % darker on a darker face instead of deepening to a band (and does not wash out on a
 * lighter one); then its spread relative to the mean (or that of its `fineDetail`) is matched within `contrastRange`. a* and b* are shifted and
 * scaled, pixels darker than the source's mean lightness taking the change in proportion to their lightness, and
 * each pixel in proportion to its `hueWeight`. Lightness rolls off above {@link HIGHLIGHT_KNEE} rather than clip.
 * Returns a new sRGB buffer the size of `src`.
 */
export function matchColourStats(
  src: Float32Array,
  srcMask: Float32Array,
  target: Float32Array,
  targetMask: Float32Array,
  options: ColourMatchOptions = {},
): Float32Array {
  const strength = options.strength ?? 1;
  const within = ([lo, hi]: [number, number], v: number) => Math.min(hi, Math.max(lo, v));
  const lab = rgbToLab(src);
  const s = maskedStats(lab, srcMask);
  const t = maskedLabStats(target, targetMask);
  if (s.weight === 0 || t.weight === 0) return floatsCopy(src);
  const gain = [0, 0, 0];
  const offset = [0, 0, 0];
  const scale = s.mean[0] > 1 && t.mean[0] > 1 ? t.mean[0] / s.mean[0] : 1;
  // The source's lightness finer than fineDetail's sigma (its local mean's difference), and the two spreads of it.
  let detail: Float32Array | null = null;
  let detailSpreads: [number, number] = [0, 0];
  // The target in L*a*b*, where fineDetail makes it the source's size: for its lightness, and its local tint.
  let targetLab: Float32Array | null = null;
  if (options.fineDetail) {
    const { width, height, sigma } = options.fineDetail;
    targetLab = rgbToLab(target);
    const [sourceLightness, targetLightness] = [lightnessOf(lab), lightnessOf(targetLab)];
    const sourceLocal = gaussianBlur(sourceLightness, width, height, sigma);
    detailSpreads = [spreadAbout(sourceLightness, sourceLocal, srcMask), spreadAbout(targetLightness, gaussianBlur(targetLightness, width, height, sigma), targetMask)];
    detail = sourceLocal;
    for (let p = 0; p < detail.length; p++) detail[p] = sourceLightness[p] - sourceLocal[p];
  }
  const [lo, hi] = options.contrastRange ?? [0.5, 2];
  const gainOf = (sourceSpread: number, targetSpread: number, range: [number, number], c: number) => {
    const ratio = sourceSpread > 1e-6 ? targetSpread / sourceSpread : 1;
    return 1 + strength * ((c === 0 ? scale * within(range, ratio / scale) : within(range, ratio)) - 1);
  };
  for (let c = 0; c < 3; c++) {
    // Lightness coarser than a fineDetail may flatten to a flatter-lit target's, not deepen: a harder-lit target's
    // spread is its light, which is no contrast of the source's to bring out.
    const range: [number, number] = c > 0 ? (options.gainRange ?? [0.5, 2]) : detail ? [lo, Math.min(1, hi)] : [lo, hi];
    const g = gainOf(s.std[c], t.std[c], range, c);
    gain[c] = g;
    // x' = (x - ms) * g + ms + strength * (mt - ms)
    offset[c] = s.mean[c] + strength * (t.mean[c] - s.mean[c]) - s.mean[c] * g;
  }
  const detailGain = detail ? gainOf(detailSpreads[0], detailSpreads[1], [lo, hi], 0) : 1;
  const { hueWeight, contrastWeight } = options;
  // The tint that comes with the source's shading is its light's (a pale face's shadows are yellower than its lit
  // parts): in the target's light it stayed where the shadow was, a yellow-brown patch by the nose of a face lit
  // from the other side (img22 -> img24, img26). The source's shading keeps the mean tint.
  const shading = options.fineDetail ? shadingTint(lab, srcMask, options.fineDetail) : null;
  // Lightness scaled by the ratio of the means alone: x' = x * ratioGain (+ 0, the means then match).
  const ratioGain = 1 + strength * (scale - 1);
  // With `skin`: what is whiter than the skin, along the skin's own tint, is that share of the way to grey (the
  // light's white mixed in). Shifted as skin is, it took the shift's opposite: a yellow face's eye whites and nose
  // highlight on a pale pink face came out blue-white (img24 -> img26), a pink face's nose tip on a warm brown face
  // grey-green (img22 -> img24). What is no skin (an eye's white, an iris) keeps that share of grey, the shift's
  // difference per unit of it; a highlight on skin (lighter than the skin around) is the source's light's white, which
  // takes the tint of the target's skin there instead (the target's own nose tip is as warm as its skin), and so does
  // a shine over a broad part of it (img13's forehead, grey on img16). Skin that is merely paler is shifted as skin.
  const [skinA, skinB] = [s.mean[1], s.mean[2]];
  const skinChroma = skinA * skinA + skinB * skinB;
  const whiter = options.skin && options.fineDetail && targetLab && skinChroma >= MIN_SKIN_CHROMA ** 2
    ? { skin: options.skin, toGrey: [1, 2].map((c) => strength * (gain[c] * s.mean[c] - t.mean[c])), targetTint: localTint(targetLab, targetMask, options.fineDetail, t.mean) }
    : null;
  for (let q = 0; q < lab.length; q += 3) {
    const sourceLightness = lab[q];
    // Colour casts scale with lightness: a pixel darker than skin in shade (a beard, a nostril) takes a proportionally
    // smaller change of a* and b*, or the shift that turns brown skin pink turns black hair blue (see FULL_HUE_FROM).
    const k = Math.min(1, Math.max(0, lab[q] / Math.max(1, FULL_HUE_FROM * s.mean[0]))) * (hueWeight ? hueWeight[q / 3] : 1);
    const spread = contrastWeight ? contrastWeight[q / 3] : 1;
    const contrasted = detail ? (lab[q] - detail[q / 3]) * gain[0] + offset[0] + detail[q / 3] * detailGain : lab[q] * gain[0] + offset[0];
    lab[q] = spread * contrasted + (1 - spread) * lab[q] * ratioGain;
    // Lightness pushed past the knee rolls off towards white instead of reaching it: a highlight brightened onto a
    // lighter face keeps its texture (clipped, it came out a flat pale patch once the light was matched).
    if (lab[q] > HIGHLIGHT_KNEE) lab[q] = HIGHLIGHT_KNEE + (100 - HIGHLIGHT_KNEE) * (1 - Math.exp(-(lab[q] - HIGHLIGHT_KNEE) / (100 - HIGHLIGHT_KNEE)));
    const shade = shading ? shading.shade[q / 3] : 0;
    // The grey share: what is no skin keeps it; a highlight on skin takes, by as much, the target's skin's tint.
    const grey = whiter ? Math.max(0, Math.min(1, 1 - (lab[q + 1] * skinA + lab[q + 2] * skinB) / skinChroma)) : 0;
    const skin = whiter ? whiter.skin[q / 3] : 0;
    const highlight = grey > 0 ? Math.max(smoothstep(HIGHLIGHT_FROM[0], HIGHLIGHT_FROM[1], detail![q / 3]), smoothstep(SHINE_FROM[0], SHINE_FROM[1], sourceLightness - s.mean[0])) : 0;
    const toTarget = strength * grey * skin * highlight;
    for (let c = 1; c <= 2; c++) {
      const greyward = grey > 0 ? grey * (1 - skin) * whiter!.toGrey[c - 1] : 0;
      lab[q + c] += k * (lab[q + c] * (gain[c] - 1) + offset[c] - (shading ? gain[c] * shading.slope[c - 1] * shade : 0) + greyward);
      if (toTarget > 0) lab[q + c] += toTarget * (whiter!.targetTint[q + c] - lab[q + c]);
    }
  }
  return labToRgb(lab, lab);
}

/**
 * A picture of one tint (black and white, sepia, a duotone) has one colour per lightness: its pixels' a*, b* lie
 * within this far of the mean of those as light as they, but for one in 100 (noise, compression). Over the faces of
 * the test photos: 0 in grey versions, 2-9 in sepia ones (median 4.5), 10.8 and more in the colour ones, where lips,
 * irises and the background are far from the skin as light as they.
 */
const ONE_TINT_SPREAD = 8;
/** Lightness bands (L*) whose pixels are taken as equally light. */
const TINT_BAND = 5;
const TINT_BANDS = Math.ceil(100 / TINT_BAND) + 1;
/** About this many blocks of this many px square are looked at to tell. */
const TINT_SAMPLES = 4000;
const TINT_BLOCK = 3;

/** A picture's one tint: a*, b* per lightness band ({@link TINT_BAND} of L* each, from 0), interleaved. */
export type Tint = Float32Array;

/** The tint of `rect` of `image` when all of it is of one tint ({@link ONE_TINT_SPREAD}), else null. */
export function monochromeTint(image: Raster, rect: Rect): Tint | null {
  // Means of 3 x 3 blocks: a JPEG's colour, kept at half resolution, bleeds across sharp edges (a frame on skin).
  const step = Math.max(TINT_BLOCK, Math.round(Math.sqrt((rect.width * rect.height) / TINT_SAMPLES)));
  const blocks = (side: number) => (side >= TINT_BLOCK ? Math.floor((side - TINT_BLOCK) / step) + 1 : 0);
  const rgb = new Float32Array(3 * blocks(rect.width) * blocks(rect.height));
  let count = 0;
  for (let y = rect.y; y + TINT_BLOCK <= rect.y + rect.height; y += step) {
    for (let x = rect.x; x + TINT_BLOCK <= rect.x + rect.width; x += step) {
      let r = 0, g = 0, b = 0;
      for (let dy = 0; dy < TINT_BLOCK; dy++) {
        for (let dx = 0, o = ((y + dy) * image.width + x) * 4; dx < TINT_BLOCK; dx++, o += 4) {
          r += image.data[o];
          g += image.data[o + 1];
          b += image.data[o + 2];
        }
      }
      const k = TINT_BLOCK * TINT_BLOCK;
      rgb[count++] = r / k;
      rgb[count++] = g / k;
      rgb[count++] = b / k;
    }
  }
  const lab = rgbToLab(rgb.subarray(0, count));
  const n = lab.length / 3;
  if (n === 0) return null;
  const band = (q: number) => Math.min(TINT_BANDS - 1, Math.max(0, Math.floor(lab[q] / TINT_BAND)));
  const sums = new Float64Array(TINT_BANDS * 3);
  for (let q = 0; q < lab.length; q += 3) {
    const b = band(q) * 3;
    sums[b] += lab[q + 1];
    sums[b + 1] += lab[q + 2];
    sums[b + 2]++;
  }
  const tint = new Float32Array(TINT_BANDS * 2);
  for (let b = 0; b < TINT_BANDS; b++) {
    const inBand = sums[b * 3 + 2];
    if (inBand > 0) [tint[b * 2], tint[b * 2 + 1]] = [sums[b * 3] / inBand, sums[b * 3 + 1] / inBand];
  }
  const distances = new Float32Array(n);
  for (let p = 0, q = 0; p < n; p++, q += 3) distances[p] = Math.hypot(lab[q + 1] - tint[band(q) * 2], lab[q + 2] - tint[band(q) * 2 + 1]);
  distances.sort();
  if (distances[Math.floor(n * 0.99)] > ONE_TINT_SPREAD) return null;
  // Bands no pixel fell in take their nearest neighbours' tint.
  fillEmptyBands(tint, sums);
  return tint;
}

function fillEmptyBands(tint: Float32Array, sums: Float64Array): void {
  const filled = (b: number) => sums[b * 3 + 2] > 0;
  for (let b = 0; b < TINT_BANDS; b++) {
    if (filled(b)) continue;
    let lo = b - 1, hi = b + 1;
    while (lo >= 0 && !filled(lo)) lo--;
    while (hi < TINT_BANDS && !filled(hi)) hi++;
    const from = lo < 0 ? hi : hi >= TINT_BANDS ? lo : b - lo <= hi - b ? lo : hi;
    tint[b * 2] = tint[from * 2];
    tint[b * 2 + 1] = tint[from * 2 + 1];
  }
}

/** Gives every pixel of `rgb` (interleaved sRGB, 0..255) the tint of its lightness, in place. */
export function giveTint(rgb: Float32Array, tint: Tint): void {
  const lab = rgbToLab(rgb, rgb);
  for (let q = 0; q < lab.length; q += 3) {
    // Between the bands' centres, linearly.
    const at = Math.min(TINT_BANDS - 1, Math.max(0, lab[q] / TINT_BAND - 0.5));
    const b = Math.min(TINT_BANDS - 2, Math.floor(at)), f = at - b;
    lab[q + 1] = tint[b * 2] + f * (tint[b * 2 + 2] - tint[b * 2]);
    lab[q + 2] = tint[b * 2 + 1] + f * (tint[b * 2 + 3] - tint[b * 2 + 1]);
  }
  labToRgb(lab, lab);
}

/** Mean over f x f blocks (partial blocks at the right and bottom edges average what they hold): ceil(w/f) x ceil(h/f). */
export function shrink(plane: Float32Array, w: number, h: number, f: number): Float32Array {
  if (f === 1) return floatsCopy(plane);
  const cw = Math.ceil(w / f);
  const ch = Math.ceil(h / f);
  const sum = floats(cw * ch);
  const cnt = floats(cw * ch);
  for (let y = 0; y < h; y++) {
    const row = ((y / f) | 0) * cw;
    for (let x = 0; x < w; x++) {
      const c = row + ((x / f) | 0);
      sum[c] += plane[y * w + x];
      cnt[c]++;
    }
  }
  for (let c = 0; c < sum.length; c++) sum[c] /= cnt[c];
  return sum;
}

/** Bilinear interpolation of a block-mean grid from {@link shrink} (cell centres at (i + 0.5) * f) back to w x h. */
export function enlarge(coarse: Float32Array, cw: number, ch: number, f: number, w: number, h: number): Float32Array {
  return enlargeBilinear(coarse, 1, cw, ch, w, h, f);
}
