import { MOUTH_CORNERS, TRIANGULATION } from '../face/landmarks.ts';
import { BROWS, FACE_OVAL } from '../face/regions.ts';
import { MIRROR_POINT } from '../face/symmetry.ts';
import { halvedCrop } from '../face/pyramid.ts';
import type { Raster } from '../image/raster.ts';
import { boundingRect } from './region.ts';
import { colourModel, likeness } from './skin.ts';

/** Which of the source face's triangles show it: point indices, three a triangle. */
export interface Visibility {
  /** Shown well: rendered from their own pixels. */
  seen: number[];
  /** Turned away, seen nearly edge-on, or under hair: taken from the mirrored side. */
  hidden: number[];
  /**
   * Of `hidden`, those under fair hair: unlike a small turned-away patch (a nostril wing), never kept from their own
   * pixels (the painter finds darker hair by its colour).
   */
  fairHair: number[];
  /** The mirror image of every triangle of TRIANGULATION (same offsets). */
  mirrorTriangles: Uint16Array;
  /** The share of the face (of its area as seen, 0..1) that hair covers: taken from the mirrored side, or painted over. */
  hairCover: number;
}

/** A triangle seen this much smaller than its mirror image in the source is taken from the mirror side. */
const MIRROR_WHEN_SMALLER = 0.35;
/** Samples a triangle is judged by (barycentric weights, out of 6). */
const SAMPLES = [[4, 1, 1], [1, 4, 1], [1, 1, 4], [2, 2, 2], [3, 3, 0], [3, 0, 3], [0, 3, 3], [2, 3, 1], [1, 2, 3], [3, 1, 2]] as const;
/** A triangle is under hair when this unlike skin (0..1: its colour, or strands' contrast) while its mirror image is not. */
const HAIR = { covered: 0.5, clear: 0.25 };
/** Luma spread (0..255) over a triangle's samples from which it reads as strands rather than skin. */
const STRANDS: [number, number] = [10, 24];
/**
 * Strands are looked for with the face at most this many px across (the source halved): they are then 1-3 px wide.
 * A triangle shows strands when its fine texture is this many times its mirror image's (plus a floor, 0..255 luma),
 * and runs one way (coherence of its gradients) within this many degrees of the face's up axis: hair falls down the
 * face, while a lit brow, stubble or a smile line on one side run across it or every way.
 */
const STRAND_FACE_SIZE = 480;
const STRAND_TEXTURE = { ratio: 2, floor: 2 };
const STRAND_COHERENCE = 0.3;
const STRAND_ANGLE = 40;
/**
 * Fair hair (lighter than the face's typical lightness) is also this many times as textured as its skin: strands'
 * edges are sharp, while a lit cheek with a smile line, as light, is not.
 */
const FAIR_STRANDS = 3;
/**
 * Where a triangle near the outline lies: above the line through the nose's base (across the face), or below it, where
 * a beard or moustache grows. Not the mouth corners' line: a smile lifts them, and a beard beside them, one side
 * darker, was taken for hair come down over the cheek (img24, img16).
 */
const ABOVE_NOSE = 1;
const BELOW_NOSE = 2;
/** Only triangles this close to the face's outline (relative to its size) can be under hair. */
const HAIR_REACH = 0.18;
/** What lies within this (relative to the face's size) of the line from hair to the outline is between them. */
const BETWEEN = 0.03;
/** Skin is told from hair by colour; a flush or blush (redder) is still skin. */
const SKIN = { redder: 0.3 };
/**
 * Triangles by the brows: 2 where every corner is a brow's point (the brow itself), 1 where some corner is (its edge).
 * A brow is the face's own hair, and darker than skin: where one is raised or the mesh sits off it, its mirror image
 * is bare forehead, and taking it from there left a relit smudge where the brow was (img34). By a brow only strands
 * count as hair over the face (img55's), not colour; on the brow itself, strands running down the face where the
 * other brow's hairs do not (a lock across its end, img22), and then it is taken from the other brow.
 */
