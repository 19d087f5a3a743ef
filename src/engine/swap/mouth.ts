import { LIPS_INNER } from '../face/regions.ts';
import { floats } from '../scratch.ts';
import { rgbToLab } from './colour.ts';
import { smoothstep, type FaceLayout, type WorkGrid } from './face-layout.ts';
import { gaussianBlur } from './mask.ts';
import { colourModel, likeness, type ColourModel } from './skin.ts';

/** Mouths: how far one is open, and which pixels within the lips are teeth or the dark inside rather than lips. */

/** How far past the mesh's mouth opening (relative to the face's size) the target's teeth are looked for within the lip line. */
const MOUTH_SEARCH = 0.03;
/**
 * Mouth openings (height over width) between which the mesh may have closed the lips over teeth that show: a mouth
 * it shows shut is taken as shut (a lit lower lip is no teeth), a wider one as drawn.
 */
const SLIGHTLY_OPEN = [0.015, 0.1] as const;
/**
 * A target's lips stay under a source's open smile where its mouth is open less than this share as far: the mesh
 * draws full lips shut over each other as a little apart (img26's, 0.080 of the mouth's width under img24's 0.149),
 * and at half as far img24's teeth showed through them.
 */
const KEPT_LIPS_OPENING = 0.6;
/** Softness of the edge of a target's lips kept under an open smile, relative to the face's size. */
const KEPT_LIPS_FEATHER = 0.01;
/** Teeth are this much less red (a*, ramp) and lighter (L*, ramp) than the lips' median. */
const TEETH = { lessRed: [6, 12], lighter: 10 } as const;

/** The mouths of a swap: the new face's (the target's expression on the source's proportions) and the source's. */
export interface Mouths {
  /** The new face's mouth opening (within the inner lip line) and lip line (the outer), 0..1 per pixel of its rectangle. */
  opening: Float32Array;
  lipLine: Float32Array;
  /** How far the new face's and the source's mouths are open (see measures.ts' mouthOpening). */
  openness: number;
  sourceOpenness: number;
}

/**
 * What of the target's mouth stays over the new face, as feathered planes (0..1 per pixel of its rectangle, pixels
 * `background`, cells `cellsRgb`): the open mouth, its teeth and the dark inside, not lips (`opening`). The mesh often
 * closes the lips over teeth that show: where the mouth is slightly open, teeth near the opening within the lip line
 * are the open mouth too. Under a source smiling open onto a mouth open at most 0.6 as far (KEPT_LIPS_OPENING), the
 * lips stay too (`lips`, null otherwise, with their colour; not a moustache over them, see keptLipsOf, nor where one
 * hides most of the upper lip, MIN_UPPER_LIP_KEPT): the mesh draws the source's lips shut over its teeth, which then
 * show between them (a pale band, or dark teeth). A mouth the mesh
 * draws a little open that shows no teeth, nor a parted mouth's dark inside, is `shut`: nothing of its opening stays,
 * and the new face is drawn with its lips shut (withLipsShut).
 */
