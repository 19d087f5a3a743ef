import * as Comlink from 'comlink';
import { FaceSwapError } from '../engine/errors.ts';
import { BufferPool } from '../engine/image/buffer-pool.ts';
import { copyRect, type Raster } from '../engine/image/raster.ts';
import { swapOneByOne, type FaceBatch } from '../engine/swap-job.ts';
import { swapConcurrently, type SwapLane } from '../engine/swap/concurrent.ts';
import { SCRATCH_MAX_BYTES } from '../engine/scratch.ts';
import { sourceFootprint, swapFace, swapFootprint, swapScratchBytes } from '../engine/swap/face-swap.ts';
import { adoptSourceLook } from '../engine/swap/source-face.ts';
import { intersectRect, isEmptyRect, type Rect } from '../engine/swap/region.ts';
import type { FaceSwapHelperApi, HelperSource } from './face-swap.worker.ts';

/**
 * Faces of one picture swapped two at a time: one here, one in a helper worker, both into the canvas in shared memory
 * (faces whose footprints overlap still one after the other). Only for outputs up to 4K: there two faces' working sets
 * at once take the renderer hosting the page to about 920 MB in the speed bench, within its 1 GB budget; larger
 * pictures, which only `high` keeps, are swapped one face at a time.
 */
const MAX_PARALLEL_PIXELS = 3840 * 2160;

/**
 * The scratch memory this thread keeps (the helper keeps the default, SCRATCH_MAX_BYTES): enough for a face of a 4K
 * picture, about 115 MB. Such faces are swapped here, one by one, in memory reused from the swap before, and the
 * helper is stopped meanwhile. On the helper they took new memory each time, every page of it faulted in afresh: the
 * speed bench's 4K swap stage took 1.1-1.2 s on two threads at once, and takes about 0.6 s one face after the other
 * here, the page's renderer peaking at 986 MB (959 before); both threads holding that much would pass 1 GB.
 */
export const LOCAL_SCRATCH_BYTES = 160 << 20;

interface Helper {
  api: Comlink.Remote<FaceSwapHelperApi>;
  /** Rejects if the helper's script fails (to load, or later) or it is stopped: no call to it would answer then. */
  failed: Promise<never>;
  stop(): void;
}

let helper: Helper | null | undefined;

/** Starts the helper worker (once) where it can help: shared memory and a second core. */
export function startFaceSwapHelper(): Helper | null {
  if (helper !== undefined) return helper;
  helper = null;
  if (!globalThis.crossOriginIsolated || (navigator.hardwareConcurrency ?? 1) < 2) return helper;
  try {
    const worker = new Worker(new URL('./face-swap.worker.ts', import.meta.url), { type: 'module', name: 'faceswap-helper' });
    let fail = (_: FaceSwapError) => {};
    const failed = new Promise<never>((_, reject) => (fail = reject));
    failed.catch(() => {});
    const started: Helper = {
      api: Comlink.wrap<FaceSwapHelperApi>(worker),
      failed,
      stop() {
        worker.terminate();
        fail(new FaceSwapError('INTERNAL', 'The face swap helper was stopped.'));
      },
    };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (helper === started) helper = null;
      fail(new FaceSwapError('INTERNAL', `The face swap helper stopped: ${event.message || 'its script failed'}.`));
    });
    helper = started;
  } catch {
    // No workers inside workers here: the engine worker swaps alone.
  }
  return helper;
}

/**
 * Stops the helper, giving back its memory: what its last faces left (its scratch memory among it) is only collected
 * when it next works, and on a picture whose faces it does not take it would count on top of that picture's swap. The
 * next batch that can share starts it again.
 */
function stopFaceSwapHelper(): void {
  helper?.stop();
  helper = undefined;
  releaseSharedBuffers();
}

/** Drops the shared copies kept for the next batch (an idle page, or pictures too large to share). */
export function releaseSharedBuffers(): void {
  if (running > 0) return;
  spareBuffers.clear();
  latestSource = null;
}

/**
 * Swaps a batch's faces, two at a time where the helper is up, the faces lie apart and each fits the helper's scratch
 * memory; else one by one here.
 */
export async function swapInParallel(batch: FaceBatch): Promise<void> {
  const { canvas, source, sourceMesh, targetMeshes, options } = batch;
  const tooLarge = (mesh: Float32Array) => swapScratchBytes(canvas.width, canvas.height, mesh, sourceMesh, options) > SCRATCH_MAX_BYTES;
  if (canvas.width * canvas.height > MAX_PARALLEL_PIXELS || targetMeshes.some(tooLarge)) {
    // A look the helper has under way is dropped with it: this thread looks at the face itself.
    stopFaceSwapHelper();
    return swapOneByOne(batch);
  }
  await helperLookAt(source, sourceMesh);
  const footprints = targetMeshes.map((mesh) => swapFootprint(canvas.width, canvas.height, mesh, sourceMesh, options));
  const apart = footprints.some((a, i) => footprints.some((b, j) => j > i && isEmptyRect(intersectRect(a, b))));
  const help = startFaceSwapHelper();
  if (!help || !apart) return swapOneByOne(batch);

  running++;
  try {
    // Only what the swaps read crosses into shared memory: the faces' footprints, the source's face.
    const shared = sharedCopy(canvas, footprints);
    const helperSource = sharedSource(source, sourceMesh);
    const remote: SwapLane = (face) => Promise.race([help.api.swap(shared, targetMeshes[face], helperSource, options), help.failed]);
    const local: SwapLane = async (face) => {
      // Lets the helper's answers in first, so that it is handed its next face before this thread is busy.
      await nextTask();
      swapFace(shared, targetMeshes[face], source, sourceMesh, options);
    };
    try {
      await swapConcurrently(footprints, [remote, local], () => batch.onSwapped(), batch.signal);
      for (const footprint of footprints) copyRect(shared, canvas, footprint);
    } finally {
      // No face of this batch is under way any more (swapConcurrently waits for them).
      spareBuffers.give(shared.data.buffer as SharedArrayBuffer);
    }
  } finally {
    running--;
  }
}