const BY_BROW: Uint8Array = cornersAmong([...BROWS.left, ...BROWS.right]).map((corners) => (corners === 3 ? 2 : corners > 0 ? 1 : 0));
/** Triangles with a corner on the face's outline. */
const ON_OUTLINE: Uint8Array = cornersAmong(FACE_OVAL);
/** Mesh points of the outer eye corners. */
const EYE_CORNERS = [33, 263] as const;
/** The mesh point at the nose's base, between the nostrils. */
const NOSE_BASE = 2;

/**
 * Splits the source face's triangles into those to render from its own pixels and those to take from the mirrored
 * side: the ones it turns away or shows nearly edge-on (smaller than their mirror image), and those near its
 * outline that hair covers where the mirrored side is bare (hair falling over one cheek). Hair falls from above and
 * comes in from the outline, through more of itself: a patch unlike its mirror image below the nose (stubble or a
 * beard in shadow), or one cut off from the outline by skin (a brow raised higher than the other), is the face's own;
 * below the nose only strands hanging from hair above count, and above it what lies between hair and the outline is under
 * hair too. A triangle to be taken from the mirrored side whose mirror image is not clearly skin either (background
 * past a turned cheek's edge, hair on both sides) is left out, for the swap to fill; within the face, where neither can
 * be, it is rendered from its own pixels. What lies on the `frames` of glasses the face wears is no hair either.
 */
