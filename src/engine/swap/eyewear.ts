import { BROWS, EYE_POLYGON } from '../face/regions.ts';
import { seededRegions, smoothstep } from './face-layout.ts';
import { distanceInside, rasterizePolygon } from './mask.ts';
import { cropRgb, faceAtWorkSize, lumaOf } from './patch.ts';
import type { Raster } from '../image/raster.ts';
import type { Rect } from './region.ts';
import { bytes, floats, int32s } from '../scratch.ts';

/** Glasses found on a face. */
export interface Eyewear {
  /** How surely the frame's expected course (the bridge, the rim under each eye) shows one thin dark line, 0..1. */
  score: number;
  /** Whether the face wears glasses (the score passes {@link EYEWEAR_SCORE}). */
  present: boolean;
  /** Per pixel of the rectangle, 0..1: the frame (soft-edged), zero everywhere when `present` is false. */
  frames: Float32Array;
}

/**
 * The score above which a face is taken to wear glasses. Over the test photos, faces without them score at most 0.2
 * (creases by img41's eyes), faces with them 0.97-1, and one cut by the picture's edge through a lens, with that
 * rim unseen, 0.53 (selfie-many-people.jpg's top-right man).
 */
export const EYEWEAR_SCORE = 0.45;

/** Thin dark lines are found up to this thick, relative to the face's size. */
const LINE_WIDTH = 0.05;
/** How much darker than its surroundings (relative) a pixel must be to count as a line. */
const LINE_CONTRAST = 0.35;

/** Glasses are told only where this much of the frame's course (of its three parts) lies within the picture. */
const MIN_COURSE_SEEN = 1.5;

/** How far (relative to the face's size) from the frame found around it a rim is followed under a brow's end. */
const RIM_UNDER_BROW = 0.02;

/** The frame mask covers the found frame pixels and this far beyond (full, then fading out), relative to the face's size. */
const FRAME_EDGE = [0.002, 0.008] as const;

/**
 * A thick lens's edge, seen through the lens, is a dark band inside its frame: it is looked for within `depth` of the
 * frame (relative to the face's size), as pixels darker than `darker` times the skin's median luma around the eyes.
 */
const LENS_EDGE = { depth: 0.06, darker: 0.85 } as const;

/** Options for {@link findEyewear}. */
export interface EyewearOptions {
  rimsUnderBrows?: boolean;
  lensEdges?: boolean;
  /**
   * Whether the face wears glasses, told already on its own picture and mesh: its frames are found here whatever the
   * score. A target's is told before its surroundings are bent to the source's proportions, on which the score of a
   * face near the threshold came and went with the source (selfie-many-people.jpg's top-right man: 0.60-0.72).
   */
  known?: boolean;
}

/**
 * Looks for the frames of glasses on the face whose mesh (x, y, z per point, px of the same picture) lies over `rgb`
 * (interleaved RGB over `rect`): a thin dark line, darker than the skin around it, wherever a frame runs across the
 * nose bridge and under each eye. Works at any resolution; `faceSize` is the face's larger side in its pixels.
 *
 * The brows' zone cuts a rim that passes under a brow's end (where the mesh often puts the brow's end on the rim);
 * `rimsUnderBrows` follows the rim there too: for glasses to take off, where painting a few of the brow's hairs over
 * matters less than a dash of rim left, not for glasses kept (the target's brow hairs would be kept with them).
 * `lensEdges`, also for glasses to take off, adds a thick lens's dark edge inside its frame (see {@link findLensEdge}).
 */
export function findEyewear(rgb: Float32Array, rect: Rect, mesh: Float32Array, faceSize: number, options: EyewearOptions = {}): Eyewear {
  // Worked out on the part of the face where frames run (and the reach of the filters around it) alone: the same
  // result in less than half the time.
  const part = framesPart(rect, mesh, faceSize);
  if (part.width === rect.width && part.height === rect.height) return findEyewearIn(rgb, rect, mesh, faceSize, options);
  const found = findEyewearIn(cropRgb(rgb, rect.width, part), { x: rect.x + part.x, y: rect.y + part.y, width: part.width, height: part.height }, mesh, faceSize, options);
  const frames = floats(rect.width * rect.height);
  if (found.present) for (let y = 0; y < part.height; y++) frames.set(found.frames.subarray(y * part.width, (y + 1) * part.width), (part.y + y) * rect.width + part.x);
  return { ...found, frames };
}

