import { MESH_POINTS, TRIANGULATION } from '../face/landmarks.ts';
import { halvedCrop } from '../face/pyramid.ts';
import { EYE_POLYGON, FACE_OVAL, LIPS_INNER, LIPS_OUTER } from '../face/regions.ts';
import { MIRROR_POINT } from '../face/symmetry.ts';
import type { Raster } from '../image/raster.ts';
import { bendBounds, bendPicture, type BendOptions } from './bend.ts';
import { compositeInto, multiBandBlend, poissonBlend } from './blend.ts';
import { enlarge, giveTint, matchColourStats, monochromeTint, rgbToLab, shrink, type ColourMatchOptions } from './colour.ts';
import { findBeard } from './beard.ts';
import { evenLight, evenLightStrength } from './even-light.ts';
import { findEyewear } from './eyewear.ts';
import { lookWhereTargetLooks } from './gaze.ts';
import { addGrain } from './grain.ts';
import { cleanRegion, faceLayout, gridRect, grow, regionBounds, regionMeans, seededRegions, smoothstep, toGrid, toPixels, workGrid, type FaceLayout, type WorkGrid } from './face-layout.ts';
import { matchLight } from './light.ts';
import { featherMask, gaussianBlur, rasterizePolygon } from './mask.ts';
import { cropPlane, cropRgb, lumaOf, readRgb } from './patch.ts';
import { enlargeBilinear, forEachEnlargedRow, resizeRaster } from './resample.ts';
import { boundingRect, clipRect, expandRect, mergeOverlapping, planeBounds, pointsInCrop, unionRect, type Rect } from './region.ts';
import { swapGeometry } from './shape.ts';
import { sourceVisibility, type GlassesFrames, type Visibility } from './visibility.ts';
import { colourModel, likeness, skinModel, type ColourModel } from './skin.ts';
import { warpTriangles, type WarpResult } from './warp.ts';
import { bytes, floats, floatsCopy, int32s, outsideScratch, releaseScratch, scratchLimit, scratchStep, withScratch } from '../scratch.ts';

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
   * The new face's colour, light, hair and blend are worked out with the face at most this many px across
   * (larger faces on a smaller copy); the source's finer detail is then added back at full size.
   */
  workSize: number;
}

export const DEFAULT_FACE_SWAP: FaceSwapOptions = { shapeStrength: 1, keepTargetEyes: false, workSize: 256 };
/** Width of the cross-fade from the own render to the mirrored one, relative to the face's size. */
const MIRROR_BAND = 0.02;
/** How far past the hidden parts the mirrored render reaches (around the cross-fade, where it meets the own render). */
const MIRROR_REACH = 0.08;
/** The source is halved while it is more than this much larger than the face it is rendered as. */
const MAX_DOWNSCALE = 1.5;
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
/** Reach of a side-lit source's evening out, relative to the face's size: the shadow's edge is sharper than LIGHT_SIGMA. */
const EVEN_LIGHT_SIGMA = 0.06;
/** Skin is told from hair and background by colour; a flush or blush (redder) is still skin. */
const SKIN = { redder: 0.3 };
/** A bit of a fair lock is less red and yellower than the skin's median by these many spreads (a*, b*), and less skin-like than this. */
const FAIR_LOCK = { lessRed: 2.5, yellower: 1.5, skinLike: 0.6 };
/** Stray hair is painted over this far past where it is found, relative to the face's size (its fine ends). */
const STRAY_GROWTH = 0.015;
/** Stray hair is told from the face's own dark patches by reaching within this far of the outline (relative to the face's size). */
const STRAY_REACH = 0.05;
/** Local contrast (std of luma over 3 x 3 px, 0..255) from which a patch is too busy to be skin: metal, lace, hair. */
const BUSY: [number, number] = [20, 36];
/** Something unlike skin near the face's edge (within the first figure, relative to the face's size) is painted over unless it reaches deeper than the second. */
const EDGE_OBJECT_DEPTH: [number, number] = [0.08, 0.12];
/**
 * Something unlike skin at the edge that runs within `chinReach` of the chin's bottom (relative to the face's size) and
 * is on average at least `busy` (local contrast, as BUSY) is a beard, not an object.
 */
const BEARD = { chinReach: 0.05, busy: 5 };
/** The mesh's point at the bottom of the chin. */
const CHIN = 152;
/** Such an object is painted over this far past where it is found (relative to the face's size). */
const EDGE_OBJECT_GROWTH = 0.05;
/** ...and so are its parts further out this much darker than the skin (in spreads of its lightness): no shade is. */
const TAIL_DARKNESS = 3.5;
/** Unpainted specks among painted parts are painted too up to this size squared (relative to the face's size). */
const SPECK = 0.03;
/** A patch of the target unlike its skin, apart from the face's edge, is its own up to this many specks in size (see SPECK). */
const LOOSE_PATCH = 2;
/** ...and one at its edge reaching no higher than the brows, up to this many. */
const LOW_PATCH = 8;
/** How far the soft edge of the target's hair over the face reaches past its solid part, relative to the face's size. */
const HAIR_EDGE = 0.03;
/** The source's glasses are painted over this far past their frames (relative to the face's size). */
const FRAME_GROWTH = 0.012;
/** Where hair was painted over, the target's skin texture is taken at this scale (relative to the face's size)... */
const TEXTURE_SCALE = 0.01;
/** ...and faded in over this far (relative to the face's size), from where it is at least this. */
const TEXTURE_FADE = 0.02;
const TEXTURE_MIN = 0.02;
/** ...and painted parts take a grain from where they are at least this. */
const GRAIN_FROM = 0.02;
/** How far past the mesh's mouth opening (relative to the face's size) the target's teeth are looked for within the lip line. */
const MOUTH_SEARCH = 0.03;
/**
 * Mouth openings (height over width) between which the mesh may have closed the lips over teeth that show: a mouth
 * it shows shut is taken as shut (a lit lower lip is no teeth), a wider one as drawn.
 */
