import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { Raster } from '../src/engine/image/raster.ts';
import { facesDir } from './faces.ts';

/** The development face photos (../shared/data/faces beside the repository; see its README.md). */
export const FACES_DIR = facesDir.replace(/\/$/, '');

/** Decodes an image file (or a sharp pipeline) into an RGBA Raster, EXIF orientation applied. */
export async function loadRaster(input: string | sharp.Sharp): Promise<Raster> {
  const pipeline = typeof input === 'string' ? sharp(input.includes('/') ? input : `${FACES_DIR}/${input}`) : input;
  const { data, info } = await pipeline.rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
}

/** Encodes a Raster as PNG (for looking at intermediate results). */
export async function saveRaster(image: Raster, path: string): Promise<void> {
  await sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: 4 },
  }).png().toFile(path);
}

/** Whether public/models holds every named model (the converter writes them; tests needing one skip without it). */
export function hasModels(...names: string[]): boolean {
  return names.every((n) => existsSync(fileURLToPath(new URL(`../public/models/${n}.onnx`, import.meta.url))));
}