export function keptMouth(background: Float32Array, cellsRgb: Float32Array, grid: WorkGrid, layout: FaceLayout, mouths: Mouths): { opening: Float32Array; lips: KeptLips | null; shut: boolean } {
  const { opening: mouth, lipLine, openness: opening, sourceOpenness: sourceOpening } = mouths;
  const { width: w, height: h } = grid.rect;
  const faceSize = grid.faceSize * grid.factor;
  // Under a thinner new lip line a wide smile's teeth fill much of the lip region, and its colour model takes them for
  // lips (they were left to the source's painted mouth, as grey teeth): they are told by the lips proper too.
  const proper = lipsProper(cellsRgb, layout.lips);
  const kept = sourceOpening > SLIGHTLY_OPEN[1] && opening < sourceOpening * KEPT_LIPS_OPENING ? keptLipsOf(background, w, lipLine, mouth, proper) : null;
  const lips = kept && kept.upperLipShare >= MIN_UPPER_LIP_KEPT ? { plane: gaussianBlur(kept.plane, w, h, Math.max(1, faceSize * KEPT_LIPS_FEATHER)), colour: proper } : null;
  // A mouth drawn a little open that shows no teeth, and no dark inside as wide as a parted mouth's, is shut: what its
  // opening holds is lips, the line where they meet, or a moustache over them. Kept as its open mouth, that showed on
  // the new lips (the sheen of img34's lower lip as a pale patch, img26's lipstick as a red edge).
  if (!lips && opening < SLIGHTLY_OPEN[1]) {
    const { teeth, dark } = openingHolds(background, mouth, proper);
    if (teeth < SHUT_TEETH && opening * dark < PARTED) return { opening: floats(mouth.length), lips: null, shut: true };
  }
  const lipColour = colourModel(cellsRgb, layout.lips);
  const inside = unlike(background, mouth, lipColour);
  // Its teeth and its dark inside, which unlike the lips' colour misses in part (see darkIn).
  const alsoInside = [teethIn(background, mouth, proper), darkIn(background, mouth, proper)];
  if (opening > SLIGHTLY_OPEN[0] && opening < SLIGHTLY_OPEN[1]) {
    const nearOpening = gaussianBlur(mouth, w, h, faceSize * MOUTH_SEARCH);
    const aroundOpening = floats(lipLine.length);
    for (let p = 0; p < lipLine.length; p++) aroundOpening[p] = lipLine[p] > 0 && !(mouth[p] > 0) && nearOpening[p] > 0.02 ? lipLine[p] : 0;
    alsoInside.push(teethIn(background, aroundOpening, lipColour));
  }
  for (const found of alsoInside) for (let p = 0; p < inside.length; p++) inside[p] = Math.max(inside[p], found[p]);
  return { opening: gaussianBlur(inside, w, h, Math.max(1, faceSize * 0.006)), lips, shut: false };
}

/**
 * A mouth drawn slightly open whose teeth fill less than this share of its opening is shut (the test photos' shut
 * mouths: none; img47's teeth in shade, 9 %)...
 */
const SHUT_TEETH = 0.05;
/**
 * ...unless its dark inside is this wide (its share of the opening times the opening, relative to the mouth's width):
 * the line where shut lips meet is thin, whatever share of a thin opening it fills (0.002-0.023 over the test photos'
 * shut mouths, a bearded one's included), while img67's lips part over a dark inside (0.06) that a shut mouth lost.
 */
const PARTED = 0.03;
/** Teeth are hardly red (a* under this), whatever colour the lips around them; a lip's gloss or a pale lower lip is redder. */
const TEETH_REDNESS = 12;
/**
 * Teeth in the upper lip's shade are no lighter than pale or glossy lips, but far less red: by this much (a*), and at
 * most this much darker (L*). Told only by being lighter, img41's and img47's teeth filled 1 % of the opening the mesh
 * draws over them, and their mouths were drawn shut.
 */
const SHADED_TEETH = { lessRed: 12, darker: 5 } as const;
/** The inside of an open mouth is darker than this (L*) and than the lips by at least DARKER_THAN_LIPS. */
const DARK_INSIDE = 25;
const DARKER_THAN_LIPS = 15;

/**
 * The shares of a mouth's `opening` (0..1 per pixel of `rgb`) that show teeth (hardly red and lighter than the lips,
 * `lipColour`) and the dark inside. Stricter than teethIn, which looks for the teeth of a mouth known to be open: a
 * glossy lip's highlight or a pale lower lip passed it (img26, img29).
 */
function openingHolds(rgb: Float32Array, opening: Float32Array, lipColour: ColourModel): { teeth: number; dark: number } {
  const { inside, pixels } = pixelsIn(rgb, opening);
  const lab = rgbToLab(pixels, pixels);
  const darkBelow = Math.min(DARK_INSIDE, lipColour.median[0] - DARKER_THAN_LIPS);
  let teeth = 0, dark = 0, area = 0;
  inside.forEach((p, k) => {
    area += opening[p];
    if (looksLikeTeeth(lab, k * 3, lipColour.median)) teeth += opening[p];
    if (lab[k * 3] < darkBelow) dark += opening[p];
  });
  return area > 0 ? { teeth: teeth / area, dark: dark / area } : { teeth: 0, dark: 0 };
}

/**
 * Whether the L*a*b* colour at `o` of `lab` is surely teeth beside lips of median L*a*b* `lips`: hardly red, and
 * lighter than the lips, or in the upper lip's shade, far less red and hardly darker.
 */
