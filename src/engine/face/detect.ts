/**
 * Face detection with BlazeFace (256×256 input) on pictures of any size.
 *
 * Strategy: multi-scale tiling over an image pyramid, merged by weighted non-maximum suppression.
 *  - Level 0 is the whole picture letterboxed (never stretched) into one square window. BlazeFace finds faces
 *    down to about 12 px of its input there, i.e. faces of about 5 % of the picture's long side.
 *  - Each further level halves the window side and covers the picture with square tiles overlapping by 25 %,
 *    so each level reaches faces half as small (about 2.3 % and 1.2 % of the long side for the default two
 *    levels: 45 px in a 4K picture). A face touching a tile's inner edge is left to the neighbouring tile, and
 *    one larger than half a tile to the coarser level, which sees it whole. The second level runs only where
 *    its tiles are at least 512 px (4K: yes, 1080p: no, as 45 px faces are already found at the first).
 *  - Windows are resampled from the pyramid halving nearest their scale, so a window costs the same at any
 *    picture size: 7 windows for 1080p (1 + 6), 22 for 4K (1 + 6 + 15).
 *  - Rotation: measured on photos turned by -90…90° in 15° steps, this BlazeFace finds every face without
 *    help, and the mesh stage levels each face by its eye line; extra whole-picture windows turned by
 *    `rotations` remain available but are off by default.
 *  - A detection lying mostly inside a bigger, more confident one (a tile seeing an eye or a forehead as a
 *    face) is dropped; `analyzeFaces` checks the rest against the mesh.
 */
import type { InferenceBackend } from '../inference.ts';
import type { Raster } from '../image/raster.ts';
import { affineScale, applyAffine, cropAffine, invertAffine, type Affine } from './affine.ts';
import { decodeBlazeFace, DETECTOR_SIZE, KEYPOINTS, runBlazeFace, type Candidate } from './blazeface.ts';
import { buildPyramid, pickLevel, type Pyramid } from './pyramid.ts';

/** An axis-aligned rectangle in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One detected face. */
export interface Detection {
  /** The detector's face box (brows to chin), axis-aligned in the upright frame of the face, image px. */
  box: Box;
  /** Detector confidence, 0…1. */
  score: number;
  /**
   * 6 keypoints as flat [x, y] pairs in image px: image-left eye, image-right eye, nose tip, mouth centre,
   * image-left ear, image-right ear (for an upright face).
   */
  keypoints: Float32Array;
  /** Head roll from the eye line in radians, clockwise on screen (y down). */
  angle: number;
}

/** Tuning for {@link detectFaces}. */
export interface DetectOptions {
  /** Keep detections at least this confident; default 0.5. */
  minScore?: number;
  /** Merge detections overlapping more than this (intersection over union); default 0.3. */
  iouThreshold?: number;
  /** Extra pyramid levels of tiles after the whole-picture window; default 2 (windows of ½ and ¼ the side). */
  tileLevels?: number;
  /**
   * Smallest tile side in image pixels for levels beyond the first; default 512. The first tile level runs
   * whenever its tiles are at least 256 px (small pictures with faces cut by the frame gain from it).
   */
  minTile?: number;
  /** Overlap of neighbouring tiles as a fraction of the tile side; default 0.25. */
  overlap?: number;
  /** Roll angles in degrees for extra whole-picture windows; default none. */
  rotations?: readonly number[];
}

/** A square detector window: the map from image px to the model input, and which of its edges are inner. */
export interface Window {
  toInput: Affine;
  /** Image-space rectangle for axis-aligned tiles; null for whole-picture windows (no inner edges). */
  tile: { x0: number; y0: number; x1: number; y1: number; inner: [boolean, boolean, boolean, boolean] } | null;
}

/** The windows {@link detectFaces} runs, in order: whole picture (upright, then any rotated), then tile levels. */
export function planWindows(width: number, height: number, options: DetectOptions = {}): Window[] {
  const size = DETECTOR_SIZE;
  const long = Math.max(width, height);
  const windows: Window[] = [{ toInput: cropAffine(width / 2, height / 2, long, 0, size), tile: null }];
  for (const deg of options.rotations ?? []) {
    windows.push({ toInput: cropAffine(width / 2, height / 2, long, (deg * Math.PI) / 180, size), tile: null });
  }
  const levels = options.tileLevels ?? 2;
  const minTile = options.minTile ?? 512;
  const stride = 1 - (options.overlap ?? 0.25);
  for (let level = 1; level <= levels; level++) {
    const t = long / 2 ** level;
    if (t < (level === 1 ? 256 : minTile)) break;
    const xs = tileStarts(width, t, stride);
    const ys = tileStarts(height, t, stride);
    for (const y0 of ys) {
      for (const x0 of xs) {
        const x1 = x0 + t;
        const y1 = y0 + t;
        windows.push({
          toInput: cropAffine((x0 + x1) / 2, (y0 + y1) / 2, t, 0, size),
          tile: { x0, y0, x1, y1, inner: [x0 > 0.5, y0 > 0.5, x1 < width - 0.5, y1 < height - 0.5] },
        });
      }
    }
  }
  return windows;
}

/** Tile starts along one axis: tiles of side t at most `stride`·t apart, the first at 0, the last at the end. */
function tileStarts(extent: number, t: number, stride: number): number[] {
  if (extent <= t) return [(extent - t) / 2];
  const n = Math.ceil((extent - t) / (t * stride)) + 1;
  const step = (extent - t) / (n - 1);
  return Array.from({ length: n }, (_, i) => i * step);
}

