import * as Comlink from 'comlink';
import type { Raster } from '../engine/image/raster.ts';
import { releaseScratch } from '../engine/scratch.ts';
import { swapFace, type FaceSwapOptions } from '../engine/swap/face-swap.ts';
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
    if (latest?.key !== source.key) latest = source;
    swapFace(canvas, targetMesh, latest.image, latest.mesh, options);
    releaseWhenIdle(releaseScratch);
  },
};

export type FaceSwapHelperApi = typeof helperApi;
Comlink.expose(helperApi);
