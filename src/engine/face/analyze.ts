/**
 * Face analysis for one picture: detect, mesh (with iris), 5 landmarks, identity embedding.
 *
 * Every detection is checked before it counts as a face: the mesh model's face flag must pass, and the
 * detector's eye, nose and mouth keypoints must agree with the mesh; where they do not (faces cut by the
 * frame, lettering or a forehead taken for a face), a second detector look at the face, centred and
 * levelled, decides. Meshes of one face found twice are merged.
 */
import { FaceSwapError, type ImageRole } from '../errors.ts';
import type { InferenceBackend } from '../inference.ts';
import type { BufferPool } from '../image/buffer-pool.ts';
import { rasterWords, type Raster } from '../image/raster.ts';
import { affineScale, angleBetween } from './affine.ts';
import { confirmDetection, containment, cutByFrame, DEFAULT_IOU, detectInWindows, iou, mergeDetections, planWindows, UPRIGHT_SURE, UPSIDE_DOWN_SURE, upsideDownWindow, type Box, type Detection, type DetectOptions } from './detect.ts';
import { DEFAULT_EMBEDDER, embedFace, type Embedder } from './embed.ts';
import { estimateIris } from './iris.ts';
import { landmarks5, MESH_POINTS } from './landmarks.ts';
import { detectorDisagreement, meshForDetection, meshRoll } from './mesh.ts';
import { buildPyramid, releasePyramid, type Pyramid } from './pyramid.ts';

/** One analysed face. All coordinates are image pixels. */
export interface Face {
  /** Position in THE face order (see {@link orderFaces}): the `face_index` users pick by. */
  index: number;
  /** Axis-aligned bounds of the mesh points. */
  box: Box;
  /** Detector confidence, 0…1. */
  score: number;
  /** The mesh model's face flag, 0…1. */
  meshScore: number;
  /** 468 × (x, y, z); z is depth (towards the camera negative) on the same scale as x and y. */
  mesh: Float32Array;
  /** Iris centre and 4 rim points per eye, image-left eye first: 10 × (x, y, z); absent when disabled. */
  iris?: Float32Array;
  /** Image-left eye, image-right eye, nose tip, image-left and image-right mouth corner as [x, y] pairs. */
  landmarks5: Float32Array;
  /** L2-normalised identity descriptor; compare with `cosineSimilarity`. */
  embedding: Float32Array;
  /** Head roll from the eye line, degrees, clockwise on screen. */
  rollDegrees: number;
}

/** Tuning for {@link analyzeFaces}. */
export interface AnalyzeOptions {
  /** Detector settings; the default minimum score is lowered to 0.3 because the mesh re-checks every face. */
  detect?: DetectOptions;
  /** Faces whose mesh face flag is below this are dropped; default 0.5. */
  minMeshScore?: number;
  /** Faces whose detector keypoints disagree with the mesh by more than this need a confirmation; default 0.13. */
  maxDisagreement?: number;
  /** The confirmation score (see `confirmDetection`) that admits them anyway; default 0.7. */
  minConfirmation?: number;
  /** Mesh passes after the first, each re-cropping from the previous mesh; default 1. */
  meshRefinements?: number;
  /** Compute iris points (and use iris centres as eye centres); default true. */
  iris?: boolean;
  /** The identity model; default {@link DEFAULT_EMBEDDER}. */
  embedder?: Embedder;
  /**
   * Only the largest face is wanted (a swap's source with no face picked): when the whole picture shows a face
   * clearly larger than any the finer detector levels can report, they are not run and only that face is meshed.
   */
  largestOnly?: boolean;
  /** Skip embeddings (the `embedding` is then empty). */
  skipEmbedding?: boolean;
  /** Cancels between model runs with FaceSwapError('CANCELLED'). */
  signal?: AbortSignal;
  /** Receives milliseconds spent per stage ('pyramid', 'detect', 'mesh', 'iris', 'embed'). */
  timings?: Record<string, number>;
  /**
   * Buffers kept from one analysis to the next for its largest intermediates (the pyramid's halvings, the detector's
   * inputs), which are otherwise new memory every time (see BufferPool); all are given back by the time it returns.
   */
  buffers?: BufferPool<ArrayBuffer>;
}

/** How much larger than the finer levels' largest a face must be to be surely the largest (meshes outgrow boxes). */
const CLEARLY_LARGEST = 1.25;
const side = (d: Detection) => Math.max(d.box.width, d.box.height);

/** Same face seen twice (different windows or detections whose meshes converged). */
const DUPLICATE_IOU = 0.5;
const DUPLICATE_CONTAINED = 0.5;

