import { MESH_POINTS } from '../face/landmarks.ts';
import { mouthOpening } from '../face/measures.ts';
import { EYE_POLYGON, FACE_OVAL, LIPS_INNER, LIPS_OUTER } from '../face/regions.ts';
import type { Raster } from '../image/raster.ts';
import { floats, releaseScratch, scratchLimit, scratchStep, withScratch } from '../scratch.ts';
import { bendBounds, bendPicture, type BendOptions } from './bend.ts';
import { compositeInto, multiBandBlend } from './blend.ts';
import { giveTint, matchColourStats, monochromeTint, type ColourMatchOptions } from './colour.ts';
import { addTargetTexture } from './detail.ts';
import { faceLayout, regionBounds, toPixels, workGrid } from './face-layout.ts';
import { matchFocus } from './focus.ts';
import { addGrain, matchGrain } from './grain.ts';
import { matchLight } from './light.ts';
import { withInnerLipsFitted } from './lip-fit.ts';
import { featherMask, gaussianBlur, rasterizePolygon } from './mask.ts';
import { enlargedLipColour, lipRecolour, shiftColour, type LipColour } from './lip-colour.ts';
import { withLipsShut, type Mouths } from './mouth.ts';
import { cropPlane, cropRgb, FACE_WORK_SIZE, readRgb, shrunkCopy } from './patch.ts';
import { boundingRect, clipRect, expandRect, mergeOverlapping, unionRect, type Rect } from './region.ts';
import { enlargeBilinear } from './resample.ts';
import { swapGeometry } from './shape.ts';
import { flattenSmileFolds } from './smile-folds.ts';
import { cleanSourceFace } from './source-clean.ts';
import { addSourceDetail, evenSourceLight, renderSourceFace, sourceFace, type SourceFace } from './source-face.ts';
import { targetParts, targetWearsGlasses, type TargetLook } from './target-parts.ts';

/** How one face is swapped. */
export interface FaceSwapOptions {
  /** How far the source's face proportions replace the target's (0..1). */
  shapeStrength: number;
  /** Keep the target's eyes (its gaze) rather than the source's. */
  keepTargetEyes: boolean;
  /**
   * Keep the target's beard and moustache over the new face: a shaven source on a bearded face then wears the beard,
   * rather than showing the beard only past its jaw, like a frame. The face then reads as more the target's person to
   * the identity embedding (the quality bench's `--keep-beard`): off unless asked for.
   */
  keepTargetBeard?: boolean;
  /**
   * Soften a face far grainier than the target photo's skin to it, and blur one far sharper than the photo's own face
   * to its focus (default true). Off where the canvas is the target enlarged (`4k`): its softness is the enlargement's,
   * not the photo's, and the face is drawn sharp at the output's size.
   */
  softenToTarget?: boolean;
  /**
   * The new face's colour, light, hair and blend are worked out with the face at most this many px across
   * (larger faces on a smaller copy); the source's finer detail is then added back at full size.
   */
  workSize: number;
}

export const DEFAULT_FACE_SWAP: FaceSwapOptions = { shapeStrength: 1, keepTargetEyes: false, workSize: FACE_WORK_SIZE };
/** Width of the new face's soft edge, relative to the face's size. */
const FEATHER = 0.03;
/** ...and of its edge around what the render left out (where the target's skin shows). */
const LEFT_OUT_FEATHER = 0.02;
/**
 * Limits on how far the source's colour spread is scaled to the target's: lightness relative to its mean, and a*
 * and b*. A target's bare skin holds stubble and shading too, so its spread says more than its skin's alone.
 */