const SLIGHTLY_OPEN = [0.015, 0.1] as const;
/** Softness of the edge of a target's lips kept under an open smile, relative to the face's size. */
const KEPT_LIPS_FEATHER = 0.01;
/** Teeth are this much less red (a*, ramp) and lighter (L*, ramp) than the lips' median. */
const TEETH = { lessRed: [6, 12], lighter: 10 } as const;
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
export function swapFace(canvas: Raster, targetMesh: Float32Array, source: Raster, sourceMesh: Float32Array, options: FaceSwapOptions = DEFAULT_FACE_SWAP): Rect {
  const plan = planSwap(canvas.width, canvas.height, targetMesh, sourceMesh, options);
  const swap = () => {
    // By the face's own points: iris points (a swap's meshes carry them) move with their eyes, inside the new face.
    scratchStep(() => bendPicture(canvas, targetMesh.subarray(0, MESH_POINTS * 3), plan.geometry.subarray(0, MESH_POINTS * 3), plan.bend));
    const { faceRect, geometry } = plan;
    const scale = Math.min(1, options.workSize / Math.max(faceRect.width, faceRect.height));
    const from = sourceFace(source, sourceMesh);
    const { rgb, mask } = scale < 1 ? newFaceFromCopy(canvas, faceRect, geometry, from, scale, options) : newFace(readRgb(canvas, faceRect), faceRect, geometry, from, options);
    // The colour match keeps some of the source's colours (its eyes and lips more): on a black-and-white or sepia
    // target, that was a coloured face on a grey photo. There the new face takes the target's one tint.
    const tint = monochromeTint(canvas, faceRect);
    if (tint) giveTint(rgb, tint);
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
}

/**
 * The source's picture, its face's mesh (x, y, z per point, its px), which of its triangles show the face, and its
 * copies shrunk for smaller faces (by number of halvings), made as they are first needed.
 */
interface SourceFace {
  image: Raster;
  mesh: Float32Array;
  visibility: Visibility;
  levels: Map<number, { image: Raster; mesh: Float32Array }>;
  /** Whether it wears glasses, found with the visibility (whose hair is not their frames). */
  glasses: boolean;
  /** How much its light is evened out (see even-light.ts), found when first asked. */
  evening?: number;
}

/**
 * The share of the source face (of its area, 0..1) that hair covers, which a swap rebuilds from the mirrored side or
 * the skin around. The source is looked at once and kept: asked before a swap (when it is chosen), the swap uses
 * that look; after one, this is free.
 */
export function sourceHairCover(source: Raster, sourceMesh: Float32Array): number {
  return sourceFace(source, sourceMesh).visibility.hairCover;
}

/** Source faces by mesh: one source goes on every face of a target, and is looked at once. */
const sourceFaces = new WeakMap<Float32Array, SourceFace>();

/** What a swap works out of a source face whatever the target: worked out once, by whichever thread has time. */
export interface SourceLook {
  visibility: Visibility;
  glasses: boolean;
  evening: number;
}

/** Works out the {@link SourceLook} of a source face now, kept for the swaps from it, and returns it. */
export function lookAtSource(source: Raster, sourceMesh: Float32Array): SourceLook {
  const face = sourceFace(source, sourceMesh);
  return { visibility: face.visibility, glasses: face.glasses, evening: eveningOf(face) };
}

/** How much a source face's light is evened out (see even-light.ts): measured once, as the rest of its look. */
function eveningOf(face: SourceFace): number {
  face.evening ??= evenLightStrength(face.image, face.mesh);
  return face.evening;
}

/** Keeps the look at a source face that another thread worked out, unless this thread has looked at it already. */
export function adoptSourceLook(source: Raster, sourceMesh: Float32Array, look: SourceLook): void {
  if (sourceFaces.get(sourceMesh)?.image === source) return;
  sourceFaces.set(sourceMesh, { image: source, mesh: sourceMesh, ...look, levels: new Map() });
}

function sourceFace(image: Raster, mesh: Float32Array): SourceFace {
  let face = sourceFaces.get(mesh);
  if (face?.image !== image) {
    // The costliest part of a source's first swap, marked where it runs (each thread has its own timeline), with the
    // picture's size to tell which picture's it is.
    performance.mark('faceswap:source-look', { detail: { width: image.width, height: image.height } });
    face = outsideScratch(() => {
      const glasses = sourceGlasses(image, mesh);
      return { image, mesh, visibility: sourceVisibility(image, mesh, glasses), glasses: glasses !== null, levels: new Map() };
    });
    sourceFaces.set(mesh, face);
  }
  return face;
}

/** The new face over `rect` of a picture whose pixels there are `background` (interleaved RGB). */
function newFace(background: Float32Array, faceRect: Rect, geometry: Float32Array, source: SourceFace, options: FaceSwapOptions): NewFace {
  const faceSize = Math.max(faceRect.width, faceRect.height);
  const { width: w, height: h } = faceRect;
  const n = w * h;

  const face = renderSourceFace(source, geometry, faceRect, faceSize);
  // Skin, hair, glasses and lips are looked for on a coarser grid; what is found is brought back to pixels.
  const grid = workGrid(faceRect, geometry, faceSize);
  const layout = faceLayout(grid);
  const outline = rasterizePolygon(geometry, faceRect, { stride: 3, indices: FACE_OVAL });
  const mouth = rasterizePolygon(geometry, faceRect, { stride: 3, indices: LIPS_INNER });
  const lipLine = rasterizePolygon(geometry, faceRect, { stride: 3, indices: LIPS_OUTER });
  // What the render leaves out of the face, but for the mouth (skin under hair on both sides of the source's face,
  // whose mirror image is no better), is the target's own skin, in its own light: painted over from the render around
  // it, it came out a smooth smudge tinted by the hair there (img3, img54). Read before cleanSourceFace fills the gaps.
  const leftOut = floats(n);
  for (let p = 0; p < n; p++) leftOut[p] = face.coverage[p] > 0 || !(outline[p] > 0) || lipLine[p] > 0 ? 0 : 1;
  const { skin: sourceSkin, painted, strays } = cleanSourceFace(face, grid, layout, outline, mouth, lipLine);
  const evening = eveningOf(source);
  if (evening > 0) evenSourceLight(face, source, evening, geometry, grid, layout, sourceSkin);
  const { keep, targetSkin } = targetParts(background, grid, layout, mouth, lipLine, mouthOpening(geometry), mouthOpening(source.mesh), options.keepTargetBeard ?? false);
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
  const coloured = matchColourStats(face.rgb, bare, background, bare, { ...COLOUR_MATCH, hueWeight, contrastWeight, fineDetail });
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
  addTargetTexture(lit, textured, w, Math.max(2, Math.round(faceSize * TEXTURE_SCALE)), texturedBounds, (window) => cropRgb(background, w, window));
  // Multi-band rather than Poisson: a hair strand on the mask border smears into the cheek under Poisson.
  return { rgb: multiBandBlend(background, lit, mask, w, h), mask, painted, textured, texturedBounds };
}

/**
 * The new face of a large face: worked out on a copy of its rectangle shrunk by `scale`, enlarged back, with the
 * detail finer than the copy holds taken from a full-size render of the source (except where it was painted over).
 */
function newFaceFromCopy(canvas: Raster, faceRect: Rect, geometry: Float32Array, source: SourceFace, scale: number, options: FaceSwapOptions): { rgb: Float32Array; mask: Float32Array } {
  const { width: w, height: h } = faceRect;
  // The size shrunkCopy makes.
  const sw = Math.max(1, Math.round(w * scale)), sh = Math.max(1, Math.round(h * scale));
  const sx = sw / w, sy = sh / h;
  // The new face on the copy is all that outlives its step: the scratch memory of its work is the full-size steps'.
  const face: NewFace = { rgb: floats(sw * sh * 3), mask: floats(sw * sh), painted: floats(sw * sh), textured: floats(sw * sh), texturedBounds: [] };
  scratchStep(() => {
    const small = shrunkCopy(canvas, faceRect, w * scale, h * scale);
    const smallRect = { x: 0, y: 0, width: sw, height: sh };
    const local = floats(geometry.length);
    for (let i = 0; i < geometry.length; i += 3) {
      local[i] = (geometry[i] - faceRect.x) * sx;
      local[i + 1] = (geometry[i + 1] - faceRect.y) * sy;
      local[i + 2] = geometry[i + 2] * (sx + sy) / 2;
    }
    const made = newFace(readRgb(small, smallRect), smallRect, local, source, options);
    for (const plane of ['rgb', 'mask', 'painted', 'textured'] as const) face[plane].set(made[plane]);
    face.texturedBounds = made.texturedBounds;
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
  scratchStep(() => addSourceDetail(rgb, detailWeight, source, geometry, faceRect, f));
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
  // What was painted over, but for what took the target's texture, is smoother than the skin around: it takes a grain
  // as fine (the skin around the eyes rebuilt where glasses were, img24).
  const toGrain = face.painted.map((v, p) => Math.min(1, v) - face.textured[p]);
  const regions = mergeOverlapping(regionBounds(toGrain, sw, sh, GRAIN_FROM).map((b) => clipRect(expandRect(fullSize(b), 1), w, h)));
  const grainWeight = (p: number) => 1 - detailWeight[p] - (textured ? textured[p] : 0);
  scratchStep(() => addGrain(rgb, w, h, regions, grainWeight, (p) => detailWeight[p] >= 1 && mask[p] > 0.5));
  return { rgb, mask };
}

/** A copy of `rect` of `canvas` shrunk to `width` x `height`: halved while that stays at least twice as large, then Lanczos. */
function shrunkCopy(canvas: Raster, rect: Rect, width: number, height: number): Raster {
  let halvings = 0;
  while (rect.width >> halvings >= 2 * width && rect.height >> halvings >= 2 * height) halvings++;
  return resizeRaster(halvedCrop(canvas, rect, halvings), width, height);
}

/**
 * Adds to `rgb` (interleaved, over `rect`) `weight` (0..1 per pixel) times the source face's fine detail: the source
 * rendered on the new geometry at full size, less itself averaged over `f` x `f` blocks and enlarged back.
 */
function addSourceDetail(rgb: Float32Array, weight: Float32Array, from: SourceFace, geometry: Float32Array, rect: Rect, f: number): void {
  const { image: source, mesh: sourceMesh } = sourceLevel(from, Math.max(rect.width, rect.height));
  // From the parts the source shows only: where the mirrored side meets them, its light differs, and that step is
  // no detail (the render on the copy cross-fades it).
  const warp = { srcStride: 3, dstStride: 3, depthTest: true, cullSource: false };
  const whole = { x: 0, y: 0, width: rect.width, height: rect.height };
  const face = warpTriangles(source, sourceMesh, geometry, from.visibility.seen, rect, warp);
  const { hidden } = from.visibility;
  const own = hidden.length ? floatsCopy(face.coverage) : face.coverage;
  // The parts taken from the mirrored side, rendered from their mirror images around the own render, for their detail.
  if (hidden.length) warpTriangles(source, sourceMesh, geometry, hidden, rect, { ...warp, srcTriangles: hidden.map((i) => MIRROR_POINT[i]), into: face, onlyUncovered: true });
  lookAsTarget(from, face.rgb, rect, geometry, sourceMesh);
  addDetail(rgb, weight, rect.width, f, face.rgb, whole, own);
  if (hidden.length === 0) return;
  // The mirrored parts' detail apart, for the same reason; each part within its bounds (they are small beside the face).
  const mirrored = face.coverage;
  for (let p = 0; p < mirrored.length; p++) if (own[p] > 0) mirrored[p] = 0;
  const parts = regionBounds(mirrored, rect.width, rect.height, 0).map((part) => clipRect(expandRect(part, 2 * f), rect.width, rect.height));
  for (const part of mergeOverlapping(parts)) {
    addDetail(rgb, weight, rect.width, f, cropRgb(face.rgb, rect.width, part), part, cropPlane(mirrored, rect.width, part));
  }
}

/**
 * Adds `weight` (0..1 per pixel) times the fine detail of `from` to `rgb` (interleaved, an area `w` px wide): `from`
 * less its means over `f` x `f` blocks, enlarged back. `from` covers `window` of the area. With `coverage` (over the
 * window too), only what it covers counts, and the detail fades out along its edge.
 */
function addDetail(rgb: Float32Array, weight: Float32Array, w: number, f: number, from: Float32Array, window: Rect, coverage?: Float32Array): void {
  const { x: x0, y: y0, width: bw, height: bh } = window;
  const cw = Math.ceil(bw / f), ch = Math.ceil(bh / f);
  // Per block: the sums of R, G, B (weighted by the coverage) and of the coverage, then the means of
  // what was rendered only (no false detail along its edge) and the share rendered.
  const blocks = floats(cw * ch * 4);
  const column = int32s(bw);
  for (let x = 0; x < bw; x++) column[x] = ((x / f) | 0) * 4;
  for (let y = 0; y < bh; y++) {
    const row = ((y / f) | 0) * cw * 4;
    for (let x = 0, p = y * bw; x < bw; x++, p++) {
      const c = row + column[x];
      const k = coverage ? coverage[p] : 1;
      blocks[c] += k * from[p * 3];
      blocks[c + 1] += k * from[p * 3 + 1];
      blocks[c + 2] += k * from[p * 3 + 2];
      blocks[c + 3] += k;
    }
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const c = (y * cw + x) * 4;
      const mass = blocks[c + 3];
      for (let k = 0; k < 3; k++) blocks[c + k] = mass > 1e-3 * f * f ? blocks[c + k] / mass : 0;
      blocks[c + 3] = mass / (Math.min(f, bw - x * f) * Math.min(f, bh - y * f));
    }
  }
  // The means enlarged back, and the share rendered, along whose edge the detail fades out (there the copy's
  // render has the mirrored side or the outline's blur instead); a row at a time.
  forEachEnlargedRow(blocks, 4, cw, ch, bw, bh, f, (y, smooth) => {
    for (let x = 0; x < bw; x++) {
      const q = y * bw + x, p = (y + y0) * w + x + x0;
      if (coverage && !(coverage[q] > 0)) continue;
      const k = (coverage ? smoothstep(0.6, 1, smooth[x * 4 + 3]) : 1) * Math.min(1, weight[p]);
      if (!(k > 0)) continue;
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] += k * (from[q * 3 + c] - smooth[x * 4 + c]);
    }
  });
}

/**
 * Adds the target's skin texture where `textured` (0..1 per pixel of an area `w` px wide) asks for it, in the regions
 * within `bounds`: the fine detail of the target's pixels, which `read` gives for a window of the area.
 */
function addTargetTexture(rgb: Float32Array, textured: Float32Array, w: number, f: number, bounds: readonly Rect[], read: (window: Rect) => Float32Array): void {
  const h = textured.length / w;
  // Apart, so that hair at a temple and an earring below do not make one window of the whole face.
  for (const window of mergeOverlapping(bounds.map((b) => clipRect(expandRect(b, f), w, h)))) addDetail(rgb, textured, w, f, read(window), window);
}

/**
 * Makes the source's render fit to be the new face, in place, and returns how skin-like each of its grid cells is.
 * The mesh leaves the mouth opening out, and a fold of the new outline can leave slivers: the render gets lips or
 * skin there, painted in from around. Its teeth squeezed into the new (the target's) lip line are painted over with
 * lips: where the target's mouth is open the target's own teeth show, and where it is closed the new mouth is lips.
 * Its glasses come off, and hair, or background past its face's edge, is painted over from the skin around.
 * Also returns where it painted (0..1 per pixel).
 */
function cleanSourceFace(
  face: WarpResult,
  grid: WorkGrid,
  layout: FaceLayout,
  outline: Float32Array,
  mouth: Float32Array,
  lipLine: Float32Array,
): { skin: Float32Array; painted: Float32Array; strays: Float32Array } {
  const { width: w, height: h } = face.rect;
  const cells = grid.width * grid.height;
  const gaps = floats(w * h);
  for (let p = 0; p < gaps.length; p++) gaps[p] = face.coverage[p] > 0 ? 0 : Math.max(mouth[p], outline[p]);
  paintOver(face.rgb, gaps, face.coverage, w, h);
  for (let p = 0; p < gaps.length; p++) if (gaps[p] > 0) face.coverage[p] = 1;
  const teeth = unlike(face.rgb, lipLine, colourModel(toGrid(grid, face.rgb), layout.lips));
  paintOver(face.rgb, teeth, face.coverage, w, h);
  const painted = gaps;
  for (let p = 0; p < painted.length; p++) painted[p] = Math.max(painted[p], teeth[p]);

  let cellsRgb = toGrid(grid, face.rgb);
  const covered = shrink(face.coverage, w, h, grid.factor);
  const model = skinModel(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize, covered);
  const skin = likeness(cellsRgb, model, SKIN);
  const busy = shrink(localContrast(face.rgb, w, h, face.coverage), w, h, grid.factor);
  const cellsLab = rgbToLab(cellsRgb);
  // By a brow or over a lid, only what is unlike skin or busy, and lighter and yellower than most of the skin: fair hair
  // across them (a brow, a lid's crease, lashes and make-up are darker; the glare on glasses is not yellow). A lock at a
  // brow's end is often no lighter than the skin's lit parts.
  const light = model.median[0];
  const fairHair = floats(cells);
  const notSkin = floats(cells);
  const stray = floats(cells);
  for (let c = 0; c < cells; c++) {
    const hairLike = Math.max(1 - skin[c], smoothstep(BUSY[0], BUSY[1], busy[c]));
    if (cellsLab[c * 3] > light && cellsLab[c * 3 + 2] > model.median[2]) fairHair[c] = Math.max(layout.nearBrows[c], layout.lids[c]) * hairLike;
    const away = (1 - layout.nearFeatures[c]) * hairLike;
    notSkin[c] = covered[c] > 0.5 ? Math.max(away, fairHair[c]) : 0;
    stray[c] = notSkin[c] * layout.strayZone[c];
  }
  // Stray hair reaches in from the face's edge; a dark patch inside the face (eye make-up, a shadow) is the face's own.
  const reachesIn = (c: number) => layout.toEdge[c] < grid.faceSize * STRAY_REACH;
  const region = cleanRegion(stray, grid.width, grid.height, grid.faceSize);
  // One lying mostly by the eyes or brows is make-up (a winged liner), not a strand.
  const strands = seededRegions((c) => region[c] >= 0.5, reachesIn, grid.width, grid.height);
  const byFeatures = regionMeans(strands, layout.features);
  for (let c = 0; c < cells; c++) if (!strands.label[c] || byFeatures[strands.label[c]] > 0.5) region[c] = 0;
  // A crease between a deep-set eye and its brow is busy and dark, but the lid's own, as is make-up lining an eye
  // from below: what lies there stays, and what no longer reaches in from the edge without it is no strand either.
  const apart = seededRegions((c) => region[c] >= 0.5 && (layout.lids[c] < 0.5 || fairHair[c] >= 0.5), reachesIn, grid.width, grid.height);
  for (let c = 0; c < cells; c++) if (!apart.label[c]) region[c] = 0;
  // Fair hair hanging over a cheek leaves bits that do not reach in from the edge, lower than the stray zone: they
  // are told by their hue, far yellower and less red than the skin (img3's locks on couple.jpg's man's cheek).
  const [, redness, yellowness] = model.median;
  for (let c = 0; c < cells; c++) {
    if (!(covered[c] > 0.5) || layout.nearFeatures[c] > 0.5 || skin[c] >= FAIR_LOCK.skinLike) continue;
    const lab = c * 3;
    if (cellsLab[lab + 1] < redness - FAIR_LOCK.lessRed * model.spread[1] && cellsLab[lab + 2] > yellowness + FAIR_LOCK.yellower * model.spread[2]) region[c] = 1;
  }
  // Lower along the edge, something that is not skin and stays near the edge (an earring, a collar, background)
  // is not the face either; one that reaches deep inside with clearly darker parts (a beard) is.
  const objects = cleanRegion(notSkin, grid.width, grid.height, grid.faceSize);
  const nearEdge = (c: number) => layout.toEdge[c] < grid.faceSize * EDGE_OBJECT_DEPTH[0];
  const edgeRegions = seededRegions((c) => objects[c] >= 0.5, nearEdge, grid.width, grid.height);
  const { label, sizes } = edgeRegions;
  const beard = bytes(sizes.length);
  // A glossy cheek's highlights, joined to an earring, reach deep too: only what is clearly darker there counts.
  const dark = model.median[0] - 2 * model.spread[0];
  for (let c = 0; c < cells; c++) if (label[c] && layout.toEdge[c] > grid.faceSize * EDGE_OBJECT_DEPTH[1] && cellsLab[c * 3] < dark) beard[label[c]] = 1;
  // A fair beard along the jaw stays near the edge and is no darker, but it runs under the chin, and is busy (hair).
  const [chinX, chinY] = [grid.mesh[CHIN * 3], grid.mesh[CHIN * 3 + 1]];
  const underChin = bytes(sizes.length);
  for (let c = 0; c < cells; c++) {
    if (label[c] && Math.hypot((c % grid.width) + 0.5 - chinX, Math.floor(c / grid.width) + 0.5 - chinY) < grid.faceSize * BEARD.chinReach) underChin[label[c]] = 1;
  }
  const texture = regionMeans(edgeRegions, busy);
  for (let l = 1; l < sizes.length; l++) if (underChin[l] && texture[l] > BEARD.busy) beard[l] = 1;
  const edgeObjects = floats(cells);
  // Only below the temples (where the stray-hair painter does not look): higher up, a busy patch is eye make-up.
  for (let c = 0; c < cells; c++) if (label[c] && !beard[label[c]]) edgeObjects[c] = objects[c] * (1 - layout.features[c]) * (1 - layout.hairZone[c]);
  // Grown further than hair: an earring's or a collar's darker parts pass for shadowed skin.
  const paint = grow(region, grid.width, grid.height, grid.faceSize * STRAY_GROWTH);
  const aroundObjects = grow(edgeObjects, grid.width, grid.height, grid.faceSize * EDGE_OBJECT_GROWTH);
  // Clearly darker parts joined to what is painted reach further: an earring's hook, stretched where the target shows
  // more of that side of the face (a dark dash on couple.jpg's cheeks). Within twice the growth, below the nose, where
  // earrings hang (higher, an eye's lashes and liner join hair), not into a beard, and only the darkest of them: the
  // shade along a jaw joins them too (img13).
  const reach = grow(edgeObjects, grid.width, grid.height, grid.faceSize * EDGE_OBJECT_GROWTH * 2);
  const darkest = model.median[0] - TAIL_DARKNESS * model.spread[0];
  const tailCell = (c: number) => cellsLab[c * 3] < darkest && reach[c] >= 0.5 && !(aroundObjects[c] >= 0.5) && covered[c] > 0.5 && layout.beardZone[c] >= 0.5;
  // Looked for only where such a cell is (a beard is costly to find).
  if (reach.some((_, c) => tailCell(c))) {
    const ownBeard = findBeard(grid, layout, { lab: cellsLab, skin: model, skinLike: skin, contrast: busy });
    const darkPart = (c: number) =>
      cellsLab[c * 3] < dark && reach[c] >= 0.5 && covered[c] > 0.5 && layout.beardZone[c] >= 0.5 && layout.nearFeatures[c] < 0.5 && ownBeard[c] < 0.5;
    const tails = seededRegions(darkPart, (c) => aroundObjects[c] >= 0.5, grid.width, grid.height);
    const tailCells = floats(cells);
    for (let c = 0; c < cells; c++) if (tails.label[c] && tailCell(c)) tailCells[c] = 1;
    const aroundTails = grow(tailCells, grid.width, grid.height, grid.faceSize * STRAY_GROWTH);
    for (let c = 0; c < cells; c++) aroundObjects[c] = Math.max(aroundObjects[c], aroundTails[c]);
  }
  for (let c = 0; c < cells; c++) paint[c] = Math.max(paint[c], aroundObjects[c]);
  // What will take the target's skin texture once painted: hair at the temples, objects at the edge (not glasses).
  const strays = floats(cells);
  for (let c = 0; c < cells; c++) strays[c] = Math.max(paint[c] * layout.hairZone[c], aroundObjects[c]);
  const glasses = findEyewear(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize, { rimsUnderBrows: true, lensEdges: true });
  if (glasses.present) {
    // Grown past the dark frame: a rim's highlight runs along it (as a pale line over the brows once painted), also
    // where it passes under a brow's end (as a grey dash there).
    const frames = grow(glasses.frames, grid.width, grid.height, grid.faceSize * FRAME_GROWTH);
    for (let c = 0; c < cells; c++) paint[c] = Math.max(paint[c], glasses.frames[c], frames[c] * (1 - layout.nearFeaturesButBrows[c]));
  }
  // A speck left among what is painted (a few cells) would show as a dot of what was there: it is painted too.
  const unpainted = (c: number) => paint[c] < 0.5 && covered[c] > 0.5;
  const specks = seededRegions(unpainted, unpainted, grid.width, grid.height);
  const speck = (grid.faceSize * SPECK) ** 2;
  for (let c = 0; c < cells; c++) if (specks.label[c] && specks.sizes[specks.label[c]] < speck) paint[c] = 1;
  if (paint.some((v) => v > 0.02)) {
    const pixels = toPixels(grid, paint);
    // Held by skin only: hair or background left around what is painted would tint it.
    const held = toPixels(grid, skin);
    for (let p = 0; p < held.length; p++) held[p] = face.coverage[p] > 0 && held[p] > 0.5 ? 1 : 0;
    paintOver(face.rgb, pixels, held, w, h);
    for (let p = 0; p < painted.length; p++) painted[p] = Math.max(painted[p], pixels[p]);
    cellsRgb = toGrid(grid, face.rgb);
  }
  return { skin: likeness(cellsRgb, model, SKIN), painted, strays };
}

/**
 * What of the target stays over the new face (0..1 per pixel of its rectangle): its hair over the brow or the
 * temples, its glasses, its hairline, and an open mouth (teeth and the dark inside, not lips). The mesh often
 * closes the lips over teeth that show: where its `opening` (height over width) says the mouth is slightly open,
 * teeth near it within the lip line are the open mouth too. Under a source smiling open (`sourceOpening`) onto a
 * mouth open half as wide or less, the lips stay too: the mesh draws the source's lips shut over its teeth, which
 * then show between them (a pale band, or dark teeth). Its beard too, if `keepBeard`. Also how skin-like each of its grid cells is.
 */
function targetParts(
  background: Float32Array,
  grid: WorkGrid,
  layout: FaceLayout,
  mouth: Float32Array,
  lipLine: Float32Array,
  opening: number,
  sourceOpening: number,
  keepBeard: boolean,
): { keep: Float32Array; targetSkin: Float32Array } {
  const { width: w, height: h } = grid.rect;
  const cells = grid.width * grid.height;
  const faceSize = grid.faceSize * grid.factor;
  const cellsRgb = toGrid(grid, background);
  const skinColour = skinModel(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize);
  const targetSkin = likeness(cellsRgb, skinColour, SKIN);
  const hair = floats(cells);
  // Hair is told from skin in shade too: the cheek shaded towards couple.jpg's woman's ear is darker than any skin the
  // likeness allows, but no more saturated (an auburn lock over img8's temple is).
  const shadedSkin = likeness(cellsRgb, skinColour, { ...SKIN, shade: 2 });
  for (let c = 0; c < cells; c++) hair[c] = (1 - layout.features[c]) * layout.hairZone[c] * (1 - shadedSkin[c]);
  const kept = hairOverFace(cleanRegion(hair, grid.width, grid.height, grid.faceSize), grid, layout);
  const glasses = findEyewear(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize);
  for (let c = 0; c < cells; c++) kept[c] = Math.max(kept[c], glasses.present ? glasses.frames[c] : 0, 1 - layout.topRamp[c]);
  if (keepBeard) {
    const beard = beardOf(background, cellsRgb, grid, layout, skinColour, targetSkin);
    for (let c = 0; c < cells; c++) kept[c] = Math.max(kept[c], beard[c]);
  }
  const keep = toPixels(grid, gaussianBlur(kept, grid.width, grid.height, grid.faceSize * 0.005));
  const lipColour = colourModel(cellsRgb, layout.lips);
  const inside = unlike(background, mouth, lipColour);
  // Under a thinner new lip line a wide smile's teeth fill much of the lip region, and its colour model takes them for
  // lips (they were left to the source's painted mouth, as grey teeth): they are told by the lips proper too.
  const teeth = [teethIn(background, mouth, lipsProper(cellsRgb, layout.lips))];
  if (opening > SLIGHTLY_OPEN[0] && opening < SLIGHTLY_OPEN[1]) {
    const nearOpening = gaussianBlur(mouth, w, h, faceSize * MOUTH_SEARCH);
    const aroundOpening = floats(lipLine.length);
    for (let p = 0; p < lipLine.length; p++) aroundOpening[p] = lipLine[p] > 0 && !(mouth[p] > 0) && nearOpening[p] > 0.02 ? lipLine[p] : 0;
    teeth.push(teethIn(background, aroundOpening, lipColour));
  }
  for (const found of teeth) for (let p = 0; p < inside.length; p++) inside[p] = Math.max(inside[p], found[p]);
  keepAlso(keep, gaussianBlur(inside, w, h, Math.max(1, faceSize * 0.006)));
  if (sourceOpening > SLIGHTLY_OPEN[1] && opening < sourceOpening / 2) keepAlso(keep, gaussianBlur(lipLine, w, h, Math.max(1, faceSize * KEPT_LIPS_FEATHER)));
  return { keep, targetSkin };
}

/**
 * The beard of the face on `grid`, 0..1 per cell: `rgb` (interleaved) over its rectangle, `cellsRgb` on the grid, the
 * colour of its skin and how like it each cell is.
 */
function beardOf(rgb: Float32Array, cellsRgb: Float32Array, grid: WorkGrid, layout: FaceLayout, skin: ColourModel, skinLike: Float32Array): Float32Array {
  const { width: w, height: h } = grid.rect;
  return findBeard(grid, layout, { lab: rgbToLab(cellsRgb), skin, skinLike, contrast: shrink(localContrast(rgb, w, h), w, h, grid.factor) });
}

/**
 * The share of a target face (of its area, 0..1) that its beard or moustache covers, as a swap that keeps it
 * (`keepTargetBeard`) finds it: looked at, as there, with the face at most `workSize` px across. 0 for a shaven face
 * or stubble; of the test photos, beards and moustaches cover 12-28 %.
 */
export function targetBeardCover(target: Raster, mesh: Float32Array, workSize = DEFAULT_FACE_SWAP.workSize): number {
  return outsideScratch(() => {
    const { rgb, rect, mesh: local } = faceAtWorkSize(target, mesh, workSize);
    const grid = workGrid(rect, local, Math.max(rect.width, rect.height));
    const layout = faceLayout(grid);
    const cellsRgb = toGrid(grid, rgb);
    const skin = skinModel(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize);
    const beard = beardOf(rgb, cellsRgb, grid, layout, skin, likeness(cellsRgb, skin, SKIN));
    let covered = 0, face = 0;
    for (let c = 0; c < beard.length; c++) {
      if (!(layout.toEdge[c] > 0)) continue;
      face++;
      covered += beard[c];
    }
    return face ? covered / face : 0;
  });
}

/**
 * Of the patches unlike the target's skin where its hair may fall (0..1 per grid cell, in place), those that are hair:
 * hair falls in from the face's edge, and a strand the grid cut off from it is long. A small patch away from the edge
 * is the face's own (the wing of an eyeliner, img26), which the new face covers. Hair also falls from above: a patch
 * at the edge lower than the brows, none of it higher, is shade (by the ear, couple.jpg's woman) unless it is large.
 */
function hairOverFace(patches: Float32Array, grid: WorkGrid, layout: FaceLayout): Float32Array {
  // Joined through their solid parts: a faint bridge joined the shade by couple.jpg's woman's ear to her hair.
  const regions = seededRegions((c) => patches[c] >= 0.5, () => true, grid.width, grid.height);
  const { label } = regions;
  const fromEdge = bytes(regions.sizes.length);
  const fromAbove = bytes(regions.sizes.length);
  for (let c = 0; c < patches.length; c++) {
    if (!label[c]) continue;
    if (layout.toEdge[c] < grid.faceSize * STRAY_REACH) fromEdge[label[c]] = 1;
    if (layout.aboveBrows[c] >= 0.5) fromAbove[label[c]] = 1;
  }
  const speck = (grid.faceSize * SPECK) ** 2;
  const isHair = (l: number) => (fromEdge[l] || regions.sizes[l] >= LOOSE_PATCH * speck) && (fromAbove[l] || regions.sizes[l] >= LOW_PATCH * speck);
  const hair = floats(patches.length);
  for (let c = 0; c < patches.length; c++) if (label[c] && isHair(label[c])) hair[c] = 1;
  // The soft edges around what is hair stay.
  const around = grow(hair, grid.width, grid.height, grid.faceSize * HAIR_EDGE);
  for (let c = 0; c < patches.length; c++) patches[c] = Math.min(patches[c], around[c]);
  return patches;
}

/**
 * Whether a source face wears glasses, which the swap takes off (the skin around its eyes rebuilt): looked at, as
 * there, with the face at most the default work size across; once a source face (by mesh), as the rest of its look.
 */
export function sourceWearsGlasses(source: Raster, mesh: Float32Array): boolean {
  return sourceFace(source, mesh).glasses;
}

/**
 * The frames of the glasses a source face wears (see sourceWearsGlasses), as the painter finds them to take them off
 * (rims under the brows' ends, thick lenses' edges); null when it wears none.
 */
function sourceGlasses(source: Raster, mesh: Float32Array): GlassesFrames | null {
  const { rgb, rect, mesh: local, bounds, scale } = faceAtWorkSize(source, mesh, DEFAULT_FACE_SWAP.workSize);
  const { present, frames } = findEyewear(rgb, rect, local, Math.max(rect.width, rect.height), { rimsUnderBrows: true, lensEdges: true });
  return present ? { frames, x: bounds.x, y: bounds.y, width: rect.width, height: rect.height, scale } : null;
}

/**
 * The render's irises moved to where the target's look (gaze.ts), unless the source wears glasses: its irises are
 * found less surely behind lenses, and a frame's edge in an eye's opening was drawn across the eye.
 */
function lookAsTarget(from: SourceFace, rgb: Float32Array, rect: Rect, geometry: Float32Array, sourceMesh: Float32Array): void {
  if (!sourceWearsGlasses(from.image, from.mesh)) lookWhereTargetLooks(rgb, rect, geometry, sourceMesh);
}

/**
 * The face of `mesh` in `image`, its outline's bounds shrunk to at most `workSize` px across as a swap works on it:
 * interleaved RGB over `rect` (from 0, 0), and the mesh in its pixels: (x - bounds.x) * scale, (y - bounds.y) * scale.
 */
function faceAtWorkSize(image: Raster, mesh: Float32Array, workSize: number): { rgb: Float32Array; rect: Rect; mesh: Float32Array; bounds: Rect; scale: number } {
  const bounds = boundingRect(mesh, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: image.width, clipHeight: image.height });
  const scale = Math.min(1, workSize / Math.max(bounds.width, bounds.height));
  const small = shrunkCopy(image, bounds, Math.max(1, Math.round(bounds.width * scale)), Math.max(1, Math.round(bounds.height * scale)));
  const rect = { x: 0, y: 0, width: small.width, height: small.height };
  const local = mesh.map((v, i) => (i % 3 === 0 ? (v - bounds.x) * scale : i % 3 === 1 ? (v - bounds.y) * scale : v * scale));
  return { rgb: readRgb(small, rect), rect, mesh: local, bounds, scale };
}

