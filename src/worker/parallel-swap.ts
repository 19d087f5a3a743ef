import * as Comlink from 'comlink';
import { FaceSwapError } from '../engine/errors.ts';
import { copyRect, type Raster } from '../engine/image/raster.ts';
import { swapOneByOne, type FaceBatch } from '../engine/swap-job.ts';
import { swapConcurrently, type SwapLane } from '../engine/swap/concurrent.ts';
import { sourceFootprint, swapFace, swapFootprint } from '../engine/swap/face-swap.ts';
import { intersectRect, isEmptyRect, type Rect } from '../engine/swap/region.ts';
import type { FaceSwapHelperApi, HelperSource } from './face-swap.worker.ts';

/**
 * Faces of one picture swapped two at a time: one here, one in a helper worker, both into the canvas in shared memory
 * (faces whose footprints overlap still one after the other). Only for outputs up to 4K: there two faces' working sets
 * at once take the renderer hosting the page to 860 MB in the speed bench (802 one at a time), within its 1 GB
 * budget; larger pictures, which only `high` keeps, are swapped one face at a time.
 */
const MAX_PARALLEL_PIXELS = 3840 * 2160;

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
 * Stops the helper, giving back its memory: what its last faces left is only collected when it next works, and on a
 * picture too large to share it would count on top of that picture's swap. The next batch that can share starts it again.
 */
function stopFaceSwapHelper(): void {
  helper?.stop();
  helper = undefined;
}

/** Swaps a batch's faces, two at a time where the helper is up and the faces lie apart; else one by one. */
export async function swapInParallel(batch: FaceBatch): Promise<void> {
  const { canvas, source, sourceMesh, targetMeshes, options } = batch;
  if (canvas.width * canvas.height > MAX_PARALLEL_PIXELS) {
    stopFaceSwapHelper();
    return swapOneByOne(batch);
  }
  const footprints = targetMeshes.map((mesh) => swapFootprint(canvas.width, canvas.height, mesh, sourceMesh, options));
  const apart = footprints.some((a, i) => footprints.some((b, j) => j > i && isEmptyRect(intersectRect(a, b))));
  const help = startFaceSwapHelper();
  if (!help || !apart) return swapOneByOne(batch);

  // Only what the swaps read crosses into shared memory: the faces' footprints, the source's face.
  const shared = sharedCopy(canvas, footprints);
  const helperSource = sharedSource(source, sourceMesh);
  const remote: SwapLane = (face) => Promise.race([help.api.swap(shared, targetMeshes[face], helperSource, options), help.failed]);
  const local: SwapLane = async (face) => {
    // Lets the helper's answers in first, so that it is handed its next face before this thread is busy.
    await nextTask();
    swapFace(shared, targetMeshes[face], source, sourceMesh, options);
  };
  await swapConcurrently(footprints, [remote, local], () => batch.onSwapped(), batch.signal);
  for (const footprint of footprints) copyRect(shared, canvas, footprint);
}

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

/** A picture of `image`'s size in shared memory, holding its pixels within `rects` (elsewhere blank). */
function sharedCopy(image: Raster, rects: readonly Rect[]): Raster {
  const copy = { width: image.width, height: image.height, data: new Uint8ClampedArray(new SharedArrayBuffer(image.data.length)) };
  for (const rect of rects) copyRect(image, copy, rect);
  return copy;
}

/** Sources in shared memory (their face's part), made once per source picture and face. */
const sharedSources = new WeakMap<Raster, HelperSource>();
let sourceKeys = 0;

function sharedSource(image: Raster, mesh: Float32Array): HelperSource {
  let known = sharedSources.get(image);
  if (known?.mesh !== mesh) {
    known = { key: ++sourceKeys, image: sharedCopy(image, [sourceFootprint(image.width, image.height, mesh)]), mesh };
    sharedSources.set(image, known);
  }
  return known;
}