/**
 * Has the helper look at a source face (see lookAtSource) while this thread works on other things, the target's
 * analysis: both threads' swaps from that face then start with it done.
 */
export async function lookAtSourceInHelper(source: Raster, sourceMesh: Float32Array): Promise<void> {
  const adopted = inHelperOnSource(source, sourceMesh, (api, shared) => api.lookAtSource(shared)).then((look) => look && adoptSourceLook(source, sourceMesh, look));
  const underWay = { source, mesh: sourceMesh, adopted: adopted.then(noop, noop) };
  lookUnderWay = underWay;
  try {
    await adopted;
  } finally {
    if (lookUnderWay === underWay) lookUnderWay = null;
  }
}

/** The helper's look at a source face under way, if any. */
let lookUnderWay: { source: Raster; mesh: Float32Array; adopted: Promise<void> } | null = null;
const noop = () => {};

/**
 * Settles once the helper's look at this source face, where one is under way, is adopted here: a swap (or a face
 * picker's summary) that started before would look at the face again on this thread (about 100 ms of a 1080p job's
 * CPU on two cores both busy).
 */
export function helperLookAt(source: Raster, mesh: Float32Array): Promise<void> {
  return lookUnderWay?.source === source && lookUnderWay.mesh === mesh ? lookUnderWay.adopted : Promise.resolve();
}

/** Has the helper run a warm-up swap from a source face (see warmUpSwap); resolves at once where there is no helper. */
export async function warmUpHelper(source: Raster, sourceMesh: Float32Array): Promise<void> {
  await inHelperOnSource(source, sourceMesh, (api, shared) => api.warmUp(shared));
}

/**
 * Runs `call` in the helper on a source face in shared memory; undefined where there is no helper. Not for a source
 * larger than 4K: the source's copy (its size) is made before any swap says it will use the helper (a one-face target
 * does not), and there that copy costs more memory than the helper's work saves time.
 */
async function inHelperOnSource<T>(source: Raster, sourceMesh: Float32Array, call: (api: Helper['api'], shared: HelperSource) => Promise<T>): Promise<T | undefined> {
  const help = source.width * source.height <= MAX_PARALLEL_PIXELS ? startFaceSwapHelper() : null;
  if (!help) return undefined;
  running++;
  try {
    return await Promise.race([call(help.api, sharedSource(source, sourceMesh)), help.failed]);
  } finally {
    running--;
  }
}

/** Batches (and helper work on a source) under way: a cancelled batch may still be finishing its faces when the next starts. */
let running = 0;

/**
 * Shared buffers kept for the next batch, which has pictures of the same sizes (a canvas and a source): a new one each
 * time piles up in the helper, whose collections are rare (a face's arrays there are scratch), and the page grew by
 * 18 MB a job.
 */
const spareBuffers = new BufferPool((bytes) => new SharedArrayBuffer(bytes), 2);

/** Resolves after the tasks already queued (a message the helper sent): a zero-delay timeout may wait 4 ms. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

/**
 * A picture of `image`'s size in shared memory, holding its pixels within `rects` (elsewhere whatever a batch before
 * left: a swap reads nothing outside its footprint).
 */
function sharedCopy(image: Raster, rects: readonly Rect[]): Raster {
  const copy = { width: image.width, height: image.height, data: new Uint8ClampedArray(spareBuffers.take(image.data.length)) };
  for (const rect of rects) copyRect(image, copy, rect);
  return copy;
}

/** The latest batch's source in shared memory (its face's part): made again only for another picture or face. */
let latestSource: { image: Raster; shared: HelperSource } | null = null;
let sourceKeys = 0;

function sharedSource(image: Raster, mesh: Float32Array): HelperSource {
  if (latestSource?.image !== image || latestSource.shared.mesh !== mesh) {
    // The copy before is done with, unless a batch still finishing uses it.
    if (latestSource && running === 1) spareBuffers.give(latestSource.shared.image.data.buffer as SharedArrayBuffer);
    latestSource = { image, shared: { key: ++sourceKeys, image: sharedCopy(image, [sourceFootprint(image.width, image.height, mesh)]), mesh } };
  }
  return latestSource.shared;
}
