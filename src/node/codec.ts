import sharp from 'sharp';
import { FaceSwapError, type ImageRole } from '../engine/errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import type { Raster } from '../engine/image/raster.ts';
import { sniffImage } from '../engine/image/sniff.ts';
import { validateImageBytes } from '../engine/image/validate.ts';

/** Node's image codec (sharp/libvips), the counterpart of the worker's canvas codec, for the CLI, tests and benches. */

/** Validates from the header, then decodes with EXIF orientation applied. */
export async function decodeImage(bytes: Uint8Array, role: ImageRole): Promise<Raster> {
  validateImageBytes(bytes, role);
  try {
    const { data, info } = await sharp(bytes, { animated: false, limitInputPixels: false }).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength) };
  } catch {
    throw new FaceSwapError('INVALID_FORMAT', `The ${role} image is damaged or could not be decoded.`, role);
  }
}

/** Encodes a Raster at full resolution and checks the bytes are the asked format. */
export async function encodeImage(raster: Raster, format: OutputFormat): Promise<Uint8Array> {
  const meta = OUTPUT_FORMATS[format];
  const quality = Math.round((meta.quality ?? 1) * 100);
  const image = sharp(Buffer.from(raster.data.buffer, raster.data.byteOffset, raster.data.byteLength), {
    raw: { width: raster.width, height: raster.height, channels: 4 },
  });
  const encoded = format === 'png' ? image.png() : format === 'jpg' ? image.flatten().jpeg({ quality }) : image.webp({ quality });
  const bytes = new Uint8Array(await encoded.toBuffer());
  if (sniffImage(bytes)?.format !== meta.sniffed) throw new FaceSwapError('INTERNAL', `Encoding ${meta.label} failed.`);
  return bytes;
}
