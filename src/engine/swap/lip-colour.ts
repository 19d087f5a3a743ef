import type { Raster } from '../image/raster.ts';
import { floats } from '../scratch.ts';
import { labToRgb, rgbToLab } from './colour.ts';
import { regionBounds, seededRegions, smoothstep, toGrid, type WorkGrid } from './face-layout.ts';
import { lipsProper, type KeptLips } from './mouth.ts';
import { cropPlane, cropRgb } from './patch.ts';
import { clipRect, unionRect, type Rect } from './region.ts';
import { enlargeBilinear } from './resample.ts';
import { likeness, medianOf } from './skin.ts';

/**
 * The target's lips kept under a source's open smile take the source's lips' colour: the source's lips, drawn shut
 * over its teeth, would show them between its lips; the target's lips keep their shape and shading.
 */

/** The share of the change of lightness that a target's lips kept under a source's open smile take: with all of it a glossy lip's highlight went white. */
const KEPT_LIPS_LIGHTNESS = 0.5;

/**
 * The target's lips kept under a source's open smile (over `background`, with their colour) in the colour of the
 * source's lips as the new face (`lit`) shows them: the target's shape and shading, the source's colour (no lipstick
 * the source did not wear, none lost that it did). Each colour is the median of the lips' redder half (the source's
 * over `lips`, grid cells); what is unlike the target's lips (the skin about the lip line, less red) takes none of it,
 * their edge as far as it is redder than that skin, what they enclose all of it but the mouth's `opening` (0..1 per
 * pixel), and the lightness only part of the change (KEPT_LIPS_LIGHTNESS). Null where nothing of the lips stays.
 */
export function lipRecolour(background: Float32Array, lit: Float32Array, { plane: kept, colour: targetLips }: KeptLips, grid: WorkGrid, lips: Float32Array, opening: Float32Array): LipColour | null {
  const { width: w, height: h } = grid.rect;
  const parts = regionBounds(kept, w, h, LIP_COLOUR_FROM);
  if (parts.length === 0) return null;
  const rect = parts.reduce(unionRect);
  const sourceLips = lipsProper(toGrid(grid, lit), lips);
  // Redder or darker than their median is lips too (a lip liner); the skin about them is less red. So is what is
  // darker and nearly as red: the deep red where a lipstick's lips meet, left red by the likeness alone (a wedge at
  // img26's mouth corner).
  const rgb = cropRgb(background, w, rect);
  const weight = likeness(rgb, targetLips, { redder: 0, shade: 2 });
  const lab = rgbToLab(rgb);
  const [lightness, redness] = targetLips.median;
  const keptHere = cropPlane(kept, w, rect);
  for (let p = 0; p < weight.length; p++) {
    if (redness > 0 && lab[p * 3] < lightness) weight[p] = Math.max(weight[p], smoothstep(DEEP_RED[0], DEEP_RED[1], lab[p * 3 + 1] / redness));
  }
  // The lips' edge, where their colour blends into the skin's, is lips as far as it is redder than the skin about
  // them: unlike both, it kept a lipstick's red, a red line around the new lips (img6 under img25's smile).
  const skinRedness = rednessAbout(lab, keptHere);
  if (skinRedness !== null && redness - skinRedness > MIN_LIP_REDNESS) {
    for (let p = 0; p < weight.length; p++) weight[p] = Math.max(weight[p], Math.min(1, Math.max(0, (lab[p * 3 + 1] - skinRedness) / (redness - skinRedness))));
  }
  // What the lips enclose is lips, but for the mouth's opening: a glossy lip's highlights, less red and lighter, kept
  // the lipstick's red among the new colour (red specks on img6's lower lip).
  const openingHere = cropPlane(opening, w, rect);
  const { width: rw, height: rh } = rect;
  const atBorder = (p: number) => p % rw === 0 || p % rw === rw - 1 || p < rw || p >= rw * (rh - 1);
  const reached = seededRegions((p) => weight[p] < 1, (p) => keptHere[p] < 0.5 || openingHere[p] >= 0.5 || atBorder(p), rw, rh);
  for (let p = 0; p < weight.length; p++) {
    if (weight[p] < 1 && !reached.label[p] && !(openingHere[p] >= 0.5)) weight[p] = 1;
    // Where the lips' kept plane fades out they show less, each pixel in its own colour: weighed by the plane too,
    // their edge took too little of the colour.
    weight[p] *= smoothstep(0, KEPT_EDGE, keptHere[p]);
  }
  const [, a, b] = targetLips.median;
  return { weight, rect, shift: sourceLips.median.map((v, c) => (v - targetLips.median[c]) * (c === 0 ? KEPT_LIPS_LIGHTNESS : 1)), chroma: Math.hypot(a, b) };
}