export function sourceVisibility(source: Raster, mesh: Float32Array, frames: GlassesFrames | null = null): Visibility {
  const area = (a: number, b: number, c: number) =>
    (mesh[b * 3] - mesh[a * 3]) * (mesh[c * 3 + 1] - mesh[a * 3 + 1]) - (mesh[c * 3] - mesh[a * 3]) * (mesh[b * 3 + 1] - mesh[a * 3 + 1]);
  let orientation = 0;
  for (let t = 0; t < TRIANGULATION.length; t += 3) orientation += area(TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]);
  const front = Math.sign(orientation) || 1;
  const mirrorTriangles = TRIANGULATION.map((i) => MIRROR_POINT[i]);
  const unlike = unlikeSkin(source, mesh, TRIANGULATION);
  const mirrorUnlike = unlikeSkin(source, mesh, mirrorTriangles);
  // Each triangle's area as seen, and its mirror image's (a mirrored triangle's winding is reversed, hence the minus).
  const count = TRIANGULATION.length / 3;
  const own = new Float32Array(count);
  const mirrored = new Float32Array(count);
  for (let k = 0, t = 0; k < count; k++, t += 3) {
    own[k] = front * area(TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]);
    mirrored[k] = -front * area(mirrorTriangles[t], mirrorTriangles[t + 1], mirrorTriangles[t + 2]);
  }
  const nearest = nearestOutlinePoints(mesh);
  const hairCanCover = whereHairCanCover(mesh, nearest);
  // Hair unlike skin in colour, or blond strands close to it in colour that its mirror image lacks.
  const { strands, mirrorStrands, fair, overBrow } = strandsOverMirror(source, mesh, mirrorTriangles);
  // A mirror image to take a triangle from must be bare: skin in colour (a brow's is the other brow), and no strands in it.
  const mirrorBare = (k: number) => (BY_BROW[k] || mirrorUnlike[k] < HAIR.clear) && !mirrorStrands[k];
  // Glasses' frames are dark and run to the outline, but the painter takes them off: what lies on them is not hair.
  const onFrames = frames ? framesOver(frames, mesh) : new Uint8Array(count);
  const covered = Uint8Array.from(unlike, (u, k) => (!onFrames[k] && ((BY_BROW[k] < 2 && (strands[k] || (u > HAIR.covered && !BY_BROW[k]))) || (BY_BROW[k] && overBrow[k])) ? 1 : 0));
  const mirrorable = (k: number) => mirrored[k] > 0 && mirrorBare(k);
  // Joined to the outline through what is no skin (the hair itself), whether or not the outline's mirror is bare.
  const hairy = reachingTheOutline(covered);
  const underHair = new Uint8Array(count);
  for (let k = 0; k < count; k++) underHair[k] = hairCanCover[k] === ABOVE_NOSE && covered[k] && hairy[k] && mirrorable(k) ? 1 : 0;
  // Below the nose, only strands hanging from that hair: stubble, or a beard darker on one side, stays.
  const hanging = joined(Uint8Array.from(strands, (v, k) => (v && (underHair[k] || (hairCanCover[k] === BELOW_NOSE && mirrorable(k))) ? 1 : 0)), underHair);
  for (let k = 0; k < count; k++) underHair[k] |= hanging[k];
  // Hair comes in from the outline: what lies between hair found and the outline is under it too, however like skin
  // its colour (fair hair over a tanned cheek). It is taken from the mirrored side where that is bare.
  const aboveNose = Uint8Array.from(hairCanCover, (zone) => (zone === ABOVE_NOSE ? 1 : 0));
  // Not onto a brow, the face's own hair (its own rule above).
  const outward = towardsTheOutline(mesh, nearest, Uint8Array.from(underHair, (v, k) => v & aboveNose[k]), Uint8Array.from(aboveNose, (v, k) => (BY_BROW[k] ? 0 : v)));
  // Fair strands whose mirror image is no better (hair on both sides), and what lies outward of hair with no bare
  // mirror image, are not rendered at all: the target's own skin shows there (the painter finds darker hair by its
  // colour itself; glasses' frames are dark too).
  const unmirrorable = Uint8Array.from(strands, (v, k) => (((v && fair[k] && aboveNose[k] && hairy[k]) || (outward[k] && !mirrorable(k))) && !underHair[k] ? 1 : 0));
  for (let k = 0; k < count; k++) if (outward[k] && mirrorable(k)) underHair[k] = 1;
  const seen: number[] = [];
  const hidden: number[] = [];
  const fairHair: number[] = [];
  let faceArea = 0, hairArea = 0;
  for (let k = 0, t = 0; k < count; k++, t += 3) {
    faceArea += Math.abs(own[k]);
    // The cover counts hair seen, not what lies outward of it (taken on trust).
    if ((underHair[k] || unmirrorable[k]) && !outward[k]) hairArea += Math.abs(own[k]);
    const shown = own[k] >= MIRROR_WHEN_SMALLER * mirrored[k] || (own[k] > 0 && mirrored[k] <= 0);
    const triangle = [TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]];
    if (unmirrorable[k]) continue;
    // On the outline, a triangle that faces away as its mirror image does shows neither: what lies there is in front of
    // it or past the face's edge. Taken from its mirror image, a turned face's far cheek came out with a dark streak
    // down it on a face turned less (img8 on img13, img18); left out, the target's own skin shows there.
    if (ON_OUTLINE[k] && own[k] <= 0 && mirrored[k] <= 0) continue;
    if (shown && !underHair[k]) seen.push(...triangle);
    else if (mirrorBare(k)) {
      hidden.push(...triangle);
      if (underHair[k] && fair[k]) fairHair.push(...triangle);
    } else if (!hairCanCover[k] && own[k] > 0) {
      // Within the face, where neither hair nor background can be, its own pixels however foreshortened: left out, the
      // target's skin showed through as a streak (a nose's far side, whose mirror image holds a moustache: img34).
      seen.push(...triangle);
    }
  }
  return { seen, hidden, fairHair, mirrorTriangles, hairCover: faceArea > 0 ? hairArea / faceArea : 0 };
}

/**
 * A source face's glasses' frames, 0..1 per pixel of a `width` x `height` copy of its picture from (`x`, `y`), `scale`
 * times its size.
 */
export interface GlassesFrames {
  frames: Float32Array;
  x: number;
  y: number;
  width: number;
  height: number;
  scale: number;
}

/** Per triangle of TRIANGULATION: 1 where any of its samples lies on the frames. */
function framesOver({ frames, x: x0, y: y0, width, height, scale }: GlassesFrames, mesh: Float32Array): Uint8Array {
  const out = new Uint8Array(TRIANGULATION.length / 3);
  forEachSample(mesh, TRIANGULATION, (t, _, sx, sy) => {
    const x = Math.floor((sx - x0) * scale), y = Math.floor((sy - y0) * scale);
    if (x >= 0 && y >= 0 && x < width && y < height && frames[y * width + x] > 0.5) out[t] = 1;
  });
  return out;
}