/** Adds `more` (0..1 per pixel, feathered, counting half again) to what of the target stays, `keep`, in place. */
function keepAlso(keep: Float32Array, more: Float32Array): void {
  for (let p = 0; p < keep.length; p++) keep[p] = 1 - (1 - keep[p]) * (1 - Math.min(1, more[p] * 1.5));
}

/** How far a mesh's mouth is open: the gap between the lips' inner midpoints over the mouth's width. */
function mouthOpening(mesh: Float32Array): number {
  const gap = (a: number, b: number) => Math.hypot(mesh[a * 3] - mesh[b * 3], mesh[a * 3 + 1] - mesh[b * 3 + 1]);
  return gap(13, 14) / Math.max(1, gap(61, 291));
}

/** The colour of the lips proper in `lips` (0..1 per cell of `rgb`): its redder half, whatever teeth fill the rest. */
function lipsProper(rgb: Float32Array, lips: Float32Array): ColourModel {
  const lab = rgbToLab(rgb);
  const redness: number[] = [];
  for (let c = 0; c < lips.length; c++) if (lips[c] >= 0.5) redness.push(lab[c * 3 + 1]);
  redness.sort((a, b) => a - b);
  const middle = redness[redness.length >> 1];
  return colourModel(rgb, lips.map((v, c) => (v >= 0.5 && lab[c * 3 + 1] >= middle ? 1 : 0)));
}

