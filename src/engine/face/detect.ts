/**
 * Face detection with BlazeFace on pictures of any size.
 *
 * Strategy: the whole picture at a few scales, one detector run per scale, merged by weighted non-maximum
 * suppression. The converted BlazeFace is fully convolutional (tools/tfjs-onnx `dynamicSpatial`) and takes any
 * input whose sides are multiples of 32 px, so one run covers a whole scale for less than overlapping 256 px
 * tiles of it cost (onnxruntime-web WASM: one 512×288 run 28 ms, its 6 tiles 78 ms).
 *  - Level 0 is the whole picture letterboxed (never stretched) into the detector's native 256×256 window.
 *    BlazeFace finds faces down to about 12 px of its input there, i.e. faces of about 5 % of the long side.
 *    It is the only view of the largest faces; moving the picture inside it moves their boxes by about 1 %
 *    (the anchor grid's phase), and the mesh landmarks with them, so it stays as it was.
 *  - Level k ≥ 1 scales the long side to 256·2^k px, in an input with a black border of 16 to 32 px each side
 *    (see {@link levelWindow}), so each level reaches faces half as small (about 2.3 % and 1.2 % of the long side
 *    for the default two levels: 45 px in a 4K picture). A face there over 128 input px (level 1) or 64 (level 2)
 *    is dropped, as the coarser level sees it whole: level 2 adds only faces under 24 px of its input (12 px of
 *    level 1's), and its larger finds were parts of big faces (5 on a 4K couple photo, each costing a mesh
 *    check); level 1 keeps the wider range for faces cut by the frame, which level 0 misses. Level 1 runs unless it
 *    would enlarge the picture more than twice (below 512 px, enlarged: a small picture's face cut by its frame is
 *    found there, not at level 0 alone), level 2 only while it still shrinks it by 2 or more (4K: yes, 1080p: no, as
 *    45 px faces are already found at level 1).
 *  - Levels are resampled from the pyramid halving nearest their scale, so they cost the same at any picture
 *    size: 2 runs for 1080p (256×256 and 544×320 px), 3 for 4K (and 1056×608).
 *  - Rotation: measured on photos turned by -90…90° in 15° steps, this BlazeFace finds every face without
 *    help, and the mesh stage levels each face by its eye line; extra whole-picture windows turned by
 *    `rotations` remain available but are off by default. Detections of one place are merged only when their
 *    rolls agree, so a face on its side seen upright by a finer level stays apart for the mesh to turn down. A face
 *    upside down is read as upright: `analyzeFaces` looks at the whole picture upside down too when no face is
 *    sure ({@link UPRIGHT_SURE}); surer so than as it is, the picture is analysed turned back, and otherwise, of
 *    two opposite readings of one place the surer one stays.
 *  - A detection lying mostly inside a bigger, more confident one (a finer level seeing an eye or a forehead as
 *    a face) is dropped; `analyzeFaces` checks the rest against the mesh.
 */
import type { BufferPool } from '../image/buffer-pool.ts';
import type { InferenceBackend } from '../inference.ts';
import type { Raster } from '../image/raster.ts';
import { affineScale, angleBetween, applyAffine, cropAffine, invertAffine, type Affine, type Beyond } from './affine.ts';
import { decodeBlazeFace, DETECTOR_SIZE, DETECTOR_STEP, KEYPOINTS, runBlazeFace, type Candidate } from './blazeface.ts';
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
  /** Finer levels after the whole picture at 256 px; default 2 (long side at 512 and 1024 px). */
  levels?: number;
  /**
   * Levels k ≥ 2 run only while the picture's long side / 2^k is at least this many px (the picture px that 256
   * input px cover); default 512. Level 1 runs whenever that is at least 128 px (small pictures with faces cut
   * by the frame gain from it).
   */
  minSpan?: number;
  /** Roll angles in degrees for extra whole-picture windows; default none. */
  rotations?: readonly number[];
}

/** One detector run: `toInput` maps image px onto its width × height input (multiples of 32). */
export interface Window {
  toInput: Affine;
  width: number;
  height: number;
  /** Larger detections (input px) are dropped: the coarser level sees those faces whole. */
  maxFace: number;
}

