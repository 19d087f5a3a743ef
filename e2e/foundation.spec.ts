import { readFileSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { expect, face, faceBase64, openApp, test } from './fixtures.ts';

test('the app loads cross-origin isolated, shows its engine, and logs no errors', async ({ page, consoleErrors }) => {
  await openApp(page);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  await expect(page.getByRole('heading', { name: 'Face Swap Studio' })).toBeVisible();
  await expect(page.getByText(/only swap faces of people who have agreed/i)).toBeVisible();
  const engine = page.getByRole('status', { name: 'Engine' });
  await expect(engine).toHaveText(/Engine: (WebGPU|WASM, \d+ threads?)/);
  expect(consoleErrors).toEqual([]);
});

test('the engine loads the onnxruntime-web build its backend runs: on WASM the plain one, not the asyncify one WebGPU needs', async ({ page }) => {
  const wasmFiles: string[] = [];
  page.on('request', (request) => {
    if (request.url().endsWith('.wasm')) wasmFiles.push(new URL(request.url()).pathname);
  });
  await openApp(page);
  const backend = await page.getByRole('status', { name: 'Engine' }).getAttribute('data-backend');
  // Analysing a face creates the sessions, hence the runtime's wasm.
  const faces = await page.evaluate((base64) => window.faceSwap!.createFaceSwap().analyze(`data:image/jpeg;base64,${base64}`), faceBase64('img1.jpg'));
  expect(faces).toHaveLength(1);
  expect(wasmFiles).toHaveLength(1);
  // The plain build starts in half the time and runs faster on the CPU (README, "Browser support").
  expect(wasmFiles[0]).toMatch(backend === 'webgpu' ? /\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/ : /\/ort-wasm-simd-threaded-[\w-]+\.wasm$/);
});

test('source and target chosen through the file inputs are decoded in the worker', async ({ page, consoleErrors }) => {
  await openApp(page);
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img1.jpg'));
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('couple.jpg'));
  await expect(page.getByTestId('source-size')).toHaveText('1382×1868');
  await expect(page.getByTestId('target-size')).toHaveText('2280×1588');
  const preview = page.getByAltText('Target image preview');
  await expect(preview).toBeVisible();
  // Shown is not yet loaded: the preview's bytes are still being decoded while the worker analyses the pictures.
  await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(512);
  expect(consoleErrors).toEqual([]);
});

test('EXIF orientation is applied when decoding', async ({ page }, testInfo) => {
  // img22.jpg rotated by its EXIF tag only: the stored pixels stay as they are, the tag says "rotate 90°".
  const jpeg = readFileSync(face('img22.jpg'));
  const rotated = withExifOrientation(jpeg, 6);
  const path = testInfo.outputPath('rotated.jpg');
  writeFileSync(path, rotated);
  await openApp(page);
  await page.getByLabel('Target image', { exact: true }).setInputFiles(path);
  const { width, height } = jpegSize(jpeg);
  await expect(page.getByTestId('target-size')).toHaveText(`${height}×${width}`);
});

test('decoded pixels are the picture\'s own, for JPEGs of every layout and a PNG with transparency', async ({ page }) => {
  // Upright JPEGs are read out of WebCodecs' decoder, in the planes it decoded them to (4:2:0, 4:4:4, grey, CMYK),
  // other pictures through a canvas: all must give the same RGBA layout. Odd sizes: the planes are padded to even ones.
  const crop = sharp(face('img1.jpg')).extract({ left: 500, top: 600, width: 241, height: 181 });
  const jpegs = await Promise.all([
    crop.clone().jpeg({ quality: 95 }).toBuffer(),
    crop.clone().jpeg({ quality: 95, chromaSubsampling: '4:4:4' }).toBuffer(),
    crop.clone().grayscale().jpeg({ quality: 95 }).toBuffer(),
  ]);
  const cmyk = await crop.clone().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
  const alpha = Buffer.alloc(241 * 181, 255);
  for (let y = 0; y < 181; y++) for (let x = 0; x < 60; x++) alpha[y * 241 + x] = x * 4;
  const png = await crop.clone().ensureAlpha().joinChannel(alpha, { raw: { width: 241, height: 181, channels: 1 } }).png().toBuffer();
  await openApp(page);
  const inputs = [...jpegs, cmyk].map((b) => [b.toString('base64'), 'image/jpeg']).concat([[png.toString('base64'), 'image/png']]);
  const decoded = await page.evaluate(async (inputs) => {
    const client = window.faceSwap!.createFaceSwap();
    const out: { stored: string; browser: string }[] = [];
    const base64Of = (bytes: Uint8Array) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    for (const [base64, type] of inputs) {
      const blob = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type });
      await client.setImage('target', blob);
      const stored = new Uint8Array(await (await client.encode('target', 'png')).arrayBuffer());
      // The page's own decode, drawn on a canvas, as the browser shows the picture.
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
      const browser = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      out.push({ stored: base64Of(stored), browser: base64Of(browser) });
    }
    return out;
  }, inputs);
  const rgba = (input: Buffer) => sharp(input).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const meanDifference = async (picture: Buffer, reference: Buffer) => {
    const [out, ref] = await Promise.all([rgba(picture), rgba(reference)]);
    expect([out.info.width, out.info.height]).toEqual([ref.info.width, ref.info.height]);
    let sum = 0;
    for (let i = 0; i < ref.data.length; i++) sum += Math.abs(out.data[i] - ref.data[i]);
    return sum / ref.data.length;
  };
  // Two JPEG decoders (or chroma upsamplings) may round differently; a swapped channel, a shifted row or a flipped
  // picture is off by far more.
  for (const [i, jpeg] of jpegs.entries()) expect(await meanDifference(Buffer.from(decoded[i].stored, 'base64'), jpeg)).toBeLessThan(1.5);
  // CMYK has no one conversion to RGB: the stored pixels are the browser's own.
  expect(await meanDifference(Buffer.from(decoded[3].stored, 'base64'), Buffer.from(decoded[3].browser, 'base64'))).toBeLessThan(1);
  // The PNG: alpha kept everywhere, opaque pixels exact.
  const [pngOut, pngRef] = await Promise.all([rgba(Buffer.from(decoded[4].stored, 'base64')), rgba(png)]);
  let alphaWrong = 0, colourWrong = 0;
  for (let p = 0; p < pngRef.data.length; p += 4) {
    if (pngOut.data[p + 3] !== pngRef.data[p + 3]) alphaWrong++;
    if (pngRef.data[p + 3] === 255 && (pngOut.data[p] !== pngRef.data[p] || pngOut.data[p + 1] !== pngRef.data[p + 1] || pngOut.data[p + 2] !== pngRef.data[p + 2])) colourWrong++;
  }
  expect({ alphaWrong, colourWrong }).toEqual({ alphaWrong: 0, colourWrong: 0 });
});

