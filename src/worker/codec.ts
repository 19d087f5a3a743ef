import { FaceSwapError, type ImageRole } from '../engine/errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import type { BufferPool } from '../engine/image/buffer-pool.ts';
import type { Raster } from '../engine/image/raster.ts';
import { sniffImage, type ImageFormat } from '../engine/image/sniff.ts';

/** Browser image codec for the worker: decoding through createImageBitmap, encoding through OffscreenCanvas. */

/** Formats that never carry alpha: their pixels can be read the faster ways below. */
const isOpaque = (format: ImageFormat) => format === 'jpeg';

/**
 * Decodes bytes (already validated from their header as `format`) into a bitmap, with EXIF orientation applied.
 * Opaque formats skip the request to leave alpha unpremultiplied, which costs a slower path (~18 ms on a 4K photo).
 */
export async function decodeBitmap(bytes: Uint8Array, role: ImageRole, format: ImageFormat): Promise<ImageBitmap> {
  const options: ImageBitmapOptions = isOpaque(format) ? { imageOrientation: 'from-image' } : { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
  try {
    return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), options);
  } catch {
    throw new FaceSwapError('INVALID_FORMAT', `The ${role} image is damaged or in a variant this browser cannot decode.`, role);
  }
}

/**
 * Reads the pixels of a bitmap decoded from `format` into a Raster. An opaque one is copied out through a VideoFrame
 * where the browser can (a third faster than drawing it on a canvas and reading that back), into a buffer from
 * `buffers` (every byte of which it writes); pictures with alpha keep the canvas, whose handling of it is the one the
 * decoder was asked for.
 */
export async function bitmapToRaster(bitmap: ImageBitmap, format: ImageFormat, buffers?: BufferPool<ArrayBuffer>): Promise<Raster> {
  const { width, height } = bitmap;
  if (isOpaque(format) && typeof VideoFrame !== 'undefined') {
    // A browser that cannot convert the frame to RGBA falls through to the canvas.
    const data = await readThroughVideoFrame(bitmap, buffers).catch(() => null);
    if (data) return { data, width, height };
  }
  const ctx = context2d(width, height);
  ctx.drawImage(bitmap, 0, 0);
  return { data: ctx.getImageData(0, 0, width, height).data, width, height };
}

async function readThroughVideoFrame(bitmap: ImageBitmap, buffers?: BufferPool<ArrayBuffer>): Promise<Uint8ClampedArray> {
  const frame = new VideoFrame(bitmap, { timestamp: 0 });
  const bytes = bitmap.width * bitmap.height * 4;
  const buffer = buffers ? buffers.take(bytes) : new ArrayBuffer(bytes);
  try {
    const data = new Uint8ClampedArray(buffer);
    await frame.copyTo(data, { format: 'RGBA' });
    return data;
  } catch (error) {
    buffers?.give(buffer);
    throw error;
  } finally {
    frame.close();
  }
}

/** A downscaled copy (long side at most `maxSide`) encoded as WebP, for previews. */
export async function thumbnailOf(bitmap: ImageBitmap, maxSide: number): Promise<Blob> {
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = context2d(width, height);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  return encodeCanvas(ctx.canvas, 'webp');
}

/**
 * The canvas of the latest encode, kept for the next of the same size: a new one's pixels are new pages (see
 * BufferPool), 25-40 ms of a 1080p encode on the speed bench's machine. Safe to share between encodes under way:
 * convertToBlob encodes a snapshot of the canvas as it is when called.
 */
let encodeContext: OffscreenCanvasRenderingContext2D | null = null;

/** Encodes a Raster at full resolution and checks the bytes really are the asked format. */
export async function encodeRaster(raster: Raster, format: OutputFormat): Promise<Blob> {
  if (encodeContext?.canvas.width !== raster.width || encodeContext.canvas.height !== raster.height) encodeContext = context2d(raster.width, raster.height);
  encodeContext.putImageData(new ImageData(raster.data as Uint8ClampedArray<ArrayBuffer>, raster.width, raster.height), 0, 0);
  return encodeCanvas(encodeContext.canvas, format);
}

/** Drops the kept encode canvas (an idle page holds no working set). */
export function releaseEncodeCanvas(): void {
  encodeContext = null;
}

async function encodeCanvas(canvas: OffscreenCanvas, format: OutputFormat): Promise<Blob> {
  const meta = OUTPUT_FORMATS[format];
  const blob = await canvas.convertToBlob({ type: meta.mime, quality: meta.quality });
  // convertToBlob silently falls back to PNG for a type it cannot encode: trust the bytes, not the request.
  const head = new Uint8Array(await blob.slice(0, 64).arrayBuffer());
  if (blob.type !== meta.mime || sniffImage(head)?.format !== meta.sniffed) {
    throw new FaceSwapError('INTERNAL', `This browser cannot encode ${meta.label} images; choose another output format.`);
  }
  return blob;
}

function context2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new FaceSwapError('INTERNAL', 'This browser has no 2D canvas in workers.');
  return ctx;
}