/** The runs {@link detectFaces} makes, in order: whole picture (upright, then any rotated), then finer levels. */
export function planWindows(width: number, height: number, options: DetectOptions = {}): Window[] {
  const size = DETECTOR_SIZE;
  const long = Math.max(width, height);
  const windows = [0, ...(options.rotations ?? [])].map((deg): Window => {
    const toInput = cropAffine(width / 2, height / 2, long, (deg * Math.PI) / 180, size);
    return { toInput, width: size, height: size, maxFace: Infinity };
  });
  const levels = options.levels ?? 2;
  const minSpan = options.minSpan ?? 512;
  for (let level = 1; level <= levels; level++) {
    const span = long / 2 ** level;
    if (span < (level === 1 ? size / 2 : minSpan)) break;
    windows.push(levelWindow(width, height, size / span, level === 1 ? size / 2 : size / 4));
  }
  return windows;
}

/** Black border around the picture in a finer level's input, at least (input px; see {@link levelWindow}). */
const LEVEL_MARGIN = 16;

/**
 * The whole picture scaled by `scale`, centred in an input padded by at least {@link LEVEL_MARGIN} each side up to
 * multiples of {@link DETECTOR_STEP}. Without the border, the picture's edge falls on the model's zero padding
 * and the keypoints of faces cut by the frame drift from the mesh (selfie-many-people.jpg's top-right face).
 * Detections larger than `maxFace` input px are left to the coarser levels.
 */
function levelWindow(width: number, height: number, scale: number, maxFace: number): Window {
  // The tolerance keeps a side of exactly 256·2^k from rounding up a step.
  const padded = (side: number) => Math.ceil((side + 2 * LEVEL_MARGIN) / DETECTOR_STEP - 1e-6) * DETECTOR_STEP;
  const w = padded(width * scale);
  const h = padded(height * scale);
  const toInput: Affine = [scale, 0, (w - width * scale) / 2, 0, scale, (h - height * scale) / 2];
  return { toInput, width: w, height: h, maxFace };
}

/** Maps a window's candidate to image space, or null when it is too large for the window's level. */
function toDetection(c: Candidate, win: Window): Detection | null {
  if (Math.max(c.w, c.h) > win.maxFace) return null;
  const back = invertAffine(win.toInput);
  const scale = 1 / affineScale(win.toInput);
  const [cx, cy] = applyAffine(back, c.cx, c.cy);
  const w = c.w * scale;
  const h = c.h * scale;
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
    const cluster = rest.filter((d) => iou(best.box, d.box) > threshold && alike(best, d));
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
  return out.filter(
    (d) =>
      !out.some(
        (o) =>
          o !== d &&
          o.score > d.score &&
          // A box mostly inside a larger, more confident one is a part of that face (an eye, a cheek) seen at a finer level.
          ((o.box.width > d.box.width && alike(o, d) && containment(o.box, d.box) > CONTAINED) ||
            // The same face read the other way up: the detector is surer of the way it is (see UPRIGHT_SURE).
            (opposite(o, d) && iou(o.box, d.box) > threshold)),
      ),
  );
}

/**
 * Detections of one face agree on its roll. One turned far from another is the same place seen another way up (a
 * face on its side, seen upright by a finer level): averaged, the two gave a roll the mesh fits to neither.
 */
const SAME_ROLL = Math.PI / 4;

const rollBetween = (a: Detection, b: Detection) => Math.abs(angleBetween(a.angle, b.angle));
const alike = (a: Detection, b: Detection) => rollBetween(a, b) <= SAME_ROLL;
const opposite = (a: Detection, b: Detection) => rollBetween(a, b) > Math.PI - SAME_ROLL;

/**
 * A face upside down is seen by the detector as upright, with its eye line level, but less surely: when no face of
 * the whole picture scores this much, the picture is looked at upside down too ({@link upsideDownWindow}). Over the
 * 61 single-face test photos, the best face of the whole picture scored 0.79-0.98 upright and 0.40-0.84 turned over:
 * every photo turned over takes that look, and 13 upright ones.
 */