/** The pixels of a mouth `region` (0..1 per pixel) that do not look like the lips of `lipColour` (teeth, the dark inside), 0..1. */
function unlike(rgb: Float32Array, region: Float32Array, lipColour: ColourModel): Float32Array {
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
  const { inside, pixels } = pixelsIn(rgb, region);
  const lab = rgbToLab(pixels, pixels);
  const [mL, ma] = lipColour.median;
  const out = floats(region.length);
  inside.forEach((p, k) => {
    out[p] = region[p] * smoothstep(TEETH.lessRed[0], TEETH.lessRed[1], ma - lab[k * 3 + 1]) * smoothstep(0, TEETH.lighter, lab[k * 3] - mL);
  });
  return out;
}

/** The pixels where `region` is above 0, and their interleaved RGB out of `rgb`. */
function pixelsIn(rgb: Float32Array, region: Float32Array): { inside: number[]; pixels: Float32Array } {
  const inside: number[] = [];
  for (let p = 0; p < region.length; p++) if (region[p] > 0) inside.push(p);
  const pixels = floats(inside.length * 3);
  inside.forEach((p, k) => pixels.set(rgb.subarray(p * 3, p * 3 + 3), k * 3));
  return { inside, pixels };
}

/** Standard deviation of luma over each pixel's 3 x 3 neighbourhood; 0 where the neighbourhood is not all `covered` (if given). */
function localContrast(rgb: Float32Array, w: number, h: number, covered?: Float32Array): Float32Array {
  const luma = lumaOf(rgb);
  const out = floats(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      let sum = 0, squares = 0, whole = true;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          whole &&= !covered || covered[(y + dy) * w + x + dx] > 0;
          const v = luma[(y + dy) * w + x + dx];
          sum += v;
          squares += v * v;
        }
      }
      if (!whole) continue;
      out[y * w + x] = Math.sqrt(Math.max(0, squares / 9 - (sum / 9) ** 2));
    }
  }
  return out;
}