const COLOUR_MATCH = { contrastRange: [0.75, 1.6], gainRange: [0.75, 1.33] } satisfies ColourMatchOptions;
/** The share of the skin's change of hue that what is no skin takes. */
const NON_SKIN_HUE = 0.35;
/** The skin's detail (pores, stubble, lines) is finer than this, relative to the face's size: its shading is coarser. */
const FINE_DETAIL_SIGMA = 0.03;
/** Reach of the light matching, relative to the face's size: slower changes of light are the target's. */
const LIGHT_SIGMA = 0.12;
/** ...and of what was painted over where the source had hair or an earring. */
const FILL_LIGHT_SIGMA = 0.04;
/** Where hair was painted over, the target's skin texture is taken at this scale (relative to the face's size)... */
const TEXTURE_SCALE = 0.01;
/** ...and faded in over this far (relative to the face's size), from where it is at least this. */
const TEXTURE_FADE = 0.02;
const TEXTURE_MIN = 0.02;
/** ...and painted parts take a grain from where they are at least this. */
const GRAIN_FROM = 0.02;
/** How far beyond the face outline the surroundings bend to the new face shape, relative to the face's radius. */
const SURROUNDINGS_REACH = 1.4;
/** Margin (px) around the source face's outline within which a swap reads the source picture. */
const SOURCE_MARGIN = 16;
/** The bend is worked out on a grid this fine, relative to the face's radius. */
const BEND_CELL = 1 / 40;
/**
 * A face's swap keeps at most about this much scratch memory: a part that does not grow with the face (its work at
 * work size) and bytes per pixel of its rectangle (measured: 42 MB for faces of 375 x 435 and 500 x 595 px, 113 MB
 * for 990 x 1180).
 */
const SCRATCH_BYTES = { fixed: 22e6, perPixel: 80 };

/**
 * Puts the source face (its pixels and proportions) on one target face of `canvas`, in place.
 * Meshes are 468 (or more) x,y,z points in their own picture's pixels. Returns the rectangle that may have changed
 * (its {@link swapFootprint}): every pixel outside it is left bit-identical.
 */
export function swapFace(canvas: Raster, meshAsFound: Float32Array, source: Raster, sourceMesh: Float32Array, options: FaceSwapOptions = DEFAULT_FACE_SWAP): Rect {
  // The mouth's opening as the photo shows it: the new face takes its shape (see lip-fit.ts).
  const targetMesh = withInnerLipsFitted(canvas, meshAsFound);
  const plan = planSwap(canvas.width, canvas.height, targetMesh, sourceMesh, options);
  const swap = () => {
    // Told on the target as it is: bent to the source's proportions, a face near the threshold gained or lost them.
    const look: TargetLook = { wearsGlasses: targetWearsGlasses(canvas, targetMesh), keepBeard: options.keepTargetBeard ?? false };
    // By the face's own points: iris points (a swap's meshes carry them) move with their eyes, inside the new face.
    scratchStep(() => bendPicture(canvas, targetMesh.subarray(0, MESH_POINTS * 3), plan.geometry.subarray(0, MESH_POINTS * 3), plan.bend));
    const { faceRect, geometry } = plan;
    const scale = Math.min(1, options.workSize / Math.max(faceRect.width, faceRect.height));
    const from = sourceFace(source, sourceMesh);
    const { rgb, mask, bare, paintedGrain, lipColour } = scale < 1 ? newFaceFromCopy(canvas, faceRect, geometry, from, scale, options, look) : newFaceAtSize(canvas, faceRect, geometry, from, options, look);
    const soften = options.softenToTarget !== false;
    // A sharp source on a soft photo (enlarged, retouched, not quite in focus) is as soft as the photo's own face was.
    // An enlarged source's face softer than the photo's is sharpened towards it.
    if (soften) scratchStep(() => matchFocus(rgb, canvas, faceRect, (p) => mask[p] > 0.5, sourceEnlargement(faceRect, sourceMesh)));
    // A soft source photo, or one enlarged, is smoother than the target photo's skin around the new face, and a sharp
    // one on a soft photo grainier, which gives the face away as pasted: it takes the photo's grain.
    matchGrain(rgb, canvas, faceRect, (p) => bare[p] >= 0.5, (p) => mask[p], soften ? (p) => mask[p] * bare[p] : undefined);
    // What was painted over takes the grain of the skin around as it now is: taken before the skin was softened to a
    // soft photo's, a sharp source's painted glasses frames stood out as rows of dots (img24 onto img29).
    if (paintedGrain) scratchStep(() => addGrain(rgb, faceRect.width, faceRect.height, paintedGrain.regions, paintedGrain.weight, paintedGrain.reference));
    // The colour match keeps some of the source's colours (its eyes and lips more): on a black-and-white or sepia
    // target, that was a coloured face on a grey photo. There the new face takes the target's one tint.
    const tint = monochromeTint(canvas, faceRect);
    if (tint) giveTint(rgb, tint);
    // The target's lips kept there take the source's lips' lightness only: they have the photo's tint already.
    if (lipColour) shiftColour(canvas, faceRect, tint ? { ...lipColour, shift: [lipColour.shift[0], 0, 0] } : lipColour);
    compositeInto(canvas, faceRect, rgb, mask);
    return plan.footprint;
  };
  // A face's intermediates are scratch, reused by the next face (the source's, kept for it, are not). A face too
  // large for this thread's scratch memory takes ordinary arrays, which the collector frees as it goes: scratch held
  // for part of it would stay pinned throughout (100 MB more at the peak of a 4K swap), so it is given back.
  if (scratchBytesOf(plan.faceRect) <= scratchLimit()) return withScratch(swap);
  releaseScratch();
  return swap();
}