export function looksLikeTeeth(lab: Float32Array, o: number, lips: ArrayLike<number>): boolean {
  const [L, a, lipL, lipA] = [lab[o], lab[o + 1], lips[0], lips[1]];
  return a < TEETH_REDNESS && (L > lipL + TEETH.lighter || (lipA - a > SHADED_TEETH.lessRed && L > lipL - SHADED_TEETH.darker));
}

/** The inner lip line's points, its lower lip's (corner to corner) and its upper lip's above each. */
export const LOWER_INNER = LIPS_INNER.slice(1, 10);
export const UPPER_INNER = LIPS_INNER.slice(11, 20).reverse();

/**
 * A copy of `mesh` (x, y, z per point) with its lips shut: each inner lip point meets the one across at their
 * midpoint. A shut mouth is drawn so (see keptMouth): the lips meet where the photo shows them meeting, each with its
 * own edge, rather than a painted gap between them.
 */
export function withLipsShut(mesh: Float32Array): Float32Array {
  const shut = mesh.slice();
  LOWER_INNER.forEach((lower, k) => {
    const upper = UPPER_INNER[k];
    for (let c = 0; c < 3; c++) shut[lower * 3 + c] = shut[upper * 3 + c] = (mesh[lower * 3 + c] + mesh[upper * 3 + c]) / 2;
  });
  return shut;
}

/** A target's lips kept whole (0..1 per pixel), and the colour of their redder half (see lipsProper). */
export interface KeptLips {
  plane: Float32Array;
  colour: ColourModel;
}

/**
 * A target's lips stay under a source's open smile only where a moustache leaves at least this share of the upper lip
 * (the test photos: 0.92-1 without one). Under more of it, what stayed was the lower lip and the shade under the
 * moustache: a dark line over the new lips (img16: 0.06 left, img61: 0.16) or a dark red gap between them (img62's
 * moustache, close to his lips' colour: 0.67-0.70). There the source's lips are drawn shut instead, and its teeth
 * painted over (see cleanSourceFace).
 */
const MIN_UPPER_LIP_KEPT = 0.8;
/** A moustache over the lips is this much less red (a*, ramp) and darker (L*, ramp) than the lips' median. */
const MOUSTACHE = { lessRed: [6, 12], darker: [0, 10] } as const;

/**
 * The target's lips within the new lip line (0..1 per pixel of `rgb`, `width` px a row): all of it but a moustache
 * over the upper lip, less red and darker than the lips (`lips`, their redder half). Only above the mouth's `opening`
 * (0..1 a pixel): a lip's highlight is less red but lighter, and the shade at the mouth's corners is the target's.
 * Also the share of the upper lip (the lip line above the opening) that is kept.
 */
function keptLipsOf(rgb: Float32Array, width: number, lipLine: Float32Array, opening: Float32Array, lips: ColourModel): { plane: Float32Array; upperLipShare: number } {
  // Each column's first row in the opening; none where the opening does not reach.
  const top = new Int32Array(width).fill(-1);
  for (let p = 0; p < opening.length; p++) if (opening[p] >= 0.5 && top[p % width] < 0) top[p % width] = Math.floor(p / width);
  const overUpperLip = floats(lipLine.length);
  for (let p = 0; p < lipLine.length; p++) if (Math.floor(p / width) < top[p % width]) overUpperLip[p] = lipLine[p];
  const kept = floats(lipLine.length);
  kept.set(lipLine);
  const { inside, pixels } = pixelsIn(rgb, overUpperLip);
  const lab = rgbToLab(pixels, pixels);
  const [mL, ma] = lips.median;
  let upperLip = 0;
  let keptOfIt = 0;
  inside.forEach((p, k) => {
    kept[p] *= 1 - smoothstep(MOUSTACHE.lessRed[0], MOUSTACHE.lessRed[1], ma - lab[k * 3 + 1]) * smoothstep(MOUSTACHE.darker[0], MOUSTACHE.darker[1], mL - lab[k * 3]);
    upperLip += overUpperLip[p];
    keptOfIt += kept[p];
  });
  return { plane: kept, upperLipShare: upperLip > 0 ? keptOfIt / upperLip : 1 };
}

