import { FaceSwapError, type ImageRole } from '../errors.ts';
import { MAX_FILE_BYTES, MAX_PIXELS, MAX_SIDE } from './limits.ts';
import { isTruncated, sniffImage, type ImageFormat, type ImageHeader } from './sniff.ts';

/** Formats the app decodes. HEIC (no browser decoder we can rely on) and SVG (never rendered: scripts, remote refs) are refused. */
export const DECODABLE_FORMATS: readonly ImageFormat[] = ['png', 'jpeg', 'webp', 'gif', 'bmp', 'avif'];

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const label = (role: ImageRole) => `The ${role} image`;

/** Refuses a file over the size limit, before its bytes are read. */
export function checkFileSize(byteLength: number, role: ImageRole): void {
  if (byteLength > MAX_FILE_BYTES) {
    throw new FaceSwapError('IMAGE_TOO_LARGE', `${label(role)} is ${megabytes(byteLength)}; the limit is ${megabytes(MAX_FILE_BYTES)}.`, role);
  }
}

/**
 * Checks an encoded image from its header alone: a known, decodable format within the size and pixel limits.
 * Throws a coded FaceSwapError naming the image otherwise.
 */
export function validateImageBytes(bytes: Uint8Array, role: ImageRole): ImageHeader & { format: ImageFormat } {
  checkFileSize(bytes.byteLength, role);
  if (bytes.byteLength === 0) throw new FaceSwapError('INVALID_FORMAT', `${label(role)} is an empty file.`, role);
  const header = sniffImage(bytes);
  if (!header) throw new FaceSwapError('INVALID_FORMAT', `${label(role)} is not a PNG, JPEG, WebP, AVIF, GIF or BMP picture.`, role);
  if (header.format === 'svg') throw new FaceSwapError('INVALID_FORMAT', `${label(role)} is an SVG drawing; use a photo (PNG, JPEG, WebP…).`, role);
  if (header.format === 'heic') throw new FaceSwapError('INVALID_FORMAT', `${label(role)} is HEIC, which browsers cannot decode; export it as JPEG first.`, role);
  if (header.width === null || header.height === null) {
    throw new FaceSwapError('INVALID_FORMAT', `${label(role)} is damaged: its ${header.format.toUpperCase()} header is incomplete.`, role);
  }
  if (header.width === 0 || header.height === 0) throw new FaceSwapError('INVALID_FORMAT', `${label(role)} has no pixels.`, role);
  if (header.width * header.height > MAX_PIXELS || Math.max(header.width, header.height) > MAX_SIDE) {
    throw new FaceSwapError(
      'IMAGE_TOO_LARGE',
      `${label(role)} is ${header.width}×${header.height} pixels; the limit is ${MAX_PIXELS / 1e6} megapixels and ${MAX_SIDE} px a side.`,
      role,
    );
  }
  if (isTruncated(bytes, header.format)) {
    throw new FaceSwapError('INVALID_FORMAT', `${label(role)} is damaged: the ${header.format.toUpperCase()} file is cut short.`, role);
  }
  return header;
}