/** How many times its size the source face (its mesh's outline) is drawn at in `faceRect`. */
function sourceEnlargement(faceRect: Rect, sourceMesh: Float32Array): number {
  const source = boundingRect(sourceMesh, { stride: 3, indices: FACE_OVAL });
  return Math.max(faceRect.width, faceRect.height) / Math.max(1, source.width, source.height);
}

/** The scratch memory that swapping the face of `targetMesh` into a `width` x `height` canvas takes (bytes). */
export function swapScratchBytes(width: number, height: number, targetMesh: Float32Array, sourceMesh: Float32Array, options: FaceSwapOptions = DEFAULT_FACE_SWAP): number {
  return scratchBytesOf(planSwap(width, height, targetMesh, sourceMesh, options).faceRect);
}

function scratchBytesOf(faceRect: Rect): number {
  return SCRATCH_BYTES.fixed + SCRATCH_BYTES.perPixel * faceRect.width * faceRect.height;
}

/**
 * The rectangle of a `width` x `height` canvas that swapping the face of `targetMesh` reads and writes: faces whose
 * footprints do not overlap can be swapped in any order, or at once, with the same result.
 */
export function swapFootprint(width: number, height: number, targetMesh: Float32Array, sourceMesh: Float32Array, options: FaceSwapOptions = DEFAULT_FACE_SWAP): Rect {
  return planSwap(width, height, targetMesh, sourceMesh, options).footprint;
}

/**
 * The rectangle of the source picture that a swap from the face of `sourceMesh` reads: its outline's bounds and a
 * margin (the source's copies are cut 8 px out, and bilinear samples reach a pixel further).
 */
export function sourceFootprint(width: number, height: number, sourceMesh: Float32Array): Rect {
  return boundingRect(sourceMesh, { stride: 3, indices: FACE_OVAL, pad: SOURCE_MARGIN, clipWidth: width, clipHeight: height });
}

/** Where one face's swap works: the new geometry, the new face's rectangle, the bend of its surroundings. */
function planSwap(width: number, height: number, targetMesh: Float32Array, sourceMesh: Float32Array, options: FaceSwapOptions) {
  const geometry = swapGeometry(sourceMesh, targetMesh, { strength: options.shapeStrength });
  const faceRect = boundingRect(geometry, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: width, clipHeight: height });
  const bend = surroundingsBend(targetMesh);
  return { geometry, faceRect, bend, footprint: unionRect(bendBounds(bend, width, height), faceRect) };
}

/**
 * The blended new face over `rect` and its blend weight; `painted` is where the render was painted over, `textured`
 * where that fill took the target's skin texture (0..1), in the regions `texturedBounds`.
 */
