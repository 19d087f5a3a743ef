import { FaceSwapError, outcomeOf, type ImageRole, type Outcome } from '../engine/errors.ts';
import { analyzeFaces, type Face } from '../engine/face/analyze.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import { readImageInput, type ImageInput } from '../engine/image/input.ts';
import type { Raster } from '../engine/image/raster.ts';
import { BufferPool } from '../engine/image/buffer-pool.ts';
import type { ImageFormat } from '../engine/image/sniff.ts';
import { validateImageBytes } from '../engine/image/validate.ts';
import type { FaceSummary, ProgressListener, SwapRequest, SwapResult } from '../engine/job.ts';
import { releaseScratch, setScratchLimit } from '../engine/scratch.ts';
import { pickSourceFace, reportedBeardCover, reportedHairCover, runSwapJob, SWAP_ANALYSIS, swapMesh } from '../engine/swap-job.ts';
import { sourceWearsGlasses } from '../engine/swap/source-face.ts';
import { meanFacePicture, warmUpSwap } from '../engine/swap/warm-up.ts';
import { decodePicture, encodeRaster, pictureToRaster, releaseEncodeCanvas, thumbnailOf } from './codec.ts';
import { releaseWhenIdle } from './idle-release.ts';
import { helperLookAt, LOCAL_SCRATCH_BYTES, lookAtSourceInHelper, releaseSharedBuffers, startFaceSwapHelper, swapInParallel, warmUpHelper } from './parallel-swap.ts';
import { Pictures } from './pictures.ts';
import { WebRuntime, type RuntimeInfo } from './runtime.ts';
import { IdleWarmUp } from './warm-up.ts';

/** What the UI learns of a decoded picture; its pixels stay in the worker. */
export interface ImageSummary {
  role: ImageRole;
  width: number;
  height: number;
  format: ImageFormat;
  byteLength: number;
  /** A WebP preview, long side at most {@link THUMBNAIL_SIDE} px; null when not asked for. */
  thumbnail: Blob | null;
}

export interface DecodeOptions {
  /** Make a preview for the page (default true); a programmatic swap needs none. */
  preview?: boolean;
  /**
   * Which faces of a source to look for as soon as it is decoded: all of them (default: a face picker, or `analyse`,
   * asks for them all), or the largest only (a swap with no source face picked needs no more). A target's are all
   * looked for. Looked for twice, the largest first, a 1080p source's faces took half as long again.
   */
  sourceFaces?: 'all' | 'largest';
}

/** The runtime, the output formats this browser really encodes (checked on the bytes), and the threads swapping faces. */
export interface EngineInfo extends RuntimeInfo {
  outputFormats: OutputFormat[];
  /** 2 where a helper worker swaps a second face at once, else 1. */
  swapThreads: number;
}

const THUMBNAIL_SIDE = 512;

/** The models a swap runs, loaded before the first one so that "loading models" is a stage of its own. */
const SWAP_MODELS = ['blazeface', 'facemesh', 'iris'];

const pictures = new Pictures();
// The faces too large to hand to the helper are swapped on this thread (parallel-swap.ts).
setScratchLimit(LOCAL_SCRATCH_BYTES);
/**
 * Analyses of the stored pictures, started as each is stored and dropped (and stopped) when it is replaced: every
 * face (`role`), or the largest only (`role:largest`, what a swap needs of a source with no face picked).
 */
const analyses = new Map<`${ImageRole}` | `${ImageRole}:largest`, { faces: Promise<Face[]>; stop: AbortController }>();
let runtime: Promise<WebRuntime> | null = null;
/** Output canvases' pixels, kept for the next swap (of the same target, or one of its size). */
const outputBuffers = new BufferPool((bytes) => new ArrayBuffer(bytes), 1);
/** The analyses' pyramids and detector inputs: a source's and a target's at once, a 4K one's included. */
const analysisBuffers = new BufferPool((bytes) => new ArrayBuffer(bytes), 16);
let jobs = new AbortController();
/** The calls under way and the analyses they started, and when the last of them settled. */
let busy = 0;
let idleSince = 0;
/** Swaps asked for so far: warm-up passes are for the first swap from a source, not after it has started. */
let swapsStarted = 0;
/**
 * How long the thread must have been idle before a warm-up pass: a person quick to swap (or a programmatic swap) asks
 * for the swap within moments of the target's faces, and a pass started between would hold the swap up.
 */
