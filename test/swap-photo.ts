import { analyzeFaces, type Face } from '../src/engine/face/analyze.ts';
import type { InferenceBackend } from '../src/engine/inference.ts';
import type { Raster } from '../src/engine/image/raster.ts';
import { SWAP_ANALYSIS, swapMesh } from '../src/engine/swap-job.ts';
import { loadRaster } from './load-raster.ts';

/** A photo and the mesh a swap takes of its largest face. */
export interface SwapPhoto {
  image: Raster;
  mesh: Float32Array;
}

const photos = new Map<string, Promise<SwapPhoto>>();

/** The largest of some faces (by their boxes). */
export const largestFace = (faces: Face[]): Face => faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));

/** A shared photo and the mesh a swap takes of its largest face (the app's analysis, SWAP_ANALYSIS), analysed once. */
export function swapPhoto(backend: InferenceBackend, name: string): Promise<SwapPhoto> {
  let entry = photos.get(name);
  if (!entry) {
    entry = loadRaster(name).then(async (image) => ({ image, mesh: swapMesh(largestFace(await analyzeFaces(backend, image, 'target', SWAP_ANALYSIS))) }));
    photos.set(name, entry);
  }
  return entry;
}