/**
 * Paints over the pixels of `region` (0..1 per pixel) in interleaved RGB, in place, with the smoothest surface that
 * meets the `valid` pixels around them (a membrane: the light on either side carries across); or, given `detail`
 * (interleaved RGB over the same area), with that picture cloned in: its detail, on the level the membrane carries.
 */
function paintOver(rgb: Float32Array, region: Float32Array, valid: Float32Array, w: number, h: number, detail?: Float32Array): void {
  // Solved only over the region's bounds (and a pixel around them, where the membrane is held).
  const bounds = planeBounds(region, w, h, 0.02, 1);
  if (!bounds) return;
  const { x: x0, y: y0, width: bw, height: bh } = bounds;
  const part = cropRgb(rgb, w, bounds);
  const domain = floats(bw * bh);
  const held = floats(bw * bh);
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + y0) * w + x + x0, b = y * bw + x;
      domain[b] = region[p] > 0.02 ? 1 : 0;
      held[b] = valid[p];
    }
  }
  const fill = poissonBlend(part, detail ? cropRgb(detail, w, bounds) : floats(part.length), domain, bw, bh, { valid: held });
  for (let y = 0; y < bh; y++) {
    for (let x = 0; x < bw; x++) {
      const p = (y + y0) * w + x + x0, b = y * bw + x;
      const k = Math.min(1, region[p]);
      if (!(k > 0.02)) continue;
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] += k * (Math.min(255, Math.max(0, fill[b * 3 + c])) - rgb[p * 3 + c]);
    }
  }
}

