import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { faceBytes } from '../../test/faces.ts';
import { FaceSwapError } from '../engine/errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import { sniffImage } from '../engine/image/sniff.ts';
import { decodeImage, encodeImage } from './codec.ts';

describe('Node codec', () => {
  it('decodes a real photo to RGBA at its full size', async () => {
    const raster = await decodeImage(faceBytes('couple.jpg'), 'target');
    expect([raster.width, raster.height, raster.data.length]).toEqual([2280, 1588, 2280 * 1588 * 4]);
  });

  it('applies EXIF orientation', async () => {
    const rotated = new Uint8Array(await sharp(faceBytes('img22.jpg')).resize(240, 160, { fit: 'fill' }).withMetadata({ orientation: 6 }).jpeg().toBuffer());
    const raster = await decodeImage(rotated, 'source');
    expect([raster.width, raster.height]).toEqual([160, 240]);
  });

  it.each(Object.keys(OUTPUT_FORMATS) as OutputFormat[])('encodes %s at full resolution', async (format) => {
    const raster = await decodeImage(faceBytes('img2.jpg'), 'target');
    const bytes = await encodeImage(raster, format);
    expect(sniffImage(bytes)).toMatchObject({ format: OUTPUT_FORMATS[format].sniffed, width: raster.width, height: raster.height });
  });

  it('reports undecodable bytes with a header that looks right as INVALID_FORMAT', async () => {
    const photo = faceBytes('img1.jpg');
    const scrambled = photo.slice();
    scrambled.fill(0x55, 1000, scrambled.length - 2); // header kept, EOI kept, everything between garbage
    await expect(decodeImage(scrambled, 'source')).rejects.toSatisfy((e: unknown) => e instanceof FaceSwapError && e.code === 'INVALID_FORMAT' && e.image === 'source');
  });
});