interface NewFace {
  rgb: Float32Array;
  mask: Float32Array;
  painted: Float32Array;
  textured: Float32Array;
  texturedBounds: Rect[];
  /** Skin bare in both faces, 0..1 per pixel. */
  bare: Float32Array;
  /**
   * Where what was painted over is smoother than the skin around and takes a grain (see addGrain): the regions, how
   * much each pixel takes, the pixels whose grain it matches. Only where the face was worked out on a smaller copy.
   */
  paintedGrain?: { regions: Rect[]; weight: (p: number) => number; reference: (p: number) => boolean };
  /** Where the target's lips stay under a source's open smile, and the colour they take (see lipRecolour). */
  lipColour?: LipColour;
  /** Whether the source's face was drawn with its lips shut (see renderedGeometry). */
  mouthShut: boolean;
}

/** The new face over `rect` of a picture whose pixels there are `background` (interleaved RGB). */
function newFace(background: Float32Array, faceRect: Rect, geometry: Float32Array, source: SourceFace, options: FaceSwapOptions, look: TargetLook): NewFace {
  const faceSize = Math.max(faceRect.width, faceRect.height);
  const { width: w, height: h } = faceRect;
  const n = w * h;

  // Skin, hair, glasses and lips are looked for on a coarser grid; what is found is brought back to pixels.
  const grid = workGrid(faceRect, geometry, faceSize);
  const layout = faceLayout(grid);
  const outline = rasterizePolygon(geometry, faceRect, { stride: 3, indices: FACE_OVAL });
  const mouth = rasterizePolygon(geometry, faceRect, { stride: 3, indices: LIPS_INNER });
  const lipLine = rasterizePolygon(geometry, faceRect, { stride: 3, indices: LIPS_OUTER });
  const mouths: Mouths = { opening: mouth, lipLine, openness: mouthOpening(geometry), sourceOpenness: mouthOpening(source.mesh) };
  const { keep, targetSkin, keptLips, mouthShut } = targetParts(background, grid, layout, mouths, look);
  const face = renderSourceFace(source, renderedGeometry(geometry, mouthShut), faceRect, faceSize);
  // What the render leaves out of the face, but for the mouth and the eyes (skin under hair on both sides of the
  // source's face, whose mirror image is no better), is the target's own skin, in its own light: painted over from the
  // render around it, it came out a smooth smudge tinted by the hair there (img3, img54). By the eyes and on their
  // lids the target's own skin brings its make-up (img26's eyeliner wing, beside img22's eye): that is painted over.
  // Read before cleanSourceFace fills the gaps.
  const leftOut = floats(n);
  const byEyes = toPixels(grid, layout.nearFeaturesButBrows.map((v, c) => Math.max(v, layout.lids[c])));
  for (let p = 0; p < n; p++) leftOut[p] = face.coverage[p] > 0 || !(outline[p] > 0) || lipLine[p] > 0 || byEyes[p] >= 0.5 ? 0 : 1;
  const { skin: sourceSkin, painted, strays } = cleanSourceFace(face, grid, layout, outline, mouth, lipLine);
  evenSourceLight(face, source, geometry, grid, layout, sourceSkin);
  const mask = faceMask(geometry, faceRect, outline, faceSize, options);
  // All of what was left out, however narrow, and a soft edge around it: a strip's fill is tinted by the hair beside it.
  const around = gaussianBlur(leftOut, w, h, faceSize * LEFT_OUT_FEATHER);
  for (let p = 0; p < n; p++) mask[p] *= (1 - keep[p]) * (1 - Math.max(leftOut[p], Math.min(1, 2 * around[p])));

  // Colour and light are matched on skin bare in both faces: no beard, brows, lips or hair in the figures.
  const bareCells = floats(grid.width * grid.height);
  for (let c = 0; c < bareCells.length; c++) bareCells[c] = sourceSkin[c] * targetSkin[c] * (1 - layout.features[c]);
  const bare = toPixels(grid, bareCells);
  for (let p = 0; p < n; p++) if (!(mask[p] > 0.5)) bare[p] = 0;
  // What is no skin (eyes, brows, lips) takes only part of the skin's change of hue: blue eyes stay blue.
  const hueWeight = toPixels(grid, sourceSkin.map((v) => NON_SKIN_HUE + (1 - NON_SKIN_HUE) * v));
  // Their lightness keeps its ratio to the skin's: the spread matched to a target's hard-lit skin turned blue irises
  // black (img29 -> img34).
  const contrastWeight = toPixels(grid, sourceSkin);
  // The lightness's spread is matched on the skin's detail; its shading may only flatten. A hard-lit target's spread
  // is mostly its light (matched next), and matched on the whole face it deepened an evenly lit source's creases and
  // eyelids to dark bands (img29 -> img34).
  const fineDetail = { width: w, height: h, sigma: faceSize * FINE_DETAIL_SIGMA };
  // Whose highlights are skin's: what is like skin, and what lies away from the features, however unlike skin its
  // colour is (a shine blown to white; a grey patch on img13's forehead over img16 when told by colour alone).
  const skinForHighlights = toPixels(grid, sourceSkin.map((v, c) => Math.max(v, 1 - layout.nearFeatures[c])));
  const coloured = matchColourStats(face.rgb, bare, background, bare, { ...COLOUR_MATCH, hueWeight, contrastWeight, fineDetail, skin: skinForHighlights });
  const lit = matchLight(coloured, background, bare, w, h, { sigma: faceSize * LIGHT_SIGMA });
  // The source's hair or earring painted over is smooth: it takes the target's skin texture there.
  const textured = toPixels(grid, gaussianBlur(strays, grid.width, grid.height, grid.faceSize * TEXTURE_FADE));
  const texturedBounds = regionBounds(textured, w, h, TEXTURE_MIN);
  // It carries none of the source's face, but the colour of the skin painted in from around it, in the source's light
  // there: it takes the target's light at a finer reach (a pale patch by couple.jpg's man's ear, where an earring was).
  // Over each part's bounds and the light's reach around them.
  const reach = Math.ceil(faceSize * FILL_LIGHT_SIGMA * 3);
  for (const window of mergeOverlapping(texturedBounds.map((b) => clipRect(expandRect(b, reach), w, h)))) {
    const fine = matchLight(cropRgb(coloured, w, window), cropRgb(background, w, window), cropPlane(bare, w, window), window.width, window.height, { sigma: faceSize * FILL_LIGHT_SIGMA });
    for (let y = 0; y < window.height; y++) {
      for (let x = 0; x < window.width; x++) {
        const p = (window.y + y) * w + window.x + x, q = y * window.width + x;
        const t = Math.min(1, textured[p]);
        if (t > 0) for (let c = 0; c < 3; c++) lit[p * 3 + c] += t * (fine[q * 3 + c] - lit[p * 3 + c]);
      }
    }
  }
  flattenSmileFolds(lit, background, faceRect, faceSize, geometry, source.mesh, { source: contrastWeight, target: toPixels(grid, targetSkin) }, lipLine);
  addTargetTexture(lit, textured, w, Math.max(2, Math.round(faceSize * TEXTURE_SCALE)), texturedBounds, (window) => cropRgb(background, w, window));
  // Multi-band rather than Poisson: a hair strand on the mask border smears into the cheek under Poisson.
  const lipColour = keptLips ? lipRecolour(background, lit, keptLips, grid, layout.lips, mouth) : null;
  return { rgb: multiBandBlend(background, lit, mask, w, h), mask, painted, textured, texturedBounds, bare, mouthShut, ...(lipColour && { lipColour }) };
}