/** Calls `visit` with each sample point (x, y, picture px) of each of `triangleList`'s triangles (3 point indices each). */
function forEachSample(mesh: Float32Array, triangleList: ArrayLike<number>, visit: (triangle: number, sample: number, x: number, y: number) => void): void {
  for (let t = 0; t < triangleList.length / 3; t++) {
    const a = triangleList[t * 3], b = triangleList[t * 3 + 1], c = triangleList[t * 3 + 2];
    for (let k = 0; k < SAMPLES.length; k++) {
      const [wa, wb, wc] = SAMPLES[k];
      visit(t, k, (wa * mesh[a * 3] + wb * mesh[b * 3] + wc * mesh[c * 3]) / 6, (wa * mesh[a * 3 + 1] + wb * mesh[b * 3 + 1] + wc * mesh[c * 3 + 1]) / 6);
    }
  }
}

/**
 * How unlike the face's skin each of `triangleList`'s triangles (3 point indices each) looks in the source, 0..1:
 * off its colour, or streaked like strands.
 */
function unlikeSkin(source: Raster, mesh: Float32Array, triangleList: ArrayLike<number>): Float32Array {
  const triangles = triangleList.length / 3;
  const rgb = new Float32Array(triangles * SAMPLES.length * 3);
  forEachSample(mesh, triangleList, (t, k, x, y) => {
    const px = Math.min(source.width - 1, Math.max(0, Math.floor(x)));
    const py = Math.min(source.height - 1, Math.max(0, Math.floor(y)));
    const o = (py * source.width + px) * 4, q = (t * SAMPLES.length + k) * 3;
    rgb[q] = source.data[o];
    rgb[q + 1] = source.data[o + 1];
    rgb[q + 2] = source.data[o + 2];
  });
  // Most of a face is skin: the median of every sample is its colour.
  const skin = likeness(rgb, colourModel(rgb, new Float32Array(rgb.length / 3).fill(1)), SKIN);
  const out = new Float32Array(triangles);
  for (let t = 0; t < triangles; t++) {
    let like = 0, sum = 0, squares = 0;
    for (let k = 0; k < SAMPLES.length; k++) {
      const q = t * SAMPLES.length + k;
      like += skin[q] / SAMPLES.length;
      const luma = 0.299 * rgb[q * 3] + 0.587 * rgb[q * 3 + 1] + 0.114 * rgb[q * 3 + 2];
      sum += luma;
      squares += luma * luma;
    }
    const spread = Math.sqrt(Math.max(0, squares / SAMPLES.length - (sum / SAMPLES.length) ** 2));
    const t01 = Math.min(1, Math.max(0, (spread - STRANDS[0]) / (STRANDS[1] - STRANDS[0])));
    out[t] = Math.max(1 - like, t01);
  }
  return out;
}

/**
 * Per triangle of TRIANGULATION: whether it shows strands running down the face that its mirror image (the same
 * offset of `mirrorTriangles`) does not, whether that mirror image shows strands (against the face's typical
 * texture, which is skin's), whether it is lighter than the face's typical lightness (fair hair), and whether it shows
 * strands running down the face where its mirror image's texture does not run so (hair across a brow, whose own
 * hairs run along it).
 */