/** The colour of the lips proper in `lips` (0..1 per cell of `rgb`): its redder half, whatever teeth fill the rest. */
export function lipsProper(rgb: Float32Array, lips: Float32Array): ColourModel {
  // The lips' cells alone to L*a*b*: they are a small part of the face.
  const { pixels } = pixelsIn(rgb, lips.map((v) => (v >= 0.5 ? 1 : 0)));
  const lab = rgbToLab(pixels);
  const redness: number[] = [];
  for (let k = 1; k < lab.length; k += 3) redness.push(lab[k]);
  redness.sort((a, b) => a - b);
  const middle = redness[redness.length >> 1];
  return colourModel(pixels, Float32Array.from({ length: lab.length / 3 }, (_, k) => (lab[k * 3 + 1] >= middle ? 1 : 0)));
}

/** The pixels of a mouth `region` (0..1 per pixel) that do not look like the lips of `lipColour` (teeth, the dark inside), 0..1. */
export function unlike(rgb: Float32Array, region: Float32Array, lipColour: ColourModel): Float32Array {
  const { inside, pixels } = pixelsIn(rgb, region);
  const lipLike = likeness(pixels, lipColour);
  const out = floats(region.length);
  inside.forEach((p, k) => (out[p] = region[p] * (1 - lipLike[k])));
  return out;
}

/**
 * The pixels of `region` (0..1 per pixel, within the lip line) that show teeth, 0..1: lighter and far less red than
 * the lips. Told by fixed L*a*b* margins from the lips' median, as their spread holds the teeth too when the mesh
 * closes the lips over them.
 */
function teethIn(rgb: Float32Array, region: Float32Array, lipColour: ColourModel): Float32Array {
  const [mL, ma] = lipColour.median;
  return scoredIn(rgb, region, (lab, o) => smoothstep(TEETH.lessRed[0], TEETH.lessRed[1], ma - lab[o + 1]) * smoothstep(0, TEETH.lighter, lab[o] - mL));
}

/**
 * The pixels of `region` (0..1 per pixel) that show an open mouth's dark inside (see darkInside). Its shadowed red is
 * like the lips in hue, and `unlike` kept only its darkest core (img57's rounded, talking mouth: a slit of it, the new
 * lips drawn over the rest).
 */
function darkIn(rgb: Float32Array, region: Float32Array, lipColour: ColourModel): Float32Array {
  return scoredIn(rgb, region, (lab, o) => darkInside(lab, o, lipColour.median[0]));
}

/** `region` (0..1 per pixel of `rgb`) times `score` (0..1) of each of its pixels' L*a*b* colour (at `o` of `lab`). */
function scoredIn(rgb: Float32Array, region: Float32Array, score: (lab: Float32Array, o: number) => number): Float32Array {
  const { inside, pixels } = pixelsIn(rgb, region);
  const lab = rgbToLab(pixels, pixels);
  const out = floats(region.length);
  inside.forEach((p, k) => (out[p] = region[p] * score(lab, k * 3)));
  return out;
}

/** The inside of a mouth is redder than it is yellow by this much (a* - b*, ramp), or darker than this (L*) whatever its hue... */
const INSIDE_REDDER = [2, 6] as const;
const BLACK = 8;

/**
 * How surely (0..1) the L*a*b* colour at `o` of `lab` is an open mouth's dark inside: darker than the lips' L*
 * (`lipLightness`) by DARKER_THAN_LIPS (over a ramp), and red or black. A moustache over the lip line is as dark, but
 * brown: as yellow as it is red (img16).
 */
export function darkInside(lab: Float32Array, o: number, lipLightness: number): number {
  const [L, a, b] = [lab[o], lab[o + 1], lab[o + 2]];
  const dark = smoothstep(DARKER_THAN_LIPS - 5, DARKER_THAN_LIPS + 5, lipLightness - L);
  return dark * Math.max(smoothstep(INSIDE_REDDER[0], INSIDE_REDDER[1], a - b), L < BLACK ? 1 : 0);
}

/** The pixels where `region` is above 0, and their interleaved RGB out of `rgb`. */
function pixelsIn(rgb: Float32Array, region: Float32Array): { inside: number[]; pixels: Float32Array } {
  const inside: number[] = [];
  for (let p = 0; p < region.length; p++) if (region[p] > 0) inside.push(p);
  const pixels = floats(inside.length * 3);
  inside.forEach((p, k) => pixels.set(rgb.subarray(p * 3, p * 3 + 3), k * 3));
  return { inside, pixels };
}
