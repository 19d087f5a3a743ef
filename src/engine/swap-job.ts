import { FaceSwapError, type ImageRole } from './errors.ts';
import type { AnalyzeOptions } from './face/analyze.ts';
import type { OutputFormat } from './formats.ts';
import type { BufferPool } from './image/buffer-pool.ts';
import { createRaster, type Raster } from './image/raster.ts';
import type { ProgressListener, SwapFields, SwapRequest } from './job.ts';
import { swapFace, DEFAULT_FACE_SWAP, type FaceSwapOptions } from './swap/face-swap.ts';
import { sourceHairCover } from './swap/source-face.ts';
import { targetBeardCover } from './swap/target-parts.ts';
import { outputSize } from './swap/output-size.ts';
import { resizeRaster } from './swap/resample.ts';

/**
 * The analysis a swap needs: boxes, meshes and irises (the new face looks where the target looked), no identity
 * embedding, and one mesh pass. A second pass (re-cropped from the first) puts landmarks nearer hand labels, but
 * swaps from single-pass meshes measure as well or better in the quality bench (closer to the source on 26 of 26
 * pairs, 25 with two passes) and cost a model run a face less.
 */
export const SWAP_ANALYSIS: AnalyzeOptions = { skipEmbedding: true, iris: true, meshRefinements: 0 };

/** What the swap needs of an analysed face. */
export interface SwappableFace {
  box: { x: number; y: number; width: number; height: number };
  /** x, y, z per mesh point, in its picture's pixels. */
  mesh: Float32Array;
  /** The iris stage's points (5 an eye, image-left eye first), where analysed. */
  iris?: Float32Array;
}

/** Swap meshes by analysed mesh: the same face gives the same array, by which the engine keeps what it found of a source. */
const swapMeshes = new WeakMap<Float32Array, Float32Array>();

/** The mesh a swap takes of a face: its own points, and its iris points after them (IRIS_POINTS) where it has them. */
export function swapMesh(face: SwappableFace): Float32Array {
  if (!face.iris) return face.mesh;
  let mesh = swapMeshes.get(face.mesh);
  if (!mesh) {
    mesh = new Float32Array(face.mesh.length + face.iris.length);
    mesh.set(face.mesh);
    mesh.set(face.iris, face.mesh.length);
    swapMeshes.set(face.mesh, mesh);
  }
  return mesh;
}

/** The platform's parts: face analysis (may be cached), an encoder, and optionally a way to swap faces at once. */
export interface SwapJobDeps<Encoded> {
  analyse(role: ImageRole, image: Raster, signal?: AbortSignal): Promise<SwappableFace[]>;
  encode(image: Raster, format: OutputFormat): Promise<Encoded>;
  /** Default {@link swapOneByOne}. */
  swapFaces?(batch: FaceBatch): Promise<void>;
  /**
   * Where the output canvas's pixels come from, and go back to once encoded (or the job failed): a worker keeps them
   * from job to job. Default: a new array each job, which the encoded result may be (the benches keep the raster).
   */
  outputBuffers?: BufferPool<ArrayBuffer>;
}

/** The faces of one job to swap into its canvas, in this order (or with the same result). */
export interface FaceBatch {
  canvas: Raster;
  source: Raster;
  sourceMesh: Float32Array;
  /** In the canvas's pixels. */
  targetMeshes: Float32Array[];
  options: FaceSwapOptions;
  /** Called as each face is in the canvas. */
  onSwapped(): void;
  /** Checked between faces; the job reports the cancel. */
  signal?: AbortSignal;
}

/** Swaps a batch's faces one after another on this thread. */
export async function swapOneByOne({ canvas, source, sourceMesh, targetMeshes, options, onSwapped, signal }: FaceBatch): Promise<void> {
  for (const mesh of targetMeshes) {
    if (signal?.aborted) return;
    swapFace(canvas, mesh, source, sourceMesh, options);
    onSwapped();
  }
}

export interface SwapJobResult<Encoded> extends SwapFields {
  encoded: Encoded;
}

/** A job id in the seed's style, `job_` and 12 random base-36 characters. */
export function newJobId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `job_${Array.from(bytes, (b) => (b % 36).toString(36)).join('')}`;
}

/**
 * The whole swap from decoded pictures to an encoded result: analyse both, pick the faces, render at the
 * quality's size, encode. Shared by the worker and the CLI.
 */