/**
 * Whether the face of `mesh` (x, y, z per point, picture px) in `image` wears glasses, looked at with the face about
 * `size` px across: only the part where frames run is shrunk to that scale, which is most of the cost.
 */
export function wearsGlasses(image: Raster, mesh: Float32Array, size: number): boolean {
  const { rgb, rect, mesh: local, faceSize } = faceAtWorkSize(image, mesh, size, (face) => framesPart(face, mesh, Math.max(face.width, face.height)));
  return findEyewear(rgb, rect, local, faceSize).present;
}

/** The eyes' centres (picture px), their distance, and the direction from the picture-left one to the other. */
function eyeAxis(mesh: Float32Array) {
  const centre = (poly: readonly number[]) => {
    let x = 0, y = 0;
    for (const i of poly) {
      x += mesh[i * 3] / poly.length;
      y += mesh[i * 3 + 1] / poly.length;
    }
    return [x, y];
  };
  const [lx, ly] = centre(EYE_POLYGON.left);
  const [rx, ry] = centre(EYE_POLYGON.right);
  const span = Math.hypot(rx - lx, ry - ly) || 1;
  return { lx, ly, rx, ry, span, cos: (rx - lx) / span, sin: (ry - ly) / span };
}

/** How far from the eyes' and brows' own lines (in eye distances) a dark line may be a frame. */
const OWN_LINES_MARGIN = 0.06;

/** Around the eyes, in units of their distance from their midpoint along and across the eye line: where frames run. */
const ZONE = { u: 1.1, above: 0.5, below: 0.6 } as const;