/**
 * THE face order, used for `face_index`: by box centre left to right; faces whose centres share a column
 * (within 1 px) top to bottom. Sorts in place and renumbers `index`.
 */
export function orderFaces<T extends { box: Box; index: number }>(faces: T[]): T[] {
  const cx = (f: T) => f.box.x + f.box.width / 2;
  const cy = (f: T) => f.box.y + f.box.height / 2;
  faces.sort((a, b) => (Math.abs(cx(a) - cx(b)) > 1 ? cx(a) - cx(b) : cy(a) - cy(b)));
  faces.forEach((f, i) => (f.index = i));
  return faces;
}

/** Axis-aligned bounds of the first 468 points of a mesh. */
export function meshBounds(mesh: Float32Array): Box {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i < MESH_POINTS; i++) {
    const x = mesh[i * 3], y = mesh[i * 3 + 1];
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * Finds and analyses every face in `image`, in THE face order ({@link orderFaces}).
 * Throws FaceSwapError('NO_FACE_DETECTED', …, role) when there is none.
 */
export async function analyzeFaces(
  backend: InferenceBackend,
  image: Raster,
  role: ImageRole,
  options: AnalyzeOptions = {},
): Promise<Face[]> {
  return analyse(backend, image, role, options, 'any');
}

/**
 * {@link analyzeFaces}; `mayBeTurned`: which way the picture may still be turned: upside down or on its side (as it
 * came), on its side (turned over already), neither (turned upright already).
 */
async function analyse(backend: InferenceBackend, image: Raster, role: ImageRole, options: AnalyzeOptions, mayBeTurned: 'any' | 'sideways' | 'none'): Promise<Face[]> {
  const timings = options.timings ?? {};
  const lap = (stage: string, since: number) => {
    if (options.signal?.aborted) throw new FaceSwapError('CANCELLED', 'The analysis was cancelled.', role);
    const now = performance.now();
    timings[stage] = (timings[stage] ?? 0) + now - since;
    return now;
  };
  let t = performance.now();
  const pyramid = buildPyramid(image, undefined, options.buffers);
  let released = false;
  const releasePyramidOnce = () => {
    if (options.buffers && !released) releasePyramid(pyramid, options.buffers);
    released = true;
  };
  try {
    t = lap('pyramid', t);
    const detectOptions: DetectOptions = { minScore: 0.3, ...options.detect };
    const minScore = detectOptions.minScore ?? 0.3;
    const iouThreshold = detectOptions.iouThreshold ?? DEFAULT_IOU;
    const windows = planWindows(image.width, image.height, detectOptions);
    const finer = windows.filter((win) => Number.isFinite(win.maxFace));
    const whole = windows.filter((win) => !finer.includes(win));
    // The whole picture first: for the largest face only, the finer levels are skipped when it shows a face clearly
    // larger than any of theirs (they drop larger ones as the whole picture's).
    const found = await detectInWindows(backend, whole, pyramid, minScore, options.buffers);
    // No face sure to be the way up it is read: it may be upside down.
    if (mayBeTurned === 'any' && !found.some((d) => d.score >= UPRIGHT_SURE)) {
      const turned = await detectInWindows(backend, [upsideDownWindow(image.width, image.height)], pyramid, Math.max(minScore, UPSIDE_DOWN_SURE), options.buffers);
      // Surer turned over than as it is: the whole picture is upside down (a phone held so), its small faces too, which
      // the finer levels would read upright. It is analysed turned back.
      const best = (detections: Detection[]) => Math.max(0, ...detections.map((d) => d.score));
      if (best(turned) > best(found)) {
        // The picture's own pyramid goes back first: the turned copy's takes its buffers, rather than two at once.
        releasePyramidOnce();
        const turnedOver = await analyse(backend, turnedCopy(image, 2), role, options, 'sideways').catch(noFaces);
        if (turnedOver.length) return turnedBack(turnedOver, image, 2);
        // No face there after all: a face the picture's bottom edge cuts below its eyes reads surer upside down (0.61-0.72
        // against 0.40-0.48 as it is, on test photos cut so), but only as it is does the mesh confirm it.
        return analyse(backend, image, role, options, 'sideways');
      }
      found.push(...turned);
    }
    let faces: Face[] = [];
    if (options.largestOnly) {
      const largest = mergeDetections(found, iouThreshold).reduce<Detection | null>((best, d) => (!best || side(d) > side(best) ? d : best), null);
      const finest = Math.max(0, ...finer.map((win) => win.maxFace / affineScale(win.toInput)));
      if (largest && side(largest) >= CLEARLY_LARGEST * finest) {
        t = lap('detect', t);
        faces = await meshFaces(backend, pyramid, [largest], options);
      }
    }
    // Every face, unless the shortcut found the largest (a face it tried that the mesh turned down: still all of them).
    if (!faces.length) {
      found.push(...(await detectInWindows(backend, finer, pyramid, minScore, options.buffers)));
      t = lap('detect', t);
      faces = await meshFaces(backend, pyramid, mergeDetections(found, iouThreshold), options);
    }
    faces = withoutOddRolls(faces);
    t = lap('mesh', t);
    if (!faces.length) {
      // Faces are found at any roll on the test photos, but a small face upside down in a picture the right way up is
      // read as upright only, and the mesh turns that reading down.
      throw new FaceSwapError('NO_FACE_DETECTED', `No face found in the ${role} image. If the photo is turned, turn it upright first.`, role);
    }
    // A picture on its side: its faces are found at any roll, but the small ones only by the finer levels, which read
    // them upright (on selfie-many-people.jpg on its side, 4 of 6). It is analysed turned upright too, and that
    // analysis (irises done) is taken unless it finds fewer faces; the picture's own pyramid is kept for that case.
    const quarterTurns = mayBeTurned !== 'none' && !options.largestOnly ? turnsUpright(faces) : 0;
    if (quarterTurns) {
      const upright = await analyse(backend, turnedCopy(image, quarterTurns), role, options, 'none').catch(noFaces);
      if (upright.length >= faces.length) return turnedBack(upright, image, quarterTurns);
    }

    if (options.iris ?? true) {
      for (const face of faces) {
        face.iris = await estimateIris(backend, pyramid, face.mesh);
        face.landmarks5 = landmarks5(face.mesh, face.iris);
      }
      t = lap('iris', t);
    }
    if (!options.skipEmbedding) {
      const embedder = options.embedder ?? DEFAULT_EMBEDDER;
      for (const face of faces) face.embedding = await embedFace(backend, pyramid, face.landmarks5, embedder);
      lap('embed', t);
    }
    return orderFaces(faces);
  } finally {
    releasePyramidOnce();
  }
}

/**
 * A face the detector is unsure of (under {@link UNSURE}) that lies rolled far from a sure one ({@link SURE} or more) of
 * the same picture, by over {@link ODD_ROLL} degrees, is texture: the logo at img44's top, read as a face on its side
 * (roll 75-81 degrees, scores 0.35-0.41, its mesh as sure as a face's) beside her upright face (0.95) in the picture
 * shrunk to 300-500 px, and at roll 62 in a crop of it (0.40, beside 0.90). Faces of one picture lean either way by up
 * to 30 degrees (see turnsUpright).
 */
function withoutOddRolls(faces: Face[]): Face[] {
  const sure = faces.filter((f) => f.score >= SURE);
  return faces.filter((f) => f.score >= UNSURE || !sure.some((s) => degreesBetween(s.rollDegrees, f.rollDegrees) > ODD_ROLL));
}

const UNSURE = 0.5;
const SURE = 0.75;
const ODD_ROLL = 45;
const degreesBetween = (a: number, b: number) => (Math.abs(angleBetween((a * Math.PI) / 180, (b * Math.PI) / 180)) * 180) / Math.PI;

/** A face's roll from its mesh's eye line, in degrees ({@link Face.rollDegrees}). */
const rollDegrees = (mesh: Float32Array) => (meshRoll(mesh) * 180) / Math.PI;

/**
 * The quarter turns clockwise that bring faces on their side upright, by their median roll (faces on one picture
 * lean either way by up to 30 degrees): 1 or 3, else 0.
 */
function turnsUpright(faces: Face[]): number {
  const rolls = faces.map((face) => face.rollDegrees).sort((a, b) => a - b);
  const roll = rolls[rolls.length >> 1];
  if (roll > SIDEWAYS[0] && roll < SIDEWAYS[1]) return 3;
  if (roll < -SIDEWAYS[0] && roll > -SIDEWAYS[1]) return 1;
  return 0;
}

/** Faces with a median roll between these (degrees, either way) are on their side. */
const SIDEWAYS = [45, 135] as const;

/** None found: no face is a result here, and not an error. */
function noFaces(error: unknown): Face[] {
  if (error instanceof FaceSwapError && error.code === 'NO_FACE_DETECTED') return [];
  throw error;
}

/** `image` turned clockwise by `quarterTurns` (1, 2 or 3) quarter turns: a new raster. */
function turnedCopy(image: Raster, quarterTurns: number): Raster {
  const { width, height } = image;
  const words = rasterWords(image);
  const pixels = new Uint32Array(width * height);
  if (quarterTurns === 2) {
    pixels.set(words);
    pixels.reverse();
    return { width, height, data: new Uint8ClampedArray(pixels.buffer) };
  }
  // Row y of the picture becomes column height - 1 - y (clockwise) or column y read upwards (counter-clockwise).
  for (let y = 0; y < height; y++) {
    const row = y * width;
    if (quarterTurns === 1) for (let x = 0, o = height - 1 - y; x < width; x++, o += height) pixels[o] = words[row + x];
    else for (let x = 0, o = (width - 1) * height + y; x < width; x++, o -= height) pixels[o] = words[row + x];
  }
  return { width: height, height: width, data: new Uint8ClampedArray(pixels.buffer) };
}

/** Faces found on `image` turned clockwise by `quarterTurns`, placed in `image` as it is, in THE face order. */
function turnedBack(faces: Face[], image: Raster, quarterTurns: number): Face[] {
  const { width, height } = image;
  // A point's place in `image` from its place (x, y) in the turned copy, in continuous pixel coordinates; depth stays.
  const place = [null, (x: number, y: number) => [y, height - x], (x: number, y: number) => [width - x, height - y], (x: number, y: number) => [width - y, x]][quarterTurns]!;
  const turnPoints = (points: Float32Array) => {
    const out = points.slice();
    for (let i = 0; i < out.length; i += 3) [out[i], out[i + 1]] = place(points[i], points[i + 1]);
    return out;
  };
  return orderFaces(
    faces.map((face) => {
      const mesh = turnPoints(face.mesh);
      const iris = face.iris && turnPoints(face.iris);
      return { ...face, mesh, iris, box: meshBounds(mesh), landmarks5: landmarks5(mesh, iris), rollDegrees: rollDegrees(mesh) };
    }),
  );
}

/**
 * How many times {@link AnalyzeOptions.maxDisagreement} a face cut by the frame may disagree with its mesh and still
 * be looked at mirrored: over the test photos, the cut faces 0.10-0.17, detections turned down at an edge 0.42-0.45.
 */
const CUT_DISAGREEMENT = 2;

/** Meshes detections, keeping those the mesh (and, where the two disagree, a second detector look) confirms. */
async function meshFaces(backend: InferenceBackend, pyramid: Pyramid, detections: Detection[], options: AnalyzeOptions): Promise<Face[]> {
  const minMeshScore = options.minMeshScore ?? 0.5;
  const maxDisagreement = options.maxDisagreement ?? 0.13;
  const minConfirmation = options.minConfirmation ?? 0.7;
  const faces: Face[] = [];
  for (const detection of detections) {
    const refinements = options.meshRefinements ?? 1;
    let m = await meshForDetection(backend, pyramid, detection, refinements, minMeshScore);
    if (m.faceScore < minMeshScore) continue;
    const disagreement = detectorDisagreement(detection, m.mesh);
    if (disagreement > maxDisagreement && (await confirmDetection(backend, pyramid, detection)) < minConfirmation) {
      // Faces cut by the frame fit the mesh badly; face-like texture does too. A second look tells them apart. A face
      // cut near its middle shows the detector half a face: it is looked at again with the picture mirrored beyond the
      // edge, which makes it whole, and if that confirms it, so is its mesh found (with black beyond, the mesh drew
      // selfie-many-people.jpg's bottom-left woman squeezed, her open mouth half way up to her nose). Mirrored,
      // texture at an edge can make a face too (img44's logo at the top, 0.80), but its keypoints disagree with the
      // mesh far more than the hidden ones of a cut face: up to CUT_DISAGREEMENT times the limit.
      const cut = cutByFrame(detection, pyramid.levels[0].width, pyramid.levels[0].height);
      if (!cut || disagreement > CUT_DISAGREEMENT * maxDisagreement) continue;
      if ((await confirmDetection(backend, pyramid, detection, 'mirror')) < minConfirmation) continue;
      m = await meshForDetection(backend, pyramid, detection, refinements, minMeshScore, 'mirror');
      if (m.faceScore < minMeshScore) continue;
    }
    const box = meshBounds(m.mesh);
    const twin = faces.findIndex((f) => iou(f.box, box) > DUPLICATE_IOU || containment(f.box, box) > DUPLICATE_CONTAINED);
    if (twin >= 0) {
      if (faces[twin].meshScore >= m.faceScore) continue;
      faces.splice(twin, 1);
    }
    faces.push({
      index: 0,
      box,
      score: detection.score,
      meshScore: m.faceScore,
      mesh: m.mesh,
      landmarks5: landmarks5(m.mesh),
      embedding: new Float32Array(0),
      rollDegrees: rollDegrees(m.mesh),
    });
  }
  return faces;
}