/**
 * Where the source's face is drawn: the new geometry, with the lips shut where the target's mouth is (see keptMouth).
 * The mesh draws a shut mouth a little open; drawn as it is, the gap between the lips was painted from their dark
 * inner edges (a dark wedge between img13's lips on img16).
 */
function renderedGeometry(geometry: Float32Array, mouthShut: boolean): Float32Array {
  return mouthShut ? withLipsShut(geometry) : geometry;
}

/**
 * The new face of a face no larger than the work size, worked out at its own size. What was painted over takes a grain
 * here too (see newFaceFromCopy): left smooth, the skin rebuilt where img24's glasses were was a flat pale band
 * around the eyes of img16's small face. On both paths the grain is the bare skin's: a beard's hairs are no grain.
 */
function newFaceAtSize(canvas: Raster, faceRect: Rect, geometry: Float32Array, source: SourceFace, options: FaceSwapOptions, look: TargetLook): Pick<NewFace, 'rgb' | 'mask' | 'bare' | 'paintedGrain' | 'lipColour'> {
  const face = newFace(readRgb(canvas, faceRect), faceRect, geometry, source, options, look);
  const { width: w, height: h } = faceRect;
  const regions = grainRegions(face, w, h, (b) => clipRect(expandRect(b, 1), w, h));
  const paintedGrain = { regions, weight: (p: number) => Math.min(1, face.painted[p]) - face.textured[p], reference: (p: number) => !(face.painted[p] > 0) && face.bare[p] >= 0.5 };
  return { ...face, paintedGrain };
}