/** The rectangle (within `rect`, in its px) of the zone where frames run, padded by the reach of what looks at it. */
function framesPart(rect: Rect, mesh: Float32Array, faceSize: number): Rect {
  const { lx, ly, rx, ry, span, cos, sin } = eyeAxis(mesh);
  const ox = (lx + rx) / 2 - rect.x, oy = (ly + ry) / 2 - rect.y;
  const pad = Math.max(lineRadius(faceSize), span * OWN_LINES_MARGIN) + 2;
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const u of [-ZONE.u, ZONE.u]) {
    for (const v of [-ZONE.above, ZONE.below]) {
      const x = ox + (u * cos - v * sin) * span, y = oy + (u * sin + v * cos) * span;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  const left = Math.max(0, Math.floor(x0 - pad)), top = Math.max(0, Math.floor(y0 - pad));
  const right = Math.min(rect.width, Math.ceil(x1 + pad)), bottom = Math.min(rect.height, Math.ceil(y1 + pad));
  return right > left && bottom > top ? { x: left, y: top, width: right - left, height: bottom - top } : { x: 0, y: 0, width: rect.width, height: rect.height };
}

/** The radius of the closing that finds thin dark lines, px. */
function lineRadius(faceSize: number): number {
  return Math.max(1, Math.round((faceSize * LINE_WIDTH) / 2));
}

/** {@link findEyewear} over the whole of `rect`. */
function findEyewearIn(rgb: Float32Array, rect: Rect, mesh: Float32Array, faceSize: number, { rimsUnderBrows = false, lensEdges = false, known }: EyewearOptions): Eyewear {
  const { width: w, height: h } = rect;
  const n = w * h;
  const luma = lumaOf(rgb);
  const radius = lineRadius(faceSize);
  const closed = minFilter(maxFilter(luma, w, h, radius), w, h, radius);
  const line = floats(n);
  for (let p = 0; p < n; p++) line[p] = closed[p] > 8 ? (closed[p] - luma[p]) / closed[p] : 0;

  // The face's frame: origin between the eye centres, u along the eye line, v down, in units of their distance.
  const axis = eyeAxis(mesh);
  const { span, cos, sin } = axis;
  const [lx, ly, rx, ry] = [axis.lx - rect.x, axis.ly - rect.y, axis.rx - rect.x, axis.ry - rect.y];
  const ox = (lx + rx) / 2, oy = (ly + ry) / 2;

  // Eyes (lashes, lids) and brows are dark lines of their own: never frames. Only the upper half of the mesh's brow
  // counts, as an upper rim often runs along the brow's lower edge.
  const own = floats(n);
  const outlines = [
    rasterizePolygon(mesh, rect, { stride: 3, indices: EYE_POLYGON.left }),
    rasterizePolygon(mesh, rect, { stride: 3, indices: EYE_POLYGON.right }),
    rasterizePolygon(upperBrow(mesh, BROWS.left), rect),
    rasterizePolygon(upperBrow(mesh, BROWS.right), rect),
  ];
  for (const inside of outlines) for (let p = 0; p < n; p++) if (inside[p] > 0.5) own[p] = 1;
  const toOwn = distanceInside(invert(own), w, h);
  const margin = span * OWN_LINES_MARGIN;

  // Around the eyes, where frames run: 1 on the picture-left eye's side of the face's middle, 2 on the other's.
  const zone = bytes(n);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = ((x + 0.5 - ox) * cos + (y + 0.5 - oy) * sin) / span;
      const v = (-(x + 0.5 - ox) * sin + (y + 0.5 - oy) * cos) / span;
      if (Math.abs(u) <= ZONE.u && v >= -ZONE.above && v <= ZONE.below) zone[y * w + x] = u < 0 ? 1 : 2;
    }
  }

  // Evidence along the frame's course: every cross-section through it meets a strong line, at a place that moves
  // smoothly from one section to the next (a frame is one continuous curve; creases and pores are not).
  // A course's cross-sections that lie outside the picture (a face cut by its edge) are no evidence either way.
  const course = (count: number, at: (k: number, t: number) => [number, number], samples: number) => {
    const strength: number[] = [];
    const where: number[] = [];
    for (let k = 0; k < count; k++) {
      let best = 0, bestT = 0, inside = false;
      for (let t = 0; t < samples; t++) {
        const [u, v] = at(k / Math.max(1, count - 1), t / (samples - 1));
        const x = Math.round(ox + (u * cos - v * sin) * span - 0.5);
        const y = Math.round(oy + (u * sin + v * cos) * span - 0.5);
        if (x < 0 || y < 0 || x >= w || y >= h) continue;
        inside = true;
        if (toOwn[y * w + x] > margin && line[y * w + x] > best) {
          best = line[y * w + x];
          bestT = t / (samples - 1);
        }
      }
      if (!inside) continue;
      strength.push(best);
      where.push(bestT);
    }
    let jumps = 0;
    for (let k = 1; k < where.length; k++) jumps += Math.abs(where[k] - where[k - 1]) > 0.12 ? 1 : 0;
    const sorted = [...strength].sort((a, b) => a - b);
    const seen = strength.length / count;
    return { seen, strength: sorted[Math.floor(strength.length * 0.25)] ?? 0, smooth: 1 - jumps / Math.max(1, where.length - 1) };
  };
  const steps = Math.max(8, Math.round(span * 0.6));
  // The bridge over the nose and the rim under each eye; the outer rims run into hair and the face's edge too often.
  const parts = [
    course(12, (k, t) => [-0.12 + 0.24 * k, -0.35 + 0.5 * t], steps),
    ...[-0.5, 0.5].map((side) => course(16, (k, t) => [side - 0.2 + 0.4 * k, 0.12 + 0.4 * t], steps)),
  ];
  const seen = parts.reduce((sum, part) => sum + part.seen, 0);
  const score = seen < MIN_COURSE_SEEN ? 0 : parts.reduce((sum, part) => sum + part.seen * smoothstep(LINE_CONTRAST * 0.8, LINE_CONTRAST * 1.6, part.strength) * part.smooth, 0) / seen;
  const present = known ?? score >= EYEWEAR_SCORE;

  const frames = floats(n);
  if (present) {
    // The frame is one large connected line: grow it from its strong pixels into weaker ones, and drop the small
    // stray pieces (a nostril's shadow, a crease) that the growth also finds.
    const eligible = (p: number) => zone[p] > 0 && toOwn[p] > margin * 0.5 && line[p] > LINE_CONTRAST * 0.75;
    const { label, sizes } = seededRegions(eligible, (p) => line[p] >= LINE_CONTRAST, w, h);
    const largest = Math.max(...sizes);
    const elsewhere = floats(n);
    for (let p = 0; p < n; p++) elsewhere[p] = label[p] && sizes[label[p]] >= largest * 0.1 ? 0 : 1;
    if (rimsUnderBrows) {
      const eyes = floats(n);
      for (const inside of outlines.slice(0, 2)) for (let p = 0; p < n; p++) if (inside[p] > 0.5) eyes[p] = 1;
      const toEyes = distanceInside(invert(eyes), w, h);
      const toFrame = distanceInside(elsewhere, w, h);
      const reach = faceSize * RIM_UNDER_BROW;
      for (let p = 0; p < n; p++) {
        if (zone[p] > 0 && toEyes[p] > margin * 0.5 && toFrame[p] <= reach && line[p] > LINE_CONTRAST * 0.75) elsewhere[p] = 0;
      }
    }
    // Grown over the frame's soft edge and its shadow.
    const away = distanceInside(elsewhere, w, h);
    const [near, far] = [faceSize * FRAME_EDGE[0], faceSize * FRAME_EDGE[1]];
    for (let p = 0; p < n; p++) frames[p] = 1 - smoothstep(near, far, away[p]);
    if (lensEdges) {
      // The skin around the eyes: the zone but for the frames and the eyes' and brows' own lines; all of it, and each
      // eye's side of it apart. An edge is darker than the lower of the two medians: on a face lit from one side, the
      // skin under the shaded eye was darker than the whole zone's median, and taken for a lens's edge (img24: painted
      // over, a flat grey patch under that eye, its lid's crease gone).
      // A side with no such skin goes by the whole zone's.
      const skin: number[][] = [[], [], []];
      for (let p = 0; p < n; p++) {
        if (!(zone[p] && frames[p] < 0.5 && toOwn[p] > margin)) continue;
        skin[0].push(luma[p]);
        skin[zone[p]].push(luma[p]);
      }
      const [whole, ...sides] = skin.map((lumas) => lumas.sort((a, b) => a - b)[lumas.length >> 1]);
      const edges = bytes(n);
      [[lx, ly], [rx, ry]].forEach(([x, y], side) => {
        const dark = LENS_EDGE.darker * Math.min(whole, sides[side] ?? whole);
        // Not the eyes' own lines, nor a thin line as dark as a frame's (a lid's crease, img24): the lens's edge is wide.
        const lensEdge = (p: number) => luma[p] < dark && toOwn[p] > margin * 0.5 && line[p] <= LINE_CONTRAST * 0.75;
        findLensEdge(edges, frames, w, h, x, y, span, faceSize * LENS_EDGE.depth, lensEdge);
      });
      for (let p = 0; p < n; p++) if (edges[p]) frames[p] = 1;
    }
  }
  return { score, present, frames };
}