/** The source drawn on a face's geometry; `mirrored` (0..1 per pixel), where present, is what was taken from its other side. */
type SourceRender = WarpResult & { mirrored?: Float32Array };

/**
 * Renders the source face's pixels onto the new geometry. Parts the source turns away from the camera (or shows
 * nearly edge-on) are taken from the mirrored side of the source face instead of being smeared: the two renders
 * are cross-faded over a soft band, and the mirrored one is cloned in seamlessly (its detail, the light of the own
 * render around it), so no seam shows where they meet. A source face much larger than its new place is sampled from
 * a halved copy (no aliasing).
 */
function renderSourceFace(from: SourceFace, geometry: Float32Array, rect: Rect, faceSize: number): SourceRender {
  const { image: source, mesh: sourceMesh } = sourceLevel(from, faceSize);
  const { seen, hidden, fairHair, mirrorTriangles } = from.visibility;
  const warp = { srcStride: 3, dstStride: 3, depthTest: true, cullSource: false };
  const face = warpTriangles(source, sourceMesh, geometry, seen, rect, warp);
  if (hidden.length === 0) {
    lookAsTarget(from, face.rgb, rect, geometry, sourceMesh);
    return face;
  }
  const visible = floatsCopy(face.coverage);
  warpTriangles(source, sourceMesh, geometry, hidden, rect, { ...warp, into: face, onlyUncovered: true });
  // The mirrored render is needed near the hidden parts only.
  const near = trianglesNear(geometry, hidden, faceSize * MIRROR_REACH);
  const mirror = warpTriangles(source, sourceMesh, geometry, near.flatMap((t) => [TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]]), rect, {
    ...warp,
    srcTriangles: near.flatMap((t) => [mirrorTriangles[t], mirrorTriangles[t + 1], mirrorTriangles[t + 2]]),
  });

  const { width: w, height: h } = rect;
  const n = w * h;
  const { coverage, rgb } = face;
  // How much of the own render to keep: the visible coverage, blurred within the face and pushed back to 0 or 1,
  // so that a small hidden patch (a nostril wing) keeps its own pixels and a large one (the far cheek) is mirrored.
  const band = faceSize * MIRROR_BAND;
  const mix = ratioOfBlurs(visible, coverage, w, h, band, 1);
  // Hair, however small a patch, is no part of the face to keep: its own pixels fade out over the band.
  const hair = fairHair.length ? gaussianBlur(warpTriangles(source, sourceMesh, geometry, fairHair, rect, warp).coverage, w, h, band / 2) : null;
  for (let p = 0; p < n; p++) {
    mix[p] = coverage[p] > 0 && mirror.coverage[p] > 0 ? smoothstep(0.3, 0.7, mix[p]) * (hair ? 1 - Math.min(1, 2 * hair[p]) : 1) : 1;
  }
  // The mirrored side is lit differently: it is cloned in (its detail, its light carried on from the own render
  // around it), as a ratio measured further in cannot follow a lit edge on the far side (a pale band: img34).
  const share = floats(n);
  const held = floats(n);
  for (let p = 0; p < n; p++) {
    share[p] = mirror.coverage[p] > 0 ? 1 - mix[p] : 0;
    held[p] = mix[p] >= 1 && coverage[p] > 0 && mirror.coverage[p] > 0 ? 1 : 0;
  }
  paintOver(rgb, share, held, w, h, mirror.rgb);
  lookAsTarget(from, rgb, rect, geometry, sourceMesh);
  return { ...face, mirrored: share };
}

