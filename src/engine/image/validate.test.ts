import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { faceBytes } from '../../../test/faces.ts';
import { FaceSwapError } from '../errors.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { sniffImage } from './sniff.ts';
import { validateImageBytes } from './validate.ts';

const photo = faceBytes('img1.jpg');
const reencode = async (format: 'png' | 'webp' | 'gif' | 'avif') => new Uint8Array(await sharp(photo).resize(300)[format]().toBuffer());

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (caught) {
    expect(caught).toBeInstanceOf(FaceSwapError);
    return `${(caught as FaceSwapError).code}/${(caught as FaceSwapError).image}`;
  }
  return 'no error';
}

describe('sniffImage', () => {
  it('reads a real JPEG size from its header', () => {
    expect(sniffImage(photo)).toMatchObject({ format: 'jpeg', width: 1382, height: 1868, orientation: 1 });
  });

  it.each(['png', 'webp', 'gif', 'avif'] as const)('reads %s written by libvips', async (format) => {
    const bytes = await reencode(format);
    const { height } = await sharp(bytes).metadata();
    expect(sniffImage(bytes)).toMatchObject({ format, width: 300, height });
  });

  it('reads BMP, lossless WebP and the EXIF orientation of JPEG', async () => {
    const bmp = new Uint8Array(54);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 640, true);
    new DataView(bmp.buffer).setInt32(22, -480, true);
    expect(sniffImage(bmp)).toMatchObject({ format: 'bmp', width: 640, height: 480 });
    const lossless = new Uint8Array(await sharp(photo).resize(123, 77).webp({ lossless: true }).toBuffer());
    expect(sniffImage(lossless)).toMatchObject({ format: 'webp', width: 123, height: 77 });
    const rotated = new Uint8Array(await sharp(photo).resize(200).withMetadata({ orientation: 6 }).jpeg().toBuffer());
    expect(sniffImage(rotated)?.orientation).toBe(6);
  });

  it('recognises SVG and HEIC, and nothing in plain text', () => {
    expect(sniffImage(new TextEncoder().encode('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))?.format).toBe('svg');
    const heic = new Uint8Array(32);
    heic.set([0, 0, 0, 24], 0);
    heic.set(new TextEncoder().encode('ftypheic\0\0\0\0mif1heic'), 4);
    expect(sniffImage(heic)?.format).toBe('heic');
    expect(sniffImage(new TextEncoder().encode('hello, world'))).toBeNull();
  });
});

describe('validateImageBytes', () => {
  it('accepts real photos', () => {
    for (const name of ['img1.jpg', 'couple.jpg', 'selfie-many-people.jpg']) expect(validateImageBytes(faceBytes(name), 'target').format).toBe('jpeg');
  });

  it('refuses empty, foreign, truncated, SVG and HEIC input as INVALID_FORMAT for the right image', () => {
    expect(codeOf(() => validateImageBytes(new Uint8Array(0), 'source'))).toBe('INVALID_FORMAT/source');
    expect(codeOf(() => validateImageBytes(new TextEncoder().encode('not a picture'), 'target'))).toBe('INVALID_FORMAT/target');
    expect(codeOf(() => validateImageBytes(photo.subarray(0, photo.length >> 1), 'target'))).toBe('INVALID_FORMAT/target');
    expect(codeOf(() => validateImageBytes(photo.subarray(0, 100), 'source'))).toBe('INVALID_FORMAT/source');
    expect(codeOf(() => validateImageBytes(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'source'))).toBe('INVALID_FORMAT/source');
  });

  it('refuses a truncated PNG', async () => {
    const png = await reencode('png');
    expect(codeOf(() => validateImageBytes(png, 'target'))).toBe('no error');
    expect(codeOf(() => validateImageBytes(png.subarray(0, png.length - 100), 'target'))).toBe('INVALID_FORMAT/target');
  });

  it('refuses oversized files and pixel bombs as IMAGE_TOO_LARGE from the header alone', async () => {
    const big = new Uint8Array(MAX_FILE_BYTES + 1);
    big.set(photo);
    expect(codeOf(() => validateImageBytes(big, 'target'))).toBe('IMAGE_TOO_LARGE/target');
    // A real PNG whose IHDR is rewritten to claim 100000×100000: refused without decoding.
    const bomb = (await reencode('png')).slice();
    new DataView(bomb.buffer).setUint32(16, 100_000);
    new DataView(bomb.buffer).setUint32(20, 100_000);
    expect(codeOf(() => validateImageBytes(bomb, 'source'))).toBe('IMAGE_TOO_LARGE/source');
  });
});