/** Rays cast from an eye's centre to find its lens's frame. */
const LENS_RAYS = 360;

/**
 * Marks in `edges` (per pixel, w x h) the pixels of the lens around the eye centred at (`cx`, `cy`) that lie within
 * `depth` px of its frame (`frames`) and are its dark edge (`isEdge`): a thick lens's edge, seen through the lens as a
 * dark band along the rim, to be painted over with the frame (img25: a dark blot by each eye's inner corner, a grey
 * band under the brows). Inside the lens means on the eye's side of the frame, along the ray from the eye's centre; a
 * ray that meets no frame within 0.8 eye distances (`span`) has no lens there.
 */
function findLensEdge(edges: Uint8Array, frames: Float32Array, w: number, h: number, cx: number, cy: number, span: number, depth: number, isEdge: (p: number) => boolean): void {
  const maxR = span * 0.8;
  const toFrame = floats(LENS_RAYS).fill(Infinity);
  for (let a = 0; a < LENS_RAYS; a++) {
    const [dx, dy] = [Math.cos((a / LENS_RAYS) * 2 * Math.PI), Math.sin((a / LENS_RAYS) * 2 * Math.PI)];
    for (let r = span * 0.1; r < maxR; r += 0.5) {
      const x = Math.round(cx + r * dx - 0.5), y = Math.round(cy + r * dy - 0.5);
      if (x < 0 || y < 0 || x >= w || y >= h) break;
      if (frames[y * w + x] >= 0.5) {
        toFrame[a] = r;
        break;
      }
    }
  }
  const [x0, x1] = [Math.max(0, Math.floor(cx - maxR)), Math.min(w - 1, Math.ceil(cx + maxR))];
  const [y0, y1] = [Math.max(0, Math.floor(cy - maxR)), Math.min(h - 1, Math.ceil(cy + maxR))];
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const [dx, dy] = [x + 0.5 - cx, y + 0.5 - cy];
      const r = Math.hypot(dx, dy);
      const ray = toFrame[(Math.round((Math.atan2(dy, dx) / (2 * Math.PI)) * LENS_RAYS) + LENS_RAYS) % LENS_RAYS];
      const p = y * w + x;
      if (r < ray && ray - r < depth && isEdge(p)) edges[p] = 1;
    }
  }
}