function strandsOverMirror(source: Raster, mesh: Float32Array, mirrorTriangles: ArrayLike<number>): { strands: Uint8Array; mirrorStrands: Uint8Array; fair: Uint8Array; overBrow: Uint8Array } {
  // The face's part of the source, halved until the face is at most STRAND_FACE_SIZE px across.
  const box = boundingRect(mesh, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: source.width, clipHeight: source.height });
  let halvings = 0;
  while (faceSize(mesh) / 2 ** halvings > STRAND_FACE_SIZE && box.width >> halvings >= 32 && box.height >> halvings >= 32) halvings++;
  const image = halvedCrop(source, box, halvings);
  const scale = 1 / 2 ** halvings;
  const field = textureField(image);
  const points = new Float32Array(mesh.length);
  for (let i = 0; i < mesh.length; i += 3) {
    points[i] = (mesh[i] - box.x) * scale;
    points[i + 1] = (mesh[i + 1] - box.y) * scale;
  }
  const up = faceUp(mesh);
  const own = strandStats(field, points, TRIANGULATION, up);
  const mirror = strandStats(field, points, mirrorTriangles, up);
  const strands = new Uint8Array(own.texture.length);
  const mirrorStrands = new Uint8Array(own.texture.length);
  const { ratio, floor } = STRAND_TEXTURE;
  const fair = new Uint8Array(own.texture.length);
  const overBrow = new Uint8Array(own.texture.length);
  const median = (values: Float32Array) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const skin = median(own.texture);
  const skinLightness = median(own.lightness);
  for (let t = 0; t < strands.length; t++) {
    strands[t] = own.downTheFace[t] && own.texture[t] + floor > ratio * (mirror.texture[t] + floor) ? 1 : 0;
    mirrorStrands[t] = mirror.downTheFace[t] && mirror.texture[t] + floor > ratio * (skin + floor) ? 1 : 0;
    fair[t] = own.lightness[t] > skinLightness && own.texture[t] > FAIR_STRANDS * skin ? 1 : 0;
    overBrow[t] = own.downTheFace[t] && !mirror.downTheFace[t] && own.texture[t] + floor > ratio * (skin + floor) ? 1 : 0;
  }
  return { strands, mirrorStrands, fair, overBrow };
}

/** Per pixel of a picture: its fine texture (absolute Laplacian of luma) and its luma gradient's structure tensor. */
interface TextureField {
  width: number;
  height: number;
  luma: Float32Array;
  laplacian: Float32Array;
  xx: Float32Array;
  xy: Float32Array;
  yy: Float32Array;
}

function textureField(image: Raster): TextureField {
  const { width: w, height: h } = image;
  const luma = new Float32Array(w * h);
  for (let p = 0; p < w * h; p++) luma[p] = 0.299 * image.data[p * 4] + 0.587 * image.data[p * 4 + 1] + 0.114 * image.data[p * 4 + 2];
  const field = { width: w, height: h, luma, laplacian: new Float32Array(w * h), xx: new Float32Array(w * h), xy: new Float32Array(w * h), yy: new Float32Array(w * h) };
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1, p = y * w + 1; x < w - 1; x++, p++) {
      field.laplacian[p] = Math.abs(4 * luma[p] - luma[p - 1] - luma[p + 1] - luma[p - w] - luma[p + w]);
      const gx = (luma[p + 1] - luma[p - 1]) / 2, gy = (luma[p + w] - luma[p - w]) / 2;
      field.xx[p] = gx * gx;
      field.xy[p] = gx * gy;
      field.yy[p] = gy * gy;
    }
  }
  return field;
}

/**
 * Per triangle of `triangleList` (3 point indices each into `points`, x,y,z in `field`'s px): its fine texture (mean
 * absolute Laplacian over the pixel centres inside) and whether its gradients agree on one direction (the structure
 * tensor's coherence) with the strands across it within STRAND_ANGLE of `up`.
 */
