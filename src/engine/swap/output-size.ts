import type { Quality } from '../job.ts';

/** Longest side of a `standard` result: fast to compute, encode and download. */
export const STANDARD_LONG_SIDE = 1280;
/** Longest side of a `4k` result. */
export const UHD_LONG_SIDE = 3840;

/**
 * The scale from the target picture to the result: `standard` shrinks to at most 1280 px on the long side,
 * `high` keeps the target's size, `4k` makes the long side 3840 px (up or down).
 */
export function outputScale(width: number, height: number, quality: Quality): number {
  const longSide = Math.max(width, height);
  if (quality === 'standard') return Math.min(1, STANDARD_LONG_SIDE / longSide);
  if (quality === '4k') return UHD_LONG_SIDE / longSide;
  return 1;
}

/** The result's size in whole pixels. */
export function outputSize(width: number, height: number, quality: Quality): { width: number; height: number } {
  const scale = outputScale(width, height, quality);
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