const QUIET_MS = 1000;
/**
 * Warm-up swaps, on both threads (see IdleWarmUp): from a drawn face while the page waits for its pictures, then from
 * the source face while the person chooses a target. Six in a page's life, the first about 1-4 s of CPU a thread on
 * the speed bench's machine, the later ones well under a second. With 6 s to choose, the first swap of a one-face
 * 1080p target takes 0.7 s instead of 1.9, of a two-face one 1.5 s instead of 2.4; a programmatic one given both
 * pictures 12 s after the page opened 1.4 s instead of 2.3, and 4.1 instead of 7.0 (npm run bench:first).
 */
const warmUp = new IdleWarmUp(6, () => busy === 0 && performance.now() - idleSince >= QUIET_MS);
/** Whether warm-up passes run (init's `warmUp`). */
let warmUpOn = true;

/** Counts `work` as keeping the thread busy until it settles. */
function busyWith<T>(work: Promise<T>): Promise<T> {
  busy++;
  return work.finally(() => {
    if (--busy === 0) idleSince = performance.now();
  });
}

/** A call's outcome (see outcomeOf), the thread busy until it is known. */
function busyOutcome<T>(work: () => Promise<T>, role?: ImageRole): Promise<Outcome<T>> {
  return busyWith(outcomeOf(work, role));
}

/** The worker's one onnxruntime-web runtime, started on first use. */
export function startRuntime(): Promise<WebRuntime> {
  runtime ??= WebRuntime.create();
  return runtime;
}

/** The faces of a stored picture (or its largest face), analysed once. */
function facesOf(role: ImageRole, largestOnly = false): Promise<Face[]> {
  const image = storedImage(role);
  const key = largestOnly ? (`${role}:largest` as const) : role;
  const known = analyses.get(key);
  if (known) return known.faces;
  const stop = new AbortController();
  // Each picture's faces are looked for once: marked, as the costliest part of a picture's step.
  performance.mark('faceswap:analysis');
  const faces = busyWith(
    pictures.reading([image], async () => analyzeFaces(await startRuntime(), image, role, { ...SWAP_ANALYSIS, largestOnly, signal: stop.signal, buffers: analysisBuffers })),
  ).finally(() => releaseWhenIdle(releaseWorkingMemory));
  // A failure is not kept: the next call tries again (and reports it again).
  faces.catch(() => analyses.get(key)?.faces === faces && analyses.delete(key));
  analyses.set(key, { faces, stop });
  return faces;
}

/**
 * The faces a swap needs: every face of the target; of the source the one picked among all, or else the largest
 * (all of them where that analysis is there already).
 */
function swapFacesOf(role: ImageRole, request: SwapRequest): Promise<Face[]> {
  const largestOnly = role === 'source' && request.sourceFaceIndex == null && !analyses.has(role);
  return facesOf(role, largestOnly);
}

/**
 * Stores a decoded picture and starts analysing it, so that a swap or a face picker finds it done or under way: every
 * face, or (`largestOnly`, a source only) the largest.
 */
function storeImage(role: ImageRole, raster: Raster, largestOnly: boolean): void {
  forgetImage(role);
  pictures.store(role, raster);
  const faces = facesOf(role, role === 'source' && largestOnly);
  faces.catch(() => {});
  // The face a swap takes of a source is looked at by the helper meanwhile (this thread analyses the target); then
  // both threads warm up on it while nothing else is asked of them.
  if (role === 'source') {
    const swapsBefore = swapsStarted;
    faces
      .then(async (found) => {
        if (pictures.get('source') !== raster) return;
        const mesh = swapMesh(pickSourceFace(found));
        await lookAtSourceInHelper(raster, mesh);
        const wanted = () => warmUpOn && pictures.get('source') === raster && swapsStarted === swapsBefore;
        await warmUp.start(() => warmUpPass(raster, mesh), wanted);
      })
      .catch(() => {})
      .finally(() => releaseWhenIdle(releaseWorkingMemory));
  }
}

/** The mean face's picture (see meanFacePicture), drawn for the first warm-up pass on it. */
let meanFace: { image: Raster; mesh: Float32Array } | null = null;

