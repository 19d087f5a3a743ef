/**
 * Reads an image's format and pixel dimensions from its first bytes, before any decode,
 * so oversized pictures (decompression bombs included) are refused without allocating their pixels.
 */

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'bmp' | 'avif' | 'heic' | 'svg';

export interface ImageHeader {
  format: ImageFormat;
  /** Dimensions as stored; null when the header is cut short before them. */
  width: number | null;
  height: number | null;
  /** EXIF orientation (1–8) for JPEG; 1 when absent. Orientations 5–8 swap width and height on display. */
  orientation: number;
}

const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const u16be = (b: Uint8Array, at: number) => (b[at] << 8) | b[at + 1];
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) >>> 0) + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
const u16le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8);
const u24le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16);
const i32le = (b: Uint8Array, at: number) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

/** Identifies the image in `bytes`, or returns null when it is no format we know. */
export function sniffImage(bytes: Uint8Array): ImageHeader | null {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return png(b);
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return webp(b);
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) {
    return header('gif', b.length >= 10 ? u16le(b, 6) : null, b.length >= 10 ? u16le(b, 8) : null);
  }
  if (b.length >= 2 && ascii(b, 0, 2) === 'BM') {
    // BITMAPINFOHEADER: height is negative for top-down rows.
    return b.length >= 26 ? header('bmp', Math.abs(i32le(b, 18)), Math.abs(i32le(b, 22))) : header('bmp', null, null);
  }
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') return isoMedia(b);
  if (looksLikeSvg(b)) return header('svg', null, null);
  return null;
}

/**
 * Whether a PNG or JPEG file reaches its end marker (IEND; EOI after the scan data).
 * Browsers render truncated files as partly grey pictures instead of failing, so this is checked up front.
 */
export function isTruncated(bytes: Uint8Array, format: ImageFormat): boolean {
  if (format === 'png') return !ascii(bytes, Math.max(0, bytes.length - 64), 64).includes('IEND');
  if (format !== 'jpeg') return false;
  const scan = startOfScan(bytes);
  if (scan < 0) return true;
  // In entropy-coded data 0xFF is always stuffed or a restart marker, so FF D9 after the scan start is the real end.
  for (let at = bytes.length - 2; at > scan; at--) if (bytes[at] === 0xff && bytes[at + 1] === 0xd9) return false;
  return true;
}

function startOfScan(b: Uint8Array): number {
  let at = 2;
  while (at + 4 <= b.length && b[at] === 0xff) {
    const marker = b[at + 1];
    if (marker === 0xda) return at;
    if (marker === 0xff) at += 1;
    else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) at += 2;
    else at += 2 + u16be(b, at + 2);
  }
  return -1;
}

function header(format: ImageFormat, width: number | null, height: number | null, orientation = 1): ImageHeader {
  return { format, width, height, orientation };
}

function png(b: Uint8Array): ImageHeader {
  // The IHDR chunk is always first: length(4) 'IHDR'(4) width(4) height(4).
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return header('png', null, null);
  return header('png', u32be(b, 16), u32be(b, 20));
}

function jpeg(b: Uint8Array): ImageHeader {
  let orientation = 1;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return header('jpeg', null, null, orientation);
    const marker = b[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // markers without a length
      continue;
    }
    const length = u16be(b, at + 2);
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame) {
      if (at + 9 > b.length) break;
      return header('jpeg', u16be(b, at + 7), u16be(b, at + 5), orientation);
    }
    if (marker === 0xe1 && ascii(b, at + 4, 4) === 'Exif') orientation = exifOrientation(b, at + 10, at + 2 + length) ?? orientation;
    if (marker === 0xda || marker === 0xd9) break; // scan data or end before any frame header
    at += 2 + length;
  }
  return header('jpeg', null, null, orientation);
}

function exifOrientation(b: Uint8Array, tiff: number, end: number): number | null {
  if (tiff + 8 > Math.min(end, b.length)) return null;
  const little = ascii(b, tiff, 2) === 'II';
  const u16 = (at: number) => (little ? u16le(b, at) : u16be(b, at));
  const u32 = (at: number) => (little ? (u16le(b, at) | (u16le(b, at + 2) << 16)) >>> 0 : u32be(b, at));
  const ifd = tiff + u32(tiff + 4);
  if (ifd + 2 > b.length) return null;
  const entries = u16(ifd);
  for (let i = 0; i < entries; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > b.length) return null;
    if (u16(entry) === 0x0112) {
      const value = u16(entry + 8);
      return value >= 1 && value <= 8 ? value : null;
    }
  }
  return null;
}

function webp(b: Uint8Array): ImageHeader {
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8X' && b.length >= 30) return header('webp', u24le(b, 24) + 1, u24le(b, 27) + 1);
  if (chunk === 'VP8 ' && b.length >= 30) return header('webp', u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  if (chunk === 'VP8L' && b.length >= 25) {
    const bits = (b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24)) >>> 0;
    return header('webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  return header('webp', null, null);
}

/** ISO base media files (AVIF, HEIC): the brand names the format; the 'ispe' property holds the size. */
function isoMedia(b: Uint8Array): ImageHeader | null {
  const boxEnd = Math.min(u32be(b, 0), b.length);
  const brands = [ascii(b, 8, 4)];
  for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(ascii(b, at, 4));
  const format: ImageFormat | null = brands.some((x) => x === 'avif' || x === 'avis')
    ? 'avif'
    : brands.some((x) => ['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1'].includes(x))
      ? 'heic'
      : null;
  if (!format) return null;
  const limit = Math.min(b.length, 1 << 16) - 20;
  for (let at = 0; at < limit; at++) {
    if (b[at] === 0x69 && ascii(b, at, 4) === 'ispe') return header(format, u32be(b, at + 8), u32be(b, at + 12));
  }
  return header(format, null, null);
}

function looksLikeSvg(b: Uint8Array): boolean {
  const text = new TextDecoder().decode(b.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  return text.startsWith('<svg') || ((text.startsWith('<?xml') || text.startsWith('<!doctype svg')) && text.includes('<svg'));
}