/** The upper half of a brow as a polygon (x, y pairs): its upper edge, then back along the middle of the brow. */
function upperBrow(mesh: Float32Array, brow: readonly number[]): number[] {
  const upper = brow.slice(0, 5);
  const lower = brow.slice(5, 10).reverse();
  const points: number[] = [];
  for (const i of upper) points.push(mesh[i * 3], mesh[i * 3 + 1]);
  for (let k = 4; k >= 0; k--) points.push((mesh[upper[k] * 3] + mesh[lower[k] * 3]) / 2, (mesh[upper[k] * 3 + 1] + mesh[lower[k] * 3 + 1]) / 2);
  return points;
}

function invert(mask: Float32Array): Float32Array {
  const out = floats(mask.length);
  for (let p = 0; p < mask.length; p++) out[p] = 1 - mask[p];
  return out;
}

/** Running maximum over a (2r+1) square, separable, edges clamped. */
function maxFilter(plane: Float32Array, w: number, h: number, r: number): Float32Array {
  return runningExtreme(runningExtreme(plane, w, h, r, true, true), w, h, r, true, false);
}

/** Running minimum over a (2r+1) square, separable, edges clamped. */
function minFilter(plane: Float32Array, w: number, h: number, r: number): Float32Array {
  return runningExtreme(runningExtreme(plane, w, h, r, false, true), w, h, r, false, false);
}

// One pass of a sliding-window max (or min) along rows or columns, with a monotonic deque: O(1) per pixel.
function runningExtreme(src: Float32Array, w: number, h: number, r: number, max: boolean, rows: boolean): Float32Array {
  const out = floats(w * h);
  const len = rows ? w : h;
  const lines = rows ? h : w;
  const step = rows ? 1 : w;
  const queue = int32s(len);
  for (let l = 0; l < lines; l++) {
    const base = rows ? l * w : l;
    let head = 0, tail = 0;
    let next = 0;
    for (let i = 0; i < len; i++) {
      // Admit everything up to i + r.
      for (; next <= Math.min(len - 1, i + r); next++) {
        const v = src[base + next * step];
        while (tail > head && (max ? src[base + queue[tail - 1] * step] <= v : src[base + queue[tail - 1] * step] >= v)) tail--;
        queue[tail++] = next;
      }
      while (queue[head] < i - r) head++;
      out[base + i * step] = src[base + queue[head] * step];
    }
  }
  return out;
}