/**
 * Evens out the light of the source rendered as `face` (cleaned, its skin likeness `sourceSkin` per cell of `grid`)
 * against the source drawn on the same geometry from its other side, over skin bare on both sides, by `strength` (0..1).
 */
function evenSourceLight(face: SourceRender, source: SourceFace, strength: number, geometry: Float32Array, grid: WorkGrid, layout: FaceLayout, sourceSkin: Float32Array): void {
  const { rect } = grid;
  const { image, mesh } = sourceLevel(source, Math.max(rect.width, rect.height));
  const warp = { srcStride: 3, dstStride: 3, depthTest: true, cullSource: false, srcTriangles: source.visibility.mirrorTriangles };
  const mirror = warpTriangles(image, mesh, geometry, TRIANGULATION, rect, warp);
  const [ownCells, mirroredCells] = [toGrid(grid, face.rgb), toGrid(grid, mirror.rgb)];
  const mirroredSkin = likeness(mirroredCells, skinModel(ownCells, gridRect(grid), grid.mesh, grid.faceSize), SKIN);
  const covered = shrink(mirror.coverage, rect.width, rect.height, grid.factor);
  // What the render took from the other side already is no measure of the light (it follows the light around it).
  const own = face.mirrored ? shrink(face.mirrored, rect.width, rect.height, grid.factor) : null;
  const bare = floats(grid.width * grid.height);
  for (let c = 0; c < bare.length; c++) bare[c] = covered[c] > 0.9 && !(own && own[c] > 0) ? sourceSkin[c] * mirroredSkin[c] * (1 - layout.features[c]) : 0;
  evenLight(face.rgb, face.coverage, ownCells, mirroredCells, bare, grid, grid.faceSize * EVEN_LIGHT_SIGMA, strength);
}