function strandStats(field: TextureField, points: Float32Array, triangleList: ArrayLike<number>, up: [number, number]) {
  const { width: w, height: h } = field;
  const count = triangleList.length / 3;
  const texture = new Float32Array(count);
  const lightness = new Float32Array(count);
  const downTheFace = new Uint8Array(count);
  const minAlong = Math.cos((STRAND_ANGLE * Math.PI) / 180);
  const x = [0, 0, 0], y = [0, 0, 0];
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 3; k++) {
      x[k] = points[triangleList[t * 3 + k] * 3];
      y[k] = points[triangleList[t * 3 + k] * 3 + 1];
    }
    let n = 0, sum = 0, light = 0, xx = 0, xy = 0, yy = 0;
    const y0 = Math.max(1, Math.ceil(Math.min(y[0], y[1], y[2]) - 0.5)), y1 = Math.min(h - 2, Math.floor(Math.max(y[0], y[1], y[2]) - 0.5));
    for (let py = y0; py <= y1; py++) {
      // The row's pixel centres between the triangle's edges.
      const yc = py + 0.5;
      let left = Infinity, right = -Infinity;
      for (let k = 0; k < 3; k++) {
        const [xa, ya, xb, yb] = [x[k], y[k], x[(k + 1) % 3], y[(k + 1) % 3]];
        if ((yc < ya) === (yc < yb)) continue;
        const xc = xa + ((yc - ya) * (xb - xa)) / (yb - ya);
        left = Math.min(left, xc);
        right = Math.max(right, xc);
      }
      const x0 = Math.max(1, Math.ceil(left - 0.5)), x1 = Math.min(w - 2, Math.floor(right - 0.5));
      for (let px = x0, p = py * w + x0; px <= x1; px++, p++) {
        sum += field.laplacian[p];
        light += field.luma[p];
        xx += field.xx[p];
        xy += field.xy[p];
        yy += field.yy[p];
        n++;
      }
    }
    if (!n) continue;
    texture[t] = sum / n;
    lightness[t] = light / n;
    const trace = xx + yy;
    const coherence = trace > 0 ? Math.sqrt((xx - yy) ** 2 + 4 * xy * xy) / trace : 0;
    // The gradients' main direction is across the strands; the strands run at right angles to it.
    const across = 0.5 * Math.atan2(2 * xy, xx - yy);
    const along = Math.abs(-Math.sin(across) * up[0] + Math.cos(across) * up[1]);
    downTheFace[t] = coherence > STRAND_COHERENCE && along > minAlong ? 1 : 0;
  }
  return { texture, lightness, downTheFace };
}

/** The face's size: the larger side of its outline's bounds. */
function faceSize(mesh: Float32Array): number {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (const i of FACE_OVAL) {
    minX = Math.min(minX, mesh[i * 3]);
    maxX = Math.max(maxX, mesh[i * 3]);
    minY = Math.min(minY, mesh[i * 3 + 1]);
    maxY = Math.max(maxY, mesh[i * 3 + 1]);
  }
  return Math.max(maxX - minX, maxY - minY);
}

/** The face's up direction (unit): from the mouth corners' midpoint to the eye corners' (the head may be rolled). */
function faceUp(mesh: Float32Array): [number, number] {
  const mid = (i: number, j: number, k: number) => (mesh[i * 3 + k] + mesh[j * 3 + k]) / 2;
  const ux = mid(EYE_CORNERS[0], EYE_CORNERS[1], 0) - mid(MOUTH_CORNERS[0], MOUTH_CORNERS[1], 0);
  const uy = mid(EYE_CORNERS[0], EYE_CORNERS[1], 1) - mid(MOUTH_CORNERS[0], MOUTH_CORNERS[1], 1);
  const length = Math.hypot(ux, uy) || 1;
  return [ux / length, uy / length];
}

/**
 * Per triangle: whether hair can cover it, its centre within HAIR_REACH of the face's size from the outline's nearest
 * point: ABOVE_NOSE or BELOW_NOSE, else 0.
 */
function whereHairCanCover(mesh: Float32Array, { x, y, squared }: NearestOutlinePoints): Uint8Array {
  const reach = faceSize(mesh) * HAIR_REACH;
  const [mx, my] = [mesh[NOSE_BASE * 3], mesh[NOSE_BASE * 3 + 1]];
  const [ux, uy] = faceUp(mesh);
  const out = new Uint8Array(TRIANGULATION.length / 3);
  for (let t = 0; t < out.length; t++) {
    const below = (x[t] - mx) * ux + (y[t] - my) * uy < 0;
    out[t] = squared[t] < reach * reach ? (below ? BELOW_NOSE : ABOVE_NOSE) : 0;
  }
  return out;
}

/** Per triangle of TRIANGULATION: its centre, the outline's point nearest to it, and their squared distance. */
interface NearestOutlinePoints {
  x: Float64Array;
  y: Float64Array;
  outlineX: Float64Array;
  outlineY: Float64Array;
  squared: Float64Array;
}