/**
 * Warm-up passes on a drawn face while the page waits for its pictures, until a source is given (its own passes take
 * over) or a swap starts: a programmatic swap given both pictures at once, on a page open for a few seconds, then
 * finds its code compiled. With `analyse`, the face's analysis too (the models' first runs are slow while the browser
 * compiles their hot code again, optimised): only where the models are loaded already, as on a first visit they are
 * still downloading into the precache.
 */
function warmUpBeforePictures(analyse: boolean): void {
  const wanted = () => warmUpOn && swapsStarted === 0 && !pictures.get('source');
  warmUp
    .start(async (goOn) => {
      meanFace ??= meanFacePicture();
      if (analyse) await analyzeFaces(await startRuntime(), meanFace.image, 'source', { ...SWAP_ANALYSIS, buffers: analysisBuffers });
      // A picture given during the analysis goes first: the swap after it is the pass's longest step.
      if (await goOn()) await warmUpPass(meanFace.image, meanFace.mesh);
    }, wanted)
    .catch(() => {})
    .finally(() => releaseWhenIdle(releaseWorkingMemory));
}

/** One warm-up swap from a source's face on each thread. */
async function warmUpPass(raster: Raster, mesh: Float32Array): Promise<void> {
  await pictures.reading([raster], async () => {
    // The helper's is asked for first: both run at once.
    const helped = warmUpHelper(raster, mesh);
    warmUpSwap(raster, mesh);
    await helped;
  });
  performance.mark('faceswap:warm-up');
}

function forgetImage(role: ImageRole): void {
  for (const key of [role, `${role}:largest`] as const) {
    analyses.get(key)?.stop.abort();
    analyses.delete(key);
  }
  pictures.forget(role);
}

function throwIfCancelled(signal: AbortSignal, role?: ImageRole): void {
  if (signal.aborted) throw new FaceSwapError('CANCELLED', 'Cancelled.', role);
}

function storedImage(role: ImageRole): Raster {
  const raster = pictures.get(role);
  if (!raster) throw new FaceSwapError('INVALID_FORMAT', `No ${role} image has been given yet.`, role);
  return raster;
}

export interface InitOptions {
  /**
   * Make the models' sessions now rather than for the first picture. Only where the service worker's precache answers
   * this page's requests: on a first visit the precache is still downloading the models, and the engine would
   * download them a second time.
   */
  preloadModels?: boolean;
  /** Warm-up swaps from a source face while the person chooses a target (see `warmUp`); on unless turned off. */
  warmUp?: boolean;
}