export async function runSwapJob<Encoded>(
  deps: SwapJobDeps<Encoded>,
  source: Raster,
  target: Raster,
  request: SwapRequest,
  onProgress: ProgressListener = () => {},
  signal?: AbortSignal,
  faceOptions: FaceSwapOptions = DEFAULT_FACE_SWAP,
): Promise<SwapJobResult<Encoded>> {
  const started = performance.now();
  const checkCancelled = () => {
    if (signal?.aborted) throw new FaceSwapError('CANCELLED', 'The swap was cancelled.');
  };
  onProgress('detect', 0, 2);
  const sourceFaces = await deps.analyse('source', source, signal);
  onProgress('detect', 1, 2);
  const targetFaces = await deps.analyse('target', target, signal);
  onProgress('detect', 2, 2);
  checkCancelled();

  const sourceFace = pickSourceFace(sourceFaces, request.sourceFaceIndex);
  const chosen = pickTargetFaces(targetFaces, request.faceIndex);
  // The output canvas (the target, resampled for 4k or standard) is part of the swap stage.
  onProgress('swap', 0, chosen.length);
  const size = outputSize(target.width, target.height, request.quality);
  const pixels = deps.outputBuffers?.take(size.width * size.height * 4);
  try {
    const canvas = outputCanvas(target, size, pixels && new Uint8ClampedArray(pixels));
    const scale = size.width / target.width;

    let swapped = 0;
    await (deps.swapFaces ?? swapOneByOne)({
      canvas,
      source,
      sourceMesh: swapMesh(sourceFace),
      targetMeshes: chosen.map((k) => scaleMesh(swapMesh(targetFaces[k]), scale)),
      // On the target enlarged (4k), the face stays as sharp as the source allows: the softness is the enlargement's.
      options: { ...faceOptions, ...(request.keepBeard ? { keepTargetBeard: true } : {}), ...(scale > 1 ? { softenToTarget: false } : {}) },
      onSwapped: () => onProgress('swap', ++swapped, chosen.length),
      signal,
    });
    checkCancelled();

    onProgress('encode', 0, 1);
    const encoded = await deps.encode(canvas, request.outputFormat);
    onProgress('encode', 1, 1);
    return {
      jobId: newJobId(),
      encoded,
      outputFormat: request.outputFormat,
      resolution: `${canvas.width}x${canvas.height}`,
      width: canvas.width,
      height: canvas.height,
      processingTime: Math.round(performance.now() - started),
      facesDetected: targetFaces.length,
      facesSwapped: chosen,
      sourceEnlargement: hundredths(Math.max(...chosen.map((k) => longSide(targetFaces[k].box) * scale)) / longSide(sourceFace.box)),
      sourceHairCover: reportedHairCover(source, swapMesh(sourceFace)),
    };
  } finally {
    // Encoded (or failed): nothing reads the canvas any more.
    if (pixels) deps.outputBuffers!.give(pixels);
  }
}

/** A source face's hair cover as a swap from it reports it (`sourceHairCover`); the worker tells it before a swap too. */
export function reportedHairCover(source: Raster, sourceMesh: Float32Array): number {
  return hundredths(sourceHairCover(source, sourceMesh));
}

/** A target face's beard cover as the worker reports it before a swap (`targetBeardCover`, to two decimals). */
export function reportedBeardCover(target: Raster, targetMesh: Float32Array): number {
  return hundredths(targetBeardCover(target, targetMesh));
}

/** A result's figure, to two decimals. */
function hundredths(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The source face a swap takes: the one at `index`, or else the largest. */
export function pickSourceFace(faces: SwappableFace[], index?: number | null): SwappableFace {
  if (index !== null && index !== undefined) {
    if (!Number.isInteger(index) || index < 0 || index >= faces.length) {
      throw new FaceSwapError('FACE_INDEX_OUT_OF_RANGE', `The source image has ${faces.length} face${faces.length === 1 ? '' : 's'}; there is no face ${index}.`, 'source');
    }
    return faces[index];
  }
  return faces.reduce((best, face) => (face.box.width * face.box.height > best.box.width * best.box.height ? face : best));
}

function pickTargetFaces(faces: SwappableFace[], index: number | null | undefined): number[] {
  if (index === null || index === undefined) return faces.map((_, i) => i);
  if (!Number.isInteger(index) || index < 0 || index >= faces.length) {
    throw new FaceSwapError('FACE_INDEX_OUT_OF_RANGE', `The target image has ${faces.length} face${faces.length === 1 ? '' : 's'} (face_index 0 to ${faces.length - 1}); there is no face ${index}.`, 'target');
  }
  return [index];
}

function longSide(box: SwappableFace['box']): number {
  return Math.max(box.width, box.height);
}

function scaleMesh(mesh: Float32Array, scale: number): Float32Array {
  if (scale === 1) return mesh;
  return mesh.map((v) => v * scale);
}

/** The target at the output's size (a copy, or resampled for 4k and standard), on `pixels` where given. */
function outputCanvas(target: Raster, size: { width: number; height: number }, pixels?: Uint8ClampedArray): Raster {
  if (size.width !== target.width || size.height !== target.height) return resizeRaster(target, size.width, size.height, undefined, pixels);
  const canvas = pixels ? { ...size, data: pixels } : createRaster(size.width, size.height);
  canvas.data.set(target.data);
  return canvas;
}