/**
 * The regions where what was painted over, but for what took the target's texture, is smoother than the skin around
 * and takes a grain as fine (the skin around the eyes rebuilt where glasses were, img24): found on the new face (`w` x
 * `h`), each brought to where the grain is added by `place`.
 */
function grainRegions({ painted, textured }: Pick<NewFace, 'painted' | 'textured'>, w: number, h: number, place: (r: Rect) => Rect): Rect[] {
  const toGrain = painted.map((v, p) => Math.min(1, v) - textured[p]);
  return mergeOverlapping(regionBounds(toGrain, w, h, GRAIN_FROM).map(place));
}

/**
 * The new face of a large face: worked out on a copy of its rectangle shrunk by `scale`, enlarged back, with the
 * detail finer than the copy holds taken from a full-size render of the source (except where it was painted over).
 */
function newFaceFromCopy(canvas: Raster, faceRect: Rect, geometry: Float32Array, source: SourceFace, scale: number, options: FaceSwapOptions, look: TargetLook): Pick<NewFace, 'rgb' | 'mask' | 'bare' | 'paintedGrain' | 'lipColour'> {
  const { width: w, height: h } = faceRect;
  // The size shrunkCopy makes.
  const sw = Math.max(1, Math.round(w * scale)), sh = Math.max(1, Math.round(h * scale));
  const sx = sw / w, sy = sh / h;
  // The new face on the copy is all that outlives its step: the scratch memory of its work is the full-size steps'.
  const face: NewFace = { rgb: floats(sw * sh * 3), mask: floats(sw * sh), painted: floats(sw * sh), textured: floats(sw * sh), texturedBounds: [], bare: floats(sw * sh), mouthShut: false };
  // The lips' colour worked out on the copy (its weights over at most the whole copy).
  const lipWeights = floats(sw * sh);
  let lips = null as Omit<LipColour, 'weight'> | null;
  scratchStep(() => {
    const small = shrunkCopy(canvas, faceRect, w * scale, h * scale);
    const smallRect = { x: 0, y: 0, width: sw, height: sh };
    const local = floats(geometry.length);
    for (let i = 0; i < geometry.length; i += 3) {
      local[i] = (geometry[i] - faceRect.x) * sx;
      local[i + 1] = (geometry[i + 1] - faceRect.y) * sy;
      local[i + 2] = geometry[i + 2] * (sx + sy) / 2;
    }
    const made = newFace(readRgb(small, smallRect), smallRect, local, source, options, look);
    for (const plane of ['rgb', 'mask', 'painted', 'textured', 'bare'] as const) face[plane].set(made[plane]);
    face.texturedBounds = made.texturedBounds;
    face.mouthShut = made.mouthShut;
    if (made.lipColour) {
      const { weight, ...colour } = made.lipColour;
      lipWeights.set(weight);
      lips = colour;
    }
  });
  const enlarged = (plane: Float32Array, channels = 1) => enlargeBilinear(plane, channels, sw, sh, w, h);
  const rgb = enlarged(face.rgb, 3);
  // Detail finer than f x f blocks is added back; a copy shrunk by less than 1.5 still loses the 2 px detail (to its
  // enlarging, too).
  const f = Math.max(2, Math.round(1 / scale));
  // The source's detail everywhere but where its render was painted over; the target's texture where that was hair.
  const unpainted = floats(face.painted.length);
  for (let p = 0; p < unpainted.length; p++) unpainted[p] = 1 - Math.min(1, face.painted[p]);
  const detailWeight = enlarged(unpainted);
  scratchStep(() => addSourceDetail(rgb, detailWeight, source, renderedGeometry(geometry, face.mouthShut), faceRect, f));
  // A region's bounds on the copy, brought to full size.
  const fullSize = (b: Rect) => {
    const x = Math.floor(b.x / sx), y = Math.floor(b.y / sy);
    return { x, y, width: Math.ceil((b.x + b.width) / sx) - x, height: Math.ceil((b.y + b.height) / sy) - y };
  };
  const textured = face.texturedBounds.length ? enlarged(face.textured) : null;
  if (textured) {
    addTargetTexture(rgb, textured, w, f, face.texturedBounds.map(fullSize), (window) => readRgb(canvas, { ...window, x: window.x + faceRect.x, y: window.y + faceRect.y }));
  }
  const mask = enlarged(face.mask);
  const regions = grainRegions(face, sw, sh, (b) => clipRect(expandRect(fullSize(b), 1), w, h));
  const bare = enlarged(face.bare);
  const paintedGrain = { regions, weight: (p: number) => 1 - detailWeight[p] - (textured ? textured[p] : 0), reference: (p: number) => detailWeight[p] >= 1 && bare[p] >= 0.5 };
  const lipColour = lips ? enlargedLipColour(lipWeights, lips, fullSize, w, h) : null;
  return { rgb, mask, bare, paintedGrain, ...(lipColour && { lipColour }) };
}