test('each bad input shows its code next to the right image, and the app stays usable', async ({ page }, testInfo) => {
  await openApp(page);
  const target = page.getByLabel('Target image', { exact: true });
  const source = page.getByLabel('Source image', { exact: true });
  const targetError = page.getByTestId('target-error');
  const sourceError = page.getByTestId('source-error');

  // A first, valid target: it must survive every failure below.
  await target.setInputFiles(face('img2.jpg'));
  await expect(page.getByTestId('target-size')).toBeVisible();
  const validSize = await page.getByTestId('target-size').textContent();

  const jpeg = readFileSync(face('img1.jpg'));
  const big = testInfo.outputPath('huge.jpg');
  writeFileSync(big, Buffer.concat([jpeg, Buffer.alloc(51 * 1024 * 1024 - jpeg.length)]));

  const cases: { name: string; file: string | { name: string; mimeType: string; buffer: Buffer }; code: string }[] = [
    { name: 'zero-byte file', file: { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) }, code: 'INVALID_FORMAT' },
    { name: 'text named .jpg', file: { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('These are not the pixels you are looking for.\n') }, code: 'INVALID_FORMAT' },
    { name: 'truncated JPEG', file: { name: 'cut.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, Math.floor(jpeg.length / 2)) }, code: 'INVALID_FORMAT' },
    { name: 'SVG', file: { name: 'face.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>') }, code: 'INVALID_FORMAT' },
    { name: '51 MB file', file: big, code: 'IMAGE_TOO_LARGE' },
    { name: 'PNG claiming 100000×100000', file: { name: 'bomb.png', mimeType: 'image/png', buffer: pngHeader(100_000, 100_000) }, code: 'IMAGE_TOO_LARGE' },
  ];
  for (const { name, file, code } of cases) {
    await test.step(name, async () => {
      await target.setInputFiles(file);
      await expect(targetError).toHaveAttribute('data-code', code);
      await expect(sourceError).toHaveCount(0);
      await expect(page.getByTestId('target-size')).toHaveText(validSize!);
    });
  }

  // The same on the other image, then valid input on both: the app is still usable.
  await source.setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('hello') });
  await expect(sourceError).toHaveAttribute('data-code', 'INVALID_FORMAT');
  await expect(sourceError).toContainText('source image');
  await source.setInputFiles(face('img3.jpg'));
  await expect(sourceError).toHaveCount(0);
  await expect(page.getByTestId('source-size')).toBeVisible();
  await target.setInputFiles(face('img5.jpg'));
  await expect(targetError).toHaveCount(0);
  await expect(page.getByTestId('target-size')).not.toHaveText(validSize!);
});

test('a data URL, bare base64 and an unreachable URL are read in the worker', async ({ page }) => {
  await openApp(page);
  const base64 = faceBase64('img12.jpg');
  const address = page.getByLabel('Source face: image URL or base64');
  await address.fill(`data:image/jpeg;base64,${base64}`);
  await page.getByRole('button', { name: 'Load source face' }).click();
  await expect(page.getByTestId('source-size')).toBeVisible();

  const targetAddress = page.getByLabel('Target image: image URL or base64');
  await targetAddress.fill(base64);
  await page.getByRole('button', { name: 'Load target image' }).click();
  await expect(page.getByTestId('target-size')).toHaveText((await page.getByTestId('source-size').textContent())!);

  await targetAddress.fill('http://127.0.0.1:9/missing.jpg');
  await page.getByRole('button', { name: 'Load target image' }).click();
  await expect(page.getByTestId('target-error')).toHaveAttribute('data-code', 'FETCH_FAILED');
});

test('the engine can encode PNG, JPG and WebP in this browser', async ({ page }) => {
  await openApp(page);
  // The worker checks each encoder on its real output bytes at start-up.
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-formats', 'png jpg webp');
});

/** A PNG that is only a signature and an IHDR chunk declaring the given size. */
function pngHeader(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const type = Buffer.from('IHDR');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(13);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, ihdr])));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), length, type, ihdr, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Inserts an APP1 Exif segment holding only an orientation tag right after the SOI marker. */
function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0'), tiff]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}

function jpegSize(jpeg: Buffer): { width: number; height: number } {
  let at = 2;
  while (at < jpeg.length) {
    const marker = jpeg[at + 1];
    if (marker >= 0xc0 && marker <= 0xc3) return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    at += 2 + jpeg.readUInt16BE(at + 2);
  }
  throw new Error('no frame header');
}