/** Offsets into TRIANGULATION of the triangles whose centres lie within `reach` of the centre of one of `triangles` (on `mesh`). */
function trianglesNear(mesh: Float32Array, triangles: number[], reach: number): number[] {
  const centre = (a: number, b: number, c: number) => [(mesh[a * 3] + mesh[b * 3] + mesh[c * 3]) / 3, (mesh[a * 3 + 1] + mesh[b * 3 + 1] + mesh[c * 3 + 1]) / 3];
  const centres: number[][] = [];
  for (let t = 0; t < triangles.length; t += 3) centres.push(centre(triangles[t], triangles[t + 1], triangles[t + 2]));
  const near: number[] = [];
  for (let t = 0; t < TRIANGULATION.length; t += 3) {
    const [x, y] = centre(TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]);
    if (centres.some(([cx, cy]) => (x - cx) ** 2 + (y - cy) ** 2 <= reach * reach)) near.push(t);
  }
  return near;
}

/**
 * blur(a) / blur(b) with the same Gaussian: a normalised convolution (`fallback` where b's blur vanishes). Worked
 * out on a grid about sigma / 3 times coarser, then interpolated: the ratio is smooth at that scale.
 */
function ratioOfBlurs(a: Float32Array, b: Float32Array, w: number, h: number, sigma: number, fallback: number): Float32Array {
  const f = Math.max(1, Math.floor(sigma / 3));
  const cw = Math.ceil(w / f), ch = Math.ceil(h / f);
  const cs = Math.sqrt(Math.max(0, sigma * sigma - (f * f - 1) / 12)) / f;
  const num = gaussianBlur(shrink(a, w, h, f), cw, ch, cs);
  const den = gaussianBlur(shrink(b, w, h, f), cw, ch, cs);
  for (let p = 0; p < num.length; p++) num[p] = den[p] > 1e-3 ? num[p] / den[p] : fallback;
  return f === 1 ? num : enlarge(num, cw, ch, f, w, h);
}

/**
 * The source face at a resolution no more than 1.5x the size it is rendered at: cropped to the face and halved
 * as often as that takes, with its mesh mapped to match. Returns the picture as it is when no halving is needed.
 */
function sourceLevel(from: SourceFace, faceSize: number): { image: Raster; mesh: Float32Array } {
  const { image: source, mesh } = from;
  const box = boundingRect(mesh, { stride: 3, indices: FACE_OVAL, pad: 8, clipWidth: source.width, clipHeight: source.height });
  let halvings = 0;
  while (Math.max(box.width, box.height) / 2 ** halvings > MAX_DOWNSCALE * faceSize && Math.min(box.width, box.height) >> (halvings + 1) >= 16) halvings++;
  if (halvings === 0) return { image: source, mesh };
  let level = from.levels.get(halvings);
  if (!level) {
    // Kept for the faces that follow: not scratch.
    level = outsideScratch(() => {
      const image = halvedCrop(source, box, halvings);
      return { image, mesh: pointsInCrop(mesh, box, 2 ** halvings, new Float32Array(mesh.length)) };
    });
    from.levels.set(halvings, level);
  }
  return level;
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
