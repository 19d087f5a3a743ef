import { analyzeFaces } from '../src/engine/face/analyze.ts';
import { cropRaster, type Raster } from '../src/engine/image/raster.ts';
import type { InferenceBackend } from '../src/engine/inference.ts';
import { SWAP_ANALYSIS } from '../src/engine/swap-job.ts';
import { loadRaster } from './load-raster.ts';

/** Whether a face's box holds the point (x, y). */
export const contains = (face: { box: { x: number; y: number; width: number; height: number } }, [x, y]: readonly number[]) =>
  x >= face.box.x && y >= face.box.y && x <= face.box.x + face.box.width && y <= face.box.y + face.box.height;

/** The edge of a picture that cuts a face. */
export type Edge = 'left' | 'right' | 'top' | 'bottom';

/**
 * Photo `name` (of faces/) cropped so that `share` of its largest face (its mesh's bounds) lies past `edge`, with at
 * most 1.5 face sizes of the photo on the other sides; and `shown`, the middle of what shows of the face, in the crop.
 */
export async function cutPhoto(backend: InferenceBackend, name: string, edge: Edge, share: number): Promise<{ image: Raster; shown: [number, number] }> {
  const photo = await loadRaster(name);
  const { width, height } = photo;
  const [{ box }] = await analyzeFaces(backend, photo, 'target', { ...SWAP_ANALYSIS, largestOnly: true, skipEmbedding: true, iris: false });
  const m = 1.5 * Math.max(box.width, box.height);
  let [x0, y0, x1, y1] = [Math.max(0, box.x - m), Math.max(0, box.y - m), Math.min(width, box.x + box.width + m), Math.min(height, box.y + box.height + m)];
  if (edge === 'left') x0 = box.x + share * box.width;
  if (edge === 'right') x1 = box.x + (1 - share) * box.width;
  if (edge === 'top') y0 = box.y + share * box.height;
  if (edge === 'bottom') y1 = box.y + (1 - share) * box.height;
  const crop = { x: Math.round(x0), y: Math.round(y0), width: Math.round(x1 - x0), height: Math.round(y1 - y0) };
  const shown: [number, number] = [
    (Math.max(box.x, x0) + Math.min(box.x + box.width, x1)) / 2 - crop.x,
    (Math.max(box.y, y0) + Math.min(box.y + box.height, y1)) / 2 - crop.y,
  ];
  return { image: cropRaster(photo, crop), shown };
}
