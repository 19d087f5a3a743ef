import { bytes, floats } from '../scratch.ts';
import { findBeard } from './beard.ts';
import { paintOver } from './blend.ts';
import { rgbToLab, shrink } from './colour.ts';
import { localContrast } from './detail.ts';
import { findEyewear } from './eyewear.ts';
import { cleanRegion, gridRect, grow, regionMeans, seededRegions, smoothstep, SPECK, STRAY_REACH, toGrid, toPixels, type FaceLayout, type WorkGrid } from './face-layout.ts';
import { lipsProper, unlike } from './mouth.ts';
import { likeness, SKIN_LIKENESS, skinModel } from './skin.ts';
import type { WarpResult } from './warp.ts';

/**
 * The source's render cleaned of what is not its face, painted over from the skin around: the gaps the mesh leaves,
 * teeth squeezed into the new lip line, glasses, stray hair, and objects at the face's edge (earrings, collars,
 * background).
 */

/** A bit of a fair lock is less red and yellower than the skin's median by these many spreads (a*, b*), and less skin-like than this. */
const FAIR_LOCK = { lessRed: 2.5, yellower: 1.5, skinLike: 0.6 };
/** Stray hair is painted over this far past where it is found, relative to the face's size (its fine ends). */
const STRAY_GROWTH = 0.015;
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
/** The source's glasses are painted over this far past their frames (relative to the face's size). */
const FRAME_GROWTH = 0.012;

/**
 * Makes the source's render fit to be the new face, in place, and returns how skin-like each of its grid cells is.
 * The mesh leaves the mouth opening out, and a fold of the new outline can leave slivers: the render gets lips or
 * skin there, painted in from around. Its teeth squeezed into the new (the target's) lip line are painted over with
 * lips: where the target's mouth is open the target's own teeth show, and where it is closed the new mouth is lips.
 * Its glasses come off, and hair, or background past its face's edge, is painted over from the skin around.
 * Also returns where it painted (0..1 per pixel).
 */
export function cleanSourceFace(
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
  // Told from the lips proper (their redder half): a wide smile's teeth fill much of the lips' region, and a model of
  // all of it took them for lips (white fangs between img16's lips, kept under img24's smile).
  const teeth = unlike(face.rgb, lipLine, lipsProper(toGrid(grid, face.rgb), layout.lips));
  paintOver(face.rgb, teeth, face.coverage, w, h);
  const painted = gaps;
  for (let p = 0; p < painted.length; p++) painted[p] = Math.max(painted[p], teeth[p]);

  let cellsRgb = toGrid(grid, face.rgb);
  const covered = shrink(face.coverage, w, h, grid.factor);
  const model = skinModel(cellsRgb, gridRect(grid), grid.mesh, grid.faceSize, covered);
  const skin = likeness(cellsRgb, model, SKIN_LIKENESS);
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
  return { skin: likeness(cellsRgb, model, SKIN_LIKENESS), painted, strays };
}