function nearestOutlinePoints(mesh: Float32Array): NearestOutlinePoints {
  const count = TRIANGULATION.length / 3;
  const out = { x: new Float64Array(count), y: new Float64Array(count), outlineX: new Float64Array(count), outlineY: new Float64Array(count), squared: new Float64Array(count).fill(Infinity) };
  for (let t = 0; t < count; t++) {
    const [a, b, c] = [TRIANGULATION[t * 3], TRIANGULATION[t * 3 + 1], TRIANGULATION[t * 3 + 2]];
    const x = (mesh[a * 3] + mesh[b * 3] + mesh[c * 3]) / 3, y = (mesh[a * 3 + 1] + mesh[b * 3 + 1] + mesh[c * 3 + 1]) / 3;
    out.x[t] = x;
    out.y[t] = y;
    for (const i of FACE_OVAL) {
      const d = (mesh[i * 3] - x) ** 2 + (mesh[i * 3 + 1] - y) ** 2;
      if (d < out.squared[t]) [out.squared[t], out.outlineX[t], out.outlineY[t]] = [d, mesh[i * 3], mesh[i * 3 + 1]];
    }
  }
  return out;
}

/**
 * Of the triangles flagged in `flags`, those joined (by shared points, through flagged triangles) to one on the
 * outline: hair comes in from there.
 */
function reachingTheOutline(flags: Uint8Array): Uint8Array {
  return joined(flags, Uint8Array.from(flags, (f, t) => (f && [0, 1, 2].some((k) => OUTLINE.has(TRIANGULATION[t * 3 + k])) ? 1 : 0)));
}

/** Of the triangles flagged in `flags`, those joined (by shared points, through flagged triangles) to a seed. */
function joined(flags: Uint8Array, seeds: Uint8Array): Uint8Array {
  const out = new Uint8Array(flags.length);
  const queue: number[] = [];
  for (let t = 0; t < flags.length; t++) {
    if (flags[t] && seeds[t]) {
      out[t] = 1;
      queue.push(t);
    }
  }
  while (queue.length) {
    const t = queue.pop()!;
    for (let k = 0; k < 3; k++) {
      for (const u of TRIANGLES_OF_POINT[TRIANGULATION[t * 3 + k]]) {
        if (flags[u] && !out[u]) {
          out[u] = 1;
          queue.push(u);
        }
      }
    }
  }
  return out;
}

/**
 * Of the triangles in `within`, those between a `seeds` triangle and the outline: their centres nearer the outline
 * than the seed's, and within BETWEEN of the line from the seed's centre to the outline's nearest point.
 */
function towardsTheOutline(mesh: Float32Array, { x, y, outlineX, outlineY, squared }: NearestOutlinePoints, seeds: Uint8Array, within: Uint8Array): Uint8Array {
  const reach = BETWEEN * faceSize(mesh);
  const out = new Uint8Array(seeds.length);
  for (let s = 0; s < seeds.length; s++) {
    if (!seeds[s]) continue;
    const [dx, dy] = [outlineX[s] - x[s], outlineY[s] - y[s]];
    const length2 = dx * dx + dy * dy || 1;
    for (let u = 0; u < seeds.length; u++) {
      if (!within[u] || seeds[u] || out[u] || !(squared[u] < squared[s])) continue;
      const along = Math.min(1, Math.max(0, ((x[u] - x[s]) * dx + (y[u] - y[s]) * dy) / length2));
      if (Math.hypot(x[u] - x[s] - along * dx, y[u] - y[s] - along * dy) < reach) out[u] = 1;
    }
  }
  return out;
}

/** The points of the face's outline. */
const OUTLINE = new Set<number>(FACE_OVAL);

/** The triangles (indices into TRIANGULATION / 3) each mesh point belongs to. */
const TRIANGLES_OF_POINT: number[][] = (() => {
  const out: number[][] = [];
  for (let t = 0; t < TRIANGULATION.length / 3; t++) for (let k = 0; k < 3; k++) (out[TRIANGULATION[t * 3 + k]] ??= []).push(t);
  return out;
})();

/** Per triangle of TRIANGULATION: how many of its corners are among `points`. */
function cornersAmong(points: readonly number[]): Uint8Array {
  const among = new Set<number>(points);
  return Uint8Array.from({ length: TRIANGULATION.length / 3 }, (_, t) => [0, 1, 2].filter((k) => among.has(TRIANGULATION[t * 3 + k])).length);
}
