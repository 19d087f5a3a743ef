import * as Comlink from 'comlink';
import type { Raster } from '../engine/image/raster.ts';
import { releaseScratch } from '../engine/scratch.ts';
import { swapFace, type FaceSwapOptions } from '../engine/swap/face-swap.ts';
import { lookAtSource, type SourceLook } from '../engine/swap/source-face.ts';
import { warmUpSwap } from '../engine/swap/warm-up.ts';
import { releaseWhenIdle } from './idle-release.ts';

/** A job's source as the helper gets it: its pixels (shared, not copied) and face mesh, under a key per job's source. */
export interface HelperSource {
  key: number;
  image: Raster;
  mesh: Float32Array;
}

/**
 * The source of the latest job, kept: every face of it is swapped from the same objects, so that what the engine
 * works out of a source once (which parts of its face show) is worked out once here too.
 */
let latest: HelperSource | null = null;

/**
 * A second thread for face swaps (see parallel-swap.ts): it swaps one face of a job into the job's canvas, which
 * lives in shared memory, while the engine worker swaps another face elsewhere in it.
 */
const helperApi = {
  swap(canvas: Raster, targetMesh: Float32Array, source: HelperSource, options: FaceSwapOptions): void {
    const { image, mesh } = keep(source);
    swapFace(canvas, targetMesh, image, mesh, options);
    releaseWhenIdle(releaseScratch);
  },

  /** Looks at a source face before its swap (see lookAtSource), for both threads. */
  lookAtSource(source: HelperSource): SourceLook {
    const { image, mesh } = keep(source);
    return lookAtSource(image, mesh);
  },

  /** Runs a warm-up swap from a source face (see warmUpSwap): this thread's first real swaps then wait less. */
  warmUp(source: HelperSource): void {
    const { image, mesh } = keep(source);
    warmUpSwap(image, mesh);
    releaseWhenIdle(releaseScratch);
  },
};

/** The objects of the source under `source.key`, the first received: what is worked out of them is kept by them. */
function keep(source: HelperSource): HelperSource {
  if (latest?.key !== source.key) latest = source;
  return latest;
}

export type FaceSwapHelperApi = typeof helperApi;
Comlink.expose(helperApi);
