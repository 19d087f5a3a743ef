import { halvedCrop } from '../face/pyramid.ts';
import type { Raster } from '../image/raster.ts';
import { sourceFootprint, swapFace } from './face-swap.ts';
import { pointsInCrop } from './region.ts';

/** The warm-up's picture is the source face's surroundings halved until its long side is at most this (px). */
const WARM_UP_SIDE = 384;

/**
 * Swaps a source face onto a small copy of its own picture, the result thrown away: every stage of a face swap runs,
 * so that the JavaScript engine compiles them before the first real swap, which otherwise waits seconds for it (its
 * pixel loops are compiled over the first swaps, 6.5 s for the first and 0.6 s from about the tenth on the speed
 * bench's machine). What is worked out of the source face itself (its look) is kept for the real swaps.
 *
 * Returns the copy, swapped.
 */
export function warmUpSwap(source: Raster, sourceMesh: Float32Array): Raster {
  const area = sourceFootprint(source.width, source.height, sourceMesh);
  let halvings = 0;
  while (Math.max(area.width, area.height) >> halvings > WARM_UP_SIDE) halvings++;
  const canvas = halvedCrop(source, area, halvings);
  swapFace(canvas, pointsInCrop(sourceMesh, area, 2 ** halvings, new Float32Array(sourceMesh.length)), source, sourceMesh);
  return canvas;
}