/** The median redness (a*) of `lab`'s pixels about the lips (outside their kept plane), or null where too few lie there. */
function rednessAbout(lab: Float32Array, kept: Float32Array): number | null {
  const about: number[] = [];
  for (let p = 0; p < kept.length; p++) if (kept[p] < SKIN_ABOUT) about.push(lab[p * 3 + 1]);
  return about.length >= MIN_SKIN_SAMPLES ? medianOf(Float32Array.from(about)) : null;
}

/** Skin about the lips lies where their kept plane is under this. */
const SKIN_ABOUT = 0.05;
/** ...sampled on at least this many pixels, or the lips are told by their likeness alone. */
const MIN_SKIN_SAMPLES = 20;
/** Lips redder than the skin about them by less than this (a*) are not told from it by redness. */
const MIN_LIP_REDNESS = 5;
/** A pixel takes all of the colour where the lips' kept plane is at least this (less as it fades). */
const KEPT_EDGE = 0.1;

/**
 * How much of its colour's shift (0..1 a pixel, over `rect` of the face's rectangle) the target's lips take, the shift
 * (L*a*b*), and their chroma: a pixel's change of a* and b* is the shift's in proportion to its own chroma, up to
 * theirs (a glossy lip's highlight, near white, turned blue with a lipstick's whole change of hue).
 */
export interface LipColour {
  weight: Float32Array;
  rect: Rect;
  shift: number[];
  chroma: number;
}

/** Darker than the target's lips, a colour this share of their redness (a*, a ramp) is theirs too. */
const DEEP_RED = [0.65, 0.85] as const;

/** What takes less of the lips' colour than this takes none (the bounds of what is shifted). */
const LIP_COLOUR_FROM = 0.01;

/** Shifts the L*a*b* colour of `canvas` over its part `rect` of the face's rectangle `faceRect` (see LipColour). */
export function shiftColour(canvas: Raster, faceRect: Rect, { weight, rect, shift, chroma }: LipColour): void {
  // Only what takes some of it: the lips are a small part of a 4K face's rectangle.
  const offsets: number[] = [];
  const weights: number[] = [];
  for (let y = 0; y < rect.height; y++) {
    for (let x = 0; x < rect.width; x++) {
      const k = weight[y * rect.width + x];
      if (!(k > LIP_COLOUR_FROM)) continue;
      offsets.push(((faceRect.y + rect.y + y) * canvas.width + faceRect.x + rect.x + x) * 4);
      weights.push(k);
    }
  }
  const rgb = floats(offsets.length * 3);
  offsets.forEach((o, i) => rgb.set(canvas.data.subarray(o, o + 3), i * 3));
  const lab = rgbToLab(rgb);
  weights.forEach((k, i) => {
    const ofHue = Math.min(1, Math.hypot(lab[i * 3 + 1], lab[i * 3 + 2]) / Math.max(1, chroma));
    for (let c = 0; c < 3; c++) lab[i * 3 + c] += k * shift[c] * (c === 0 ? 1 : ofHue);
  });
  labToRgb(lab, rgb);
  offsets.forEach((o, i) => canvas.data.set(rgb.subarray(i * 3, i * 3 + 3), o));
}

/** The lips' colour worked out on a copy (`weights` over `rect` of it) brought to full size (`fullSize` maps a rectangle, within w x h). */
export function enlargedLipColour(weights: Float32Array, { rect, ...colour }: Omit<LipColour, 'weight'>, fullSize: (r: Rect) => Rect, w: number, h: number): LipColour {
  const full = clipRect(fullSize(rect), w, h);
  return { ...colour, weight: enlargeBilinear(weights.subarray(0, rect.width * rect.height), 1, rect.width, rect.height, full.width, full.height), rect: full };
}