/** The worker's whole interface, exposed through Comlink. Every call resolves; failures come back as coded values. */
export const workerApi = {
  /** Starts onnxruntime-web and reports the backend it chose and the formats it can write. */
  async init({ preloadModels = false, warmUp: warm = true }: InitOptions = {}): Promise<EngineInfo> {
    warmUpOn = warm;
    const swapThreads = startFaceSwapHelper() ? 2 : 1;
    const runtime = await startRuntime();
    // The models' sessions (ORT's wasm compiled under them) are made now, while the person chooses pictures: made for
    // the first picture, they held up its faces by seconds. One that fails is made again when a picture needs it.
    const preloaded = preloadModels ? runtime.preload(SWAP_MODELS).catch(() => {}) : Promise.resolve();
    // The warm-up waits for the models' sessions, which take the thread's CPU first.
    if (warm) void preloaded.then(() => warmUpBeforePictures(preloadModels));
    return { ...runtime.info, outputFormats: await encodableFormats(), swapThreads };
  },

  /** Reads, validates and decodes a picture, keeping its pixels here for the later stages. A failure keeps the previous picture. */
  decode(role: ImageRole, input: ImageInput, { preview = true, sourceFaces = 'all' }: DecodeOptions = {}): Promise<Outcome<ImageSummary>> {
    const { signal } = jobs;
    return busyOutcome(async () => {
      const bytes = await readImageInput(input, role, fetch, signal);
      const header = validateImageBytes(bytes, role);
      throwIfCancelled(signal, role);
      const picture = await decodePicture(bytes, role, header);
      try {
        throwIfCancelled(signal, role);
        const raster = await pictureToRaster(picture, header.format, pictures.buffers);
        try {
          const thumbnail = preview ? await thumbnailOf(picture, THUMBNAIL_SIDE) : null;
          throwIfCancelled(signal, role);
          storeImage(role, raster, sourceFaces === 'largest');
          return { role, width: raster.width, height: raster.height, format: header.format, byteLength: bytes.byteLength, thumbnail };
        } catch (error) {
          pictures.discard(raster);
          throw error;
        }
      } finally {
        picture.close();
      }
    }, role);
  },

  /** Encodes a stored picture at full resolution in the given format. */
  encode(role: ImageRole, format: OutputFormat): Promise<Outcome<Blob>> {
    return busyOutcome(() => {
      const image = storedImage(role);
      return pictures.reading([image], () => encodeRaster(image, format));
    }, role);
  },

  /** The faces of a stored picture, in face_index order, for pickers. NO_FACE_DETECTED when there is none. */
  analyse(role: ImageRole): Promise<Outcome<FaceSummary[]>> {
    return busyOutcome(async () => {
      // The picture the faces are of, even if another replaces it meanwhile.
      const image = storedImage(role);
      return pictures.reading([image], async () => {
        const faces = await facesOf(role);
        // A source face's hair cover is looked at now, while the person chooses, and kept for the swap from it, and
        // whether it wears glasses; a target face's beard, so that the person can choose to keep it. The helper may be
        // looking at a source face already: its look is waited for, not worked out again here.
        if (role === 'source') await Promise.all(faces.map((face) => helperLookAt(image, swapMesh(face))));
        const cover = (mesh: Float32Array) =>
          role === 'source' ? { hairCover: reportedHairCover(image, mesh), glasses: sourceWearsGlasses(image, mesh) } : { beardCover: reportedBeardCover(image, mesh) };
        // The mesh the swap takes, so that the look at a source face is the one its swap uses.
        return faces.map((face) => ({ index: face.index, box: { ...face.box }, score: face.score, ...cover(swapMesh(face)) }));
      });
    }, role);
  },

  /** Swaps the stored source's face onto the stored target and encodes the result. */
  swap(request: SwapRequest, onProgress?: ProgressListener): Promise<Outcome<SwapResult>> {
    const { signal } = jobs;
    const report: ProgressListener = (phase, done, total) => void onProgress?.(phase, done, total);
    return busyOutcome(async () => {
      swapsStarted++;
      const started = performance.now();
      const source = storedImage('source');
      const target = storedImage('target');
      // Both keep their pixels until the result is encoded, even if the person replaces one meanwhile.
      const result = await pictures
        .reading([source, target], async () => {
          report('models', 0, 1);
          await (await startRuntime()).preload(SWAP_MODELS);
          report('models', 1, 1);
          const deps = { analyse: (role: ImageRole) => swapFacesOf(role, request), encode: encodeRaster, swapFaces: swapInParallel, outputBuffers };
          return runSwapJob(deps, source, target, request, report, signal);
        })
        .finally(() => releaseWhenIdle(releaseWorkingMemory));
      const { encoded: blob, ...fields } = result;
      return { ...fields, blob, processingTime: Math.round(performance.now() - started) };
    });
  },

  /** Drops a stored picture. */
  forget(role: ImageRole): void {
    forgetImage(role);
  },

  /** Cancels every job in flight; they resolve with the CANCELLED code. */
  cancel(): void {
    jobs.abort();
    jobs = new AbortController();
  },
};

/** What a swap keeps for the next: its scratch memory, shared copies, output canvas, encode canvas and spare picture buffers. */
function releaseWorkingMemory(): void {
  releaseScratch();
  releaseSharedBuffers();
  outputBuffers.clear();
  analysisBuffers.clear();
  pictures.buffers.clear();
  releaseEncodeCanvas();
}

async function encodableFormats(): Promise<OutputFormat[]> {
  const probe: Raster = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(200) };
  const formats = Object.keys(OUTPUT_FORMATS) as OutputFormat[];
  const works = await Promise.all(formats.map((format) => encodeRaster(probe, format).then(() => true, () => false)));
  return formats.filter((_, i) => works[i]);
}

export type WorkerApi = typeof workerApi;
