import type { ImageSlot } from './state/images.ts';

/** Why the swap cannot start yet, in words; null when it can. */
export function swapBlocker(source: ImageSlot, target: ImageSlot): string | null {
  if (!source.image && !target.image) return 'Add a source face (1) and a target image (2) first.';
  if (!source.image) return 'Add a source face (1) first.';
  if (!target.image) return 'Add a target image (2) first.';
  if (source.busy || target.busy) return 'Reading the pictures…';
  if (source.faces?.length === 0) return 'The source image has no face we can find: choose another.';
  if (target.faces?.length === 0) return 'The target image has no face we can find: choose another.';
  return null;
}
