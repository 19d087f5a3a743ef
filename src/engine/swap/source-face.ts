import { TRIANGULATION } from '../face/landmarks.ts';
import { halvedCrop } from '../face/pyramid.ts';
import { FACE_OVAL } from '../face/regions.ts';
import { MIRROR_POINT } from '../face/symmetry.ts';
import type { Raster } from '../image/raster.ts';
import { floats, floatsCopy, outsideScratch } from '../scratch.ts';
import { paintOver } from './blend.ts';
import { enlarge, shrink } from './colour.ts';
import { addDetail } from './detail.ts';
import { evenLight, evenLightStrength } from './even-light.ts';
import { findEyewear } from './eyewear.ts';
import { gridRect, regionBounds, smoothstep, toGrid, type FaceLayout, type WorkGrid } from './face-layout.ts';
import { lookWhereTargetLooks } from './gaze.ts';
import { gaussianBlur } from './mask.ts';
import { cropPlane, cropRgb, FACE_WORK_SIZE, faceAtWorkSize } from './patch.ts';
import { boundingRect, clipRect, expandRect, mergeOverlapping, pointsInCrop, type Rect } from './region.ts';
import { likeness, SKIN_LIKENESS, skinModel } from './skin.ts';
import { sourceVisibility, type GlassesFrames, type Visibility } from './visibility.ts';
import { warpTriangles, type WarpResult } from './warp.ts';

/**
 * The source face as a swap sees it: looked at once (which of it shows, its hair, its glasses, how unevenly it is
 * lit) and kept for every face it goes on, and drawn on a new face's geometry: the parts it shows, those its pose
 * hides from their mirror images, its light evened out, its fine detail at full size.
 */

/** Width of the cross-fade from the own render to the mirrored one, relative to the face's size. */
const MIRROR_BAND = 0.02;
/** How far past the hidden parts the mirrored render reaches (around the cross-fade, where it meets the own render). */
const MIRROR_REACH = 0.08;
/** The source is halved while it is more than this much larger than the face it is rendered as. */
const MAX_DOWNSCALE = 1.5;
/** Reach of a side-lit source's evening out, relative to the face's size: the shadow's edge is sharper than the target's light is matched at. */
const EVEN_LIGHT_SIGMA = 0.06;

/**
 * The source's picture, its face's mesh (x, y, z per point, its px), which of its triangles show the face, and its
 * copies shrunk for smaller faces (by number of halvings), made as they are first needed.
 */
export interface SourceFace {
  image: Raster;
  mesh: Float32Array;
  visibility: Visibility;
  levels: Map<number, { image: Raster; mesh: Float32Array }>;
  /** Whether it wears glasses, found with the visibility (whose hair is not their frames). */
  glasses: boolean;
  /** How much its light is evened out (see even-light.ts), found when first asked. */
  evening?: number;
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

/** Keeps the look at a source face that another thread worked out, unless this thread has looked at it already. */
export function adoptSourceLook(source: Raster, sourceMesh: Float32Array, look: SourceLook): void {
  if (sourceFaces.get(sourceMesh)?.image === source) return;
  sourceFaces.set(sourceMesh, { image: source, mesh: sourceMesh, ...look, levels: new Map() });
}

export function sourceFace(image: Raster, mesh: Float32Array): SourceFace {
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

/**
 * The share of the source face (of its area, 0..1) that hair covers, which a swap rebuilds from the mirrored side or
 * the skin around. The source is looked at once and kept: asked before a swap (when it is chosen), the swap uses
 * that look; after one, this is free.
 */
export function sourceHairCover(source: Raster, sourceMesh: Float32Array): number {
  return sourceFace(source, sourceMesh).visibility.hairCover;
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
  const { rgb, rect, mesh: local, bounds, scale } = faceAtWorkSize(source, mesh, FACE_WORK_SIZE);
  const { present, frames } = findEyewear(rgb, rect, local, Math.max(rect.width, rect.height), { rimsUnderBrows: true, lensEdges: true });
  return present ? { frames, x: bounds.x, y: bounds.y, width: rect.width, height: rect.height, scale } : null;
}

/** How much a source face's light is evened out (see even-light.ts): measured once, as the rest of its look. */
function eveningOf(face: SourceFace): number {
  face.evening ??= evenLightStrength(face.image, face.mesh);
  return face.evening;
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
export function renderSourceFace(from: SourceFace, geometry: Float32Array, rect: Rect, faceSize: number): SourceRender {
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
 * Adds to `rgb` (interleaved, over `rect`) `weight` (0..1 per pixel) times the source face's fine detail: the source
 * rendered on the new geometry at full size, less itself averaged over `f` x `f` blocks and enlarged back.
 */
export function addSourceDetail(rgb: Float32Array, weight: Float32Array, from: SourceFace, geometry: Float32Array, rect: Rect, f: number): void {
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
 * Evens out the light of the source rendered as `face` (cleaned, its skin likeness `sourceSkin` per cell of `grid`)
 * against the source drawn on the same geometry from its other side, over skin bare on both sides, as far as the
 * source's light is uneven (see even-light.ts).
 */
export function evenSourceLight(face: SourceRender, source: SourceFace, geometry: Float32Array, grid: WorkGrid, layout: FaceLayout, sourceSkin: Float32Array): void {
  const strength = eveningOf(source);
  if (!(strength > 0)) return;
  const { rect } = grid;
  const { image, mesh } = sourceLevel(source, Math.max(rect.width, rect.height));
  const warp = { srcStride: 3, dstStride: 3, depthTest: true, cullSource: false, srcTriangles: source.visibility.mirrorTriangles };
  const mirror = warpTriangles(image, mesh, geometry, TRIANGULATION, rect, warp);
  const [ownCells, mirroredCells] = [toGrid(grid, face.rgb), toGrid(grid, mirror.rgb)];
  const mirroredSkin = likeness(mirroredCells, skinModel(ownCells, gridRect(grid), grid.mesh, grid.faceSize), SKIN_LIKENESS);
  const covered = shrink(mirror.coverage, rect.width, rect.height, grid.factor);
  // What the render took from the other side already is no measure of the light (it follows the light around it).
  const own = face.mirrored ? shrink(face.mirrored, rect.width, rect.height, grid.factor) : null;
  const bare = floats(grid.width * grid.height);
  for (let c = 0; c < bare.length; c++) bare[c] = covered[c] > 0.9 && !(own && own[c] > 0) ? sourceSkin[c] * mirroredSkin[c] * (1 - layout.features[c]) : 0;
  evenLight(face.rgb, face.coverage, ownCells, mirroredCells, bare, grid, grid.faceSize * EVEN_LIGHT_SIGMA, strength, sourceSkin.map((v, c) => v * (1 - layout.features[c])));
}

/**
 * The render's irises moved to where the target's look (gaze.ts), unless the source wears glasses: its irises are
 * found less surely behind lenses, and a frame's edge in an eye's opening was drawn across the eye.
 */
function lookAsTarget(from: SourceFace, rgb: Float32Array, rect: Rect, geometry: Float32Array, sourceMesh: Float32Array): void {
  if (!sourceWearsGlasses(from.image, from.mesh)) lookWhereTargetLooks(rgb, rect, geometry, sourceMesh);
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