/** Maps a window's candidate to image space, or null when it touches an inner tile edge. */
function toDetection(c: Candidate, win: Window): Detection | null {
  const back = invertAffine(win.toInput);
  const scale = 1 / affineScale(win.toInput);
  const [cx, cy] = applyAffine(back, c.cx, c.cy);
  const w = c.w * scale;
  const h = c.h * scale;
  if (win.tile) {
    const t = win.tile;
    const margin = 0.02 * (t.x1 - t.x0);
    const [l, tp, r, b] = t.inner;
    if ((l && cx - w / 2 < t.x0 + margin) || (tp && cy - h / 2 < t.y0 + margin)) return null;
    if ((r && cx + w / 2 > t.x1 - margin) || (b && cy + h / 2 > t.y1 - margin)) return null;
    // Faces over half the tile belong to the coarser level, which sees them whole.
    if (Math.max(w, h) > 0.5 * (t.x1 - t.x0)) return null;
  }
  const keypoints = new Float32Array(KEYPOINTS * 2);
  for (let k = 0; k < KEYPOINTS; k++) {
    const [x, y] = applyAffine(back, c.kp[2 * k], c.kp[2 * k + 1]);
    keypoints[2 * k] = x;
    keypoints[2 * k + 1] = y;
  }
  const angle = Math.atan2(keypoints[3] - keypoints[1], keypoints[2] - keypoints[0]);
  return { box: { x: cx - w / 2, y: cy - h / 2, width: w, height: h }, score: c.score, keypoints, angle };
}

/** Intersection over union of two boxes. */
export function iou(a: Box, b: Box): number {
  const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** The share of the smaller box's area that lies inside the other box. */
export function containment(a: Box, b: Box): number {
  const ix = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const iy = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (ix <= 0 || iy <= 0) return 0;
  return (ix * iy) / Math.min(a.width * a.height, b.width * b.height);
}

/**
 * Weighted non-maximum suppression: each cluster of detections overlapping the best one by more than
 * `threshold` IoU becomes one detection, its box and keypoints the score-weighted mean, its score the best.
 * Then drops detections lying mostly inside a bigger, more confident one.
 */
export function mergeDetections(detections: Detection[], threshold: number): Detection[] {
  const rest = [...detections].sort((a, b) => b.score - a.score);
  const out: Detection[] = [];
  while (rest.length) {
    const best = rest[0];
    const cluster = rest.filter((d) => iou(best.box, d.box) > threshold);
    for (const d of cluster) rest.splice(rest.indexOf(d), 1);
    let total = 0;
    const box = { x: 0, y: 0, width: 0, height: 0 };
    const keypoints = new Float32Array(KEYPOINTS * 2);
    let ex = 0;
    let ey = 0;
    for (const d of cluster) {
      total += d.score;
      box.x += d.box.x * d.score;
      box.y += d.box.y * d.score;
      box.width += d.box.width * d.score;
      box.height += d.box.height * d.score;
      for (let k = 0; k < keypoints.length; k++) keypoints[k] += d.keypoints[k] * d.score;
      ex += Math.cos(d.angle) * d.score;
      ey += Math.sin(d.angle) * d.score;
    }
    box.x /= total;
    box.y /= total;
    box.width /= total;
    box.height /= total;
    for (let k = 0; k < keypoints.length; k++) keypoints[k] /= total;
    out.push({ box, score: best.score, keypoints, angle: Math.atan2(ey, ex) });
  }
  // A box mostly inside a larger, more confident one is a part of that face (an eye, a cheek) seen by a tile.
  return out.filter((d) => !out.some((o) => o !== d && o.score > d.score && o.box.width > d.box.width && containment(o.box, d.box) > CONTAINED));
}

/** Share of a detection's box inside a bigger, better one above which it is dropped. */
const CONTAINED = 0.6;

/** Window side relative to the face box for {@link confirmDetection}. */
const CONFIRM_SCALE = 2;

/**
 * A second opinion on one detection: the detector's best score for a face near the centre of a window
 * centred on the detection, levelled by its roll, with the face filling about half of it (0 when none).
 */
export async function confirmDetection(backend: InferenceBackend, pyramid: Pyramid, d: Detection): Promise<number> {
  const size = DETECTOR_SIZE;
  const side = Math.max(d.box.width, d.box.height);
  const toInput = cropAffine(d.box.x + d.box.width / 2, d.box.y + d.box.height / 2, side * CONFIRM_SCALE, d.angle, size);
  const level = pickLevel(pyramid, toInput, affineScale(toInput), Math.SQRT2);
  const [table] = await runBlazeFace(backend, [{ image: level.image, toInput: level.toOutput }]);
  const reach = (0.25 * size) / CONFIRM_SCALE;
  let best = 0;
  for (const c of decodeBlazeFace(table, 0.05)) {
    if (Math.hypot(c.cx - size / 2, c.cy - size / 2) < reach && c.score > best) best = c.score;
  }
  return best;
}

/**
 * Finds faces in `image` (see the module comment for the strategy). Returns them best first; `pyramid`
 * may be passed when the caller already built one for this image.
 */
export async function detectFaces(
  backend: InferenceBackend,
  image: Raster,
  options: DetectOptions = {},
  pyramid: Pyramid = buildPyramid(image),
): Promise<Detection[]> {
  const minScore = options.minScore ?? 0.5;
  const windows = planWindows(image.width, image.height, options);
  const tables = await runBlazeFace(
    backend,
    windows.map((win) => {
      const level = pickLevel(pyramid, win.toInput, affineScale(win.toInput), Math.SQRT2);
      return { image: level.image, toInput: level.toOutput };
    }),
  );
  const found: Detection[] = [];
  windows.forEach((win, i) => {
    for (const c of decodeBlazeFace(tables[i], minScore)) {
      const d = toDetection(c, win);
      if (d) found.push(d);
    }
  });
  return mergeDetections(found, options.iouThreshold ?? 0.3);
}