export const UPRIGHT_SURE = 0.9;
/**
 * The least score of a face read upside down that is kept. A face turned over reads 0.82 or more; below, the look
 * found only parts of upright faces (img1's forehead and cheek: a mesh and a second look each).
 */
export const UPSIDE_DOWN_SURE = 0.6;

/**
 * The whole picture turned upside down, at half the detector's native size: a quarter of a run's cost, and it tells
 * the ways up apart as well. On the test photos (upright, then turned over) its best face scored 0.00-0.76, then
 * 0.82-0.96, against 0.79-0.98, then 0.40-0.84, for the whole picture upright at 256 px.
 */
export function upsideDownWindow(width: number, height: number): Window {
  const size = DETECTOR_SIZE / 2;
  return { toInput: cropAffine(width / 2, height / 2, Math.max(width, height), Math.PI, size), width: size, height: size, maxFace: Infinity };
}

/** Share of a detection's box inside a bigger, better one above which it is dropped. */
const CONTAINED = 0.6;

/**
 * Whether a detection's box reaches past the edges of a width × height picture: a face cut by the frame. Its hidden
 * keypoints are the detector's guesses, and a second look at it with black beyond the edge finds half a face
 * (selfie-many-people.jpg's bottom-left woman, cut near her nose: 0.48); with the picture mirrored there, a whole one
 * (0.79).
 */
export function cutByFrame(d: Detection, width: number, height: number): boolean {
  return d.box.x < 0 || d.box.y < 0 || d.box.x + d.box.width > width || d.box.y + d.box.height > height;
}

/** Window side relative to the face box for {@link confirmDetection}. */
const CONFIRM_SCALE = 2;

/**
 * A second opinion on one detection: the detector's best score for a face near the centre of a window
 * centred on the detection, levelled by its roll, with the face filling about half of it (0 when none). `beyond`: what
 * the window shows past the picture's edges, black or the picture mirrored (see {@link cutByFrame}).
 */
export async function confirmDetection(backend: InferenceBackend, pyramid: Pyramid, d: Detection, beyond: Beyond = 'zero'): Promise<number> {
  const size = DETECTOR_SIZE;
  const side = Math.max(d.box.width, d.box.height);
  const toInput = cropAffine(d.box.x + d.box.width / 2, d.box.y + d.box.height / 2, side * CONFIRM_SCALE, d.angle, size);
  const level = pickLevel(pyramid, toInput, affineScale(toInput), Math.SQRT2);
  const [table] = await runBlazeFace(backend, [{ image: level.image, toInput: level.toOutput, width: size, height: size, border: beyond }]);
  const reach = (0.25 * size) / CONFIRM_SCALE;
  let best = 0;
  for (const c of decodeBlazeFace(table, size, size, 0.05)) {
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
  const found = await detectInWindows(backend, planWindows(image.width, image.height, options), pyramid, options.minScore ?? 0.5);
  return mergeDetections(found, options.iouThreshold ?? DEFAULT_IOU);
}

/** The merge threshold of {@link detectFaces} (intersection over union). */
export const DEFAULT_IOU = 0.3;

/** The detections of some of {@link planWindows}'s windows on the picture of `pyramid`, in image px, not yet merged. */
export async function detectInWindows(
  backend: InferenceBackend,
  windows: readonly Window[],
  pyramid: Pyramid,
  minScore: number,
  buffers?: BufferPool<ArrayBuffer>,
): Promise<Detection[]> {
  const tables = await runBlazeFace(
    backend,
    windows.map((win) => {
      const level = pickLevel(pyramid, win.toInput, affineScale(win.toInput), Math.SQRT2);
      return { image: level.image, toInput: level.toOutput, width: win.width, height: win.height };
    }),
    buffers,
  );
  const found: Detection[] = [];
  windows.forEach((win, i) => {
    for (const c of decodeBlazeFace(tables[i], win.width, win.height, minScore)) {
      const d = toDetection(c, win);
      if (d) found.push(d);
    }
  });
  return found;
}
