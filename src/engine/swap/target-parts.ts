import type { Raster } from '../image/raster.ts';
import { bytes, floats, outsideScratch } from '../scratch.ts';
import { findBeard } from './beard.ts';
import { rgbToLab, shrink } from './colour.ts';
import { localContrast } from './detail.ts';
import { findEyewear, wearsGlasses } from './eyewear.ts';
import { cleanRegion, faceLayout, GRID_SIZE, gridRect, grow, seededRegions, SPECK, STRAY_REACH, toGrid, toPixels, workGrid, type FaceLayout, type WorkGrid } from './face-layout.ts';
import { gaussianBlur } from './mask.ts';
import { keptMouth, type KeptLips, type Mouths } from './mouth.ts';
import { FACE_WORK_SIZE, faceAtWorkSize } from './patch.ts';
import { likeness, SKIN_LIKENESS, skinModel, type ColourModel } from './skin.ts';

/**
 * What of the target stays over the new face: hair over the brow or the temples, glasses, the hairline, the open
 * mouth, and the beard where asked.
 */

/** A patch of the target unlike its skin, apart from the face's edge, is its own up to this many specks in size (see SPECK). */
const LOOSE_PATCH = 2;
/** ...and one at its edge reaching no higher than the brows, up to this many. */
const LOW_PATCH = 8;
/** How far the soft edge of the target's hair over the face reaches past its solid part, relative to the face's size. */
const HAIR_EDGE = 0.03;

/** What a swap takes of a target face beyond its pixels: whether it wears glasses (see targetWearsGlasses), whether its beard is kept. */
export interface TargetLook {
  wearsGlasses: boolean;
  keepBeard: boolean;
}

/**
 * Whether a target face (its mesh x, y, z per point) wears glasses, told on its own picture as it is, at about the
 * size its parts are looked for at (the grid's).
 */
export function targetWearsGlasses(target: Raster, mesh: Float32Array): boolean {
  return wearsGlasses(target, mesh, GRID_SIZE);
}

/**
 * What of the target stays over the new face (0..1 per pixel of its rectangle): its hair over the brow or the
 * temples, its glasses, its hairline, and its open mouth (see keptMouth). Its beard too, if `keepBeard`. Also how
 * skin-like each of its grid cells is, its lips where they stay under a source's open smile (`keptLips`, part of
 * `keep`; null where they do not), and whether its mouth is shut, whatever the mesh draws (see keptMouth).
 */
export function targetParts(background: Float32Array, grid: WorkGrid, layout: FaceLayout, mouths: Mouths, { keepBeard, wearsGlasses }: TargetLook): { keep: Float32Array; targetSkin: Float32Array; keptLips: KeptLips | null; mouthShut: boolean } {
  const cells = grid.width * grid.height;
  const cellsRgb = toGrid(grid, background);
  const skinColour = skinModel(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize);
  const targetSkin = likeness(cellsRgb, skinColour, SKIN_LIKENESS);
  const hair = floats(cells);
  // Hair is told from skin in shade too: the cheek shaded towards couple.jpg's woman's ear is darker than any skin the
  // likeness allows, but no more saturated (an auburn lock over img8's temple is).
  const shadedSkin = likeness(cellsRgb, skinColour, { ...SKIN_LIKENESS, shade: 2 });
  for (let c = 0; c < cells; c++) hair[c] = (1 - layout.features[c]) * layout.hairZone[c] * (1 - shadedSkin[c]);
  const kept = hairOverFace(cleanRegion(hair, grid.width, grid.height, grid.faceSize), grid, layout);
  // Its glasses' frames, looked for only on a face told to wear them (targetWearsGlasses).
  const frames = wearsGlasses ? findEyewear(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize, { known: true }).frames : null;
  for (let c = 0; c < cells; c++) kept[c] = Math.max(kept[c], frames ? frames[c] : 0, 1 - layout.topRamp[c]);
  if (keepBeard) {
    const beard = beardOf(background, cellsRgb, grid, layout, skinColour, targetSkin);
    for (let c = 0; c < cells; c++) kept[c] = Math.max(kept[c], beard[c]);
  }
  const keep = toPixels(grid, gaussianBlur(kept, grid.width, grid.height, grid.faceSize * 0.005));
  const mouth = keptMouth(background, cellsRgb, grid, layout, mouths);
  keepAlso(keep, mouth.opening);
  if (mouth.lips) keepAlso(keep, mouth.lips.plane);
  return { keep, targetSkin, keptLips: mouth.lips, mouthShut: mouth.shut };
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
export function targetBeardCover(target: Raster, mesh: Float32Array, workSize = FACE_WORK_SIZE): number {
  return outsideScratch(() => {
    const { rgb, rect, mesh: local } = faceAtWorkSize(target, mesh, workSize);
    const grid = workGrid(rect, local, Math.max(rect.width, rect.height));
    const layout = faceLayout(grid);
    const cellsRgb = toGrid(grid, rgb);
    const skin = skinModel(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize);
    const beard = beardOf(rgb, cellsRgb, grid, layout, skin, likeness(cellsRgb, skin, SKIN_LIKENESS));
    let covered = 0, face = 0;
    for (let c = 0; c < beard.length; c++) {
      if (!(layout.toEdge[c] > 0)) continue;
      face++;
      covered += beard[c];
    }
    return face ? covered / face : 0;
  });
}

/** Adds `more` (0..1 per pixel, feathered, counting half again) to what of the target stays, `keep`, in place. */
function keepAlso(keep: Float32Array, more: Float32Array): void {
  for (let p = 0; p < keep.length; p++) keep[p] = 1 - (1 - keep[p]) * (1 - Math.min(1, more[p] * 1.5));
}