/** The blend weight of the new face: its outline eroded and feathered (and the eyes left to the target when asked). */
function faceMask(geometry: Float32Array, rect: Rect, outline: Float32Array, faceSize: number, options: FaceSwapOptions): Float32Array {
  const { width: w, height: h } = rect;
  const mask = featherMask(outline, w, h, { erode: faceSize * 0.005, feather: faceSize * FEATHER });

  if (!options.keepTargetEyes) return mask;
  const holes = floats(w * h);
  for (const eye of [EYE_POLYGON.left, EYE_POLYGON.right]) {
    const e = rasterizePolygon(geometry, rect, { stride: 3, indices: eye });
    for (let p = 0; p < e.length; p++) holes[p] = Math.max(holes[p], e[p]);
  }
  const soft = gaussianBlur(holes, w, h, Math.max(1, faceSize * 0.006));
  for (let p = 0; p < mask.length; p++) mask[p] *= 1 - Math.min(1, soft[p] * 1.5);
  return mask;
}

/**
 * How the target picture bends so that its face outline, features and mouth opening move to the new geometry: the
 * bend fades to nothing at a ring around the face (1.4 times its radius), so there is no doubled jaw line, no tear.
 */
function surroundingsBend(from: Float32Array): BendOptions {
  let cx = 0, cy = 0;
  for (const i of FACE_OVAL) {
    cx += from[i * 3] / FACE_OVAL.length;
    cy += from[i * 3 + 1] / FACE_OVAL.length;
  }
  let radius = 0;
  const ring = floats(FACE_OVAL.length * 2);
  FACE_OVAL.forEach((i, k) => {
    ring[k * 2] = cx + (from[i * 3] - cx) * SURROUNDINGS_REACH;
    ring[k * 2 + 1] = cy + (from[i * 3 + 1] - cy) * SURROUNDINGS_REACH;
    radius += Math.hypot(from[i * 3] - cx, from[i * 3 + 1] - cy) / FACE_OVAL.length;
  });
  return { stride: 3, ring, cell: Math.max(2, radius * BEND_CELL) };
}
