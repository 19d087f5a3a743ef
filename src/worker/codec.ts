import { FaceSwapError, type ImageRole } from '../engine/errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import type { BufferPool } from '../engine/image/buffer-pool.ts';
import type { Raster } from '../engine/image/raster.ts';
import { sniffImage, type ImageFormat, type ImageHeader } from '../engine/image/sniff.ts';

/** Browser image codec for the worker: decoding through WebCodecs or createImageBitmap, encoding through OffscreenCanvas. */

/** Formats that never carry alpha: their pixels can be read the faster ways below. */
const isOpaque = (format: ImageFormat) => format === 'jpeg';

/** A decoded picture, drawable on a canvas: a VideoFrame where WebCodecs decoded it, else an ImageBitmap. */
export type DecodedPicture = ImageBitmap | VideoFrame;

/** What Chromium's VideoFrame tells of a turn its decoder read from the picture (not yet in TypeScript's DOM types). */
type TurnedFrame = VideoFrame & { rotation?: number; flip?: boolean };

/**
 * Decodes bytes (already validated from their header) with EXIF orientation applied. An upright JPEG goes through
 * WebCodecs' ImageDecoder where the browser has one: it hands over the decoder's own planes, where createImageBitmap
 * converts them first, and takes half the time (on the speed bench's machine 55 ms instead of 105 for a 2.6 MP
 * photo, 70 instead of 165 for a 4K one). A turned JPEG, or one the decoder refuses, goes through createImageBitmap,
 * which applies the turn.
 */
export async function decodePicture(bytes: Uint8Array, role: ImageRole, header: ImageHeader): Promise<DecodedPicture> {
  const upright = header.format === 'jpeg' && header.orientation === 1 && typeof ImageDecoder !== 'undefined';
  const frame = upright ? await decodeUprightFrame(bytes).catch(() => null) : null;
  if (frame) return frame;
  // Opaque formats skip the request to leave alpha unpremultiplied, which costs a slower path (~18 ms on a 4K photo).
  const options: ImageBitmapOptions = isOpaque(header.format) ? { imageOrientation: 'from-image' } : { imageOrientation: 'from-image', premultiplyAlpha: 'none' };
  try {
    return await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>]), options);
  } catch {
    throw new FaceSwapError('INVALID_FORMAT', `The ${role} image is damaged or in a variant this browser cannot decode.`, role);
  }
}

/** A JPEG's first frame, or null where the decoder read a turn the header did not show (its pixels are not turned). */
async function decodeUprightFrame(bytes: Uint8Array): Promise<VideoFrame | null> {
  const decoder = new ImageDecoder({ data: bytes as Uint8Array<ArrayBuffer>, type: 'image/jpeg' });
  try {
    const frame: TurnedFrame = (await decoder.decode()).image;
    if (!frame.rotation && !frame.flip) return frame;
    frame.close();
    return null;
  } finally {
    decoder.close();
  }
}

const sizeOf = (picture: DecodedPicture) =>
  picture instanceof ImageBitmap ? { width: picture.width, height: picture.height } : { width: picture.displayWidth, height: picture.displayHeight };

/**
 * Reads the pixels of a decoded picture of `format` into a Raster. A decoder's frame, or an opaque bitmap wrapped in
 * one where the browser can (a third faster than drawing it on a canvas and reading that back), is copied out as RGBA
 * into a buffer from `buffers` (every byte of which it writes); pictures with alpha keep the canvas, whose handling of
 * it is the one the decoder was asked for.
 */
export async function pictureToRaster(picture: DecodedPicture, format: ImageFormat, buffers?: BufferPool<ArrayBuffer>): Promise<Raster> {
  const { width, height } = sizeOf(picture);
  if (typeof VideoFrame !== 'undefined' && (picture instanceof VideoFrame || isOpaque(format))) {
    const frame = picture instanceof VideoFrame ? picture : new VideoFrame(picture, { timestamp: 0 });
    // A browser that cannot convert the frame to RGBA falls through to the canvas.
    const data = await copyFrame(frame, width, height, buffers)
      .catch(() => null)
      .finally(() => frame !== picture && frame.close());
    if (data) return { data, width, height };
  }
  const ctx = context2d(width, height);
  ctx.drawImage(picture, 0, 0);
  return { data: ctx.getImageData(0, 0, width, height).data, width, height };
}

async function copyFrame(frame: VideoFrame, width: number, height: number, buffers?: BufferPool<ArrayBuffer>): Promise<Uint8ClampedArray> {
  const bytes = width * height * 4;
  const buffer = buffers ? buffers.take(bytes) : new ArrayBuffer(bytes);
  try {
    const data = new Uint8ClampedArray(buffer);
    await frame.copyTo(data, { format: 'RGBA' });
    return data;
  } catch (error) {
    buffers?.give(buffer);
    throw error;
  }
}

/** A downscaled copy (long side at most `maxSide`) encoded as WebP, for previews. */
export async function thumbnailOf(picture: DecodedPicture, maxSide: number): Promise<Blob> {
  const size = sizeOf(picture);
  const scale = Math.min(1, maxSide / Math.max(size.width, size.height));
  const width = Math.max(1, Math.round(size.width * scale));
  const height = Math.max(1, Math.round(size.height * scale));
  const ctx = context2d(width, height);
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(picture, 0, 0, width, height);
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
