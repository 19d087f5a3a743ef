import type { ImageRole } from '../engine/errors.ts';
import type { ImageInput } from '../engine/image/input.ts';
import { MAX_PIXELS } from '../engine/image/limits.ts';
import { FaceSwapApiError } from './errors.ts';

/**
 * A picture given to the API: a File or Blob, an ImageBitmap, raw bytes, or a string holding an http(s), blob:
 * or page-relative URL ("/photos/me.jpg"), a data URL, or bare base64.
 */
export type FaceSwapImage = Blob | ImageBitmap | ArrayBuffer | ArrayBufferView | string;

/**
 * Turns an API picture into what the engine reads. Blobs cross to the worker without copying; raw bytes are wrapped
 * in a Blob (one copy, so the caller's buffer stays usable); an ImageBitmap is written losslessly to PNG here first,
 * because pixels, not bitmaps, are what the worker's decoder takes.
 */
export async function toEngineInput(image: FaceSwapImage, role: ImageRole, base = globalThis.location?.href): Promise<ImageInput> {
  if (typeof image === 'string') return resolveAddress(image, base);
  if (image instanceof Blob) return image;
  if (image instanceof ArrayBuffer) return new Blob([image]);
  if (ArrayBuffer.isView(image)) return new Blob([new Uint8Array(image.buffer, image.byteOffset, image.byteLength).slice()]);
  if (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap) return bitmapToPng(image, role);
  throw new FaceSwapApiError('INVALID_FORMAT', `The ${role} image must be a File, Blob, ImageBitmap, bytes, a URL, a data URL or base64 text.`, role);
}

/**
 * Page-relative paths ("./a.jpg", "../a.jpg", "/photos/a.jpg") become absolute URLs; everything else (absolute URLs,
 * data URLs, base64) goes as it is. Base64 of a JPEG starts with "/9j/", so a string starting with "/" is a path only
 * when it has a character base64 lacks (".", "?", "%"…) or is too short to be a picture.
 */
export function resolveAddress(text: string, base?: string): string {
  const trimmed = text.trim();
  if (!base) return trimmed;
  const relative = /^\.{1,2}\//.test(trimmed) || (/^\/(?!\/)/.test(trimmed) && (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed) || trimmed.length < 64));
  return relative ? new URL(trimmed, base).href : trimmed;
}

async function bitmapToPng(bitmap: ImageBitmap, role: ImageRole): Promise<Blob> {
  if (bitmap.width === 0 || bitmap.height === 0) throw new FaceSwapApiError('INVALID_FORMAT', `The ${role} image has no pixels (a closed ImageBitmap?).`, role);
  if (bitmap.width * bitmap.height > MAX_PIXELS) {
    throw new FaceSwapApiError('IMAGE_TOO_LARGE', `The ${role} image is ${bitmap.width}×${bitmap.height} pixels; the limit is ${MAX_PIXELS / 1e6} megapixels.`, role);
  }
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new FaceSwapApiError('INTERNAL', 'This browser has no 2D canvas.', role);
  ctx.drawImage(bitmap, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}
