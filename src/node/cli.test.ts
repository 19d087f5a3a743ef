import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACES_DIR, hasModels } from '../../test/load-raster.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODELS = hasModels('blazeface', 'facemesh');

interface CliRun {
  code: number;
  lines: string[];
  json: Record<string, unknown>;
}

/** Runs the CLI as a user would (`npx tsx src/node/cli.ts …`); stdout must be exactly one JSON line. */
function cli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'src/node/cli.ts', ...args], { cwd: ROOT, timeout: 60_000 }, (error, stdout) => {
      const lines = stdout.split('\n').filter((line) => line.trim() !== '');
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, lines, json: lines.length === 1 ? JSON.parse(lines[0]) : {} });
    });
  });
}

/** A PNG that is only a header, claiming `width` x `height` pixels. */
function pngHeader(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(17);
  ihdr.write('IHDR', 0, 'ascii');
  ihdr.writeUInt32BE(width, 4);
  ihdr.writeUInt32BE(height, 8);
  ihdr.set([8, 6, 0, 0, 0], 12);
  const chunk = Buffer.alloc(25);
  chunk.writeUInt32BE(13, 0);
  ihdr.copy(chunk, 4);
  chunk.writeUInt32BE(crc32(ihdr), 21);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk]);
}

describe.skipIf(!MODELS).concurrent('the swap CLI', () => {
  let dir: string;
  const face = (name: string) => `${FACES_DIR}/${name}`;
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'faceswap-cli-'));
    await writeFile(file('notes.txt'), 'not a picture\n');
    await writeFile(file('huge.png'), pngHeader(100_000, 100_000));
    // The office windows behind the face in img22.jpg: no face anywhere.
    await sharp(face('img22.jpg')).extract({ left: 0, top: 0, width: 360, height: 300 }).png().toFile(file('windows.png'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['png', [0x89, 0x50, 0x4e, 0x47]],
    ['jpg', [0xff, 0xd8, 0xff]],
  ] as const)('swaps and writes a %s, reporting one JSON line with the seed fields', async (format, magic) => {
    const out = file(`result.${format}`);
    const run = await cli('--source', face('img22.jpg'), '--target', face('img29.jpg'), '--out', out);
    expect(run.code).toBe(0);
    expect(run.lines).toHaveLength(1);
    expect(run.json).toMatchObject({ success: true, output_path: out, output_format: format, resolution: '600x800', faces_detected: 1, faces_swapped: [0] });
    expect(run.json.job_id).toMatch(/^job_[0-9a-z]{12}$/);
    expect(run.json.processing_time).toBeGreaterThanOrEqual(0);
    // img22's face (about 320 px across) onto img29's (about 240 px): shrunk, not enlarged.
    expect(run.json.source_enlargement).toBeCloseTo(0.75, 1);
    // Its hair falls over its right temple.
    expect(run.json.source_hair_cover).toBeGreaterThan(0.05);
    expect(run.json.source_hair_cover).toBeLessThan(0.15);
    expect([...(await readFile(out)).subarray(0, magic.length)]).toEqual([...magic]);
  });

  it.each([
    ['INVALID_FORMAT', 'a text file as the source', 'source', () => ['--source', file('notes.txt'), '--target', face('img29.jpg')]],
    ['NO_FACE_DETECTED', 'a source without a face', 'source', () => ['--source', file('windows.png'), '--target', face('img29.jpg')]],
    ['FACE_INDEX_OUT_OF_RANGE', 'a face_index the target lacks', 'target', () => ['--source', face('img22.jpg'), '--target', face('img29.jpg'), '--face-index', '3']],
    ['IMAGE_TOO_LARGE', 'a target claiming 100000 x 100000 pixels', 'target', () => ['--source', face('img22.jpg'), '--target', file('huge.png')]],
  ] as const)('reports %s for %s, naming the %s image, and exits 1', async (code, _what, image, args) => {
    const run = await cli(...args(), '--out', file(`${code}.png`));
    expect(run.code).toBe(1);
    expect(run.lines).toHaveLength(1);
    expect(run.json).toMatchObject({ success: false, error: code, image });
    expect(typeof run.json.message).toBe('string');
  });

  it("keeps the target's beard with --keep-beard (img13 -> img16)", async () => {
    const runs = await Promise.all(['', '--keep-beard'].map((flag) => cli('--source', face('img13.jpg'), '--target', face('img16.jpg'), '--out', file(`beard${flag}.png`), ...(flag ? [flag] : []))));
    expect(runs.map((run) => run.code)).toEqual([0, 0]);
    // The mean luma over the beard between the mouth corners and the chin: img13's pale skin, or the beard itself.
    const region = { left: 340, top: 288, width: 80, height: 30 };
    const meanLuma = async (path: string) => {
      const lumas = await sharp(path).extract(region).greyscale().raw().toBuffer();
      return lumas.reduce((sum, v) => sum + v, 0) / lumas.length;
    };
    const [beard, replaced, kept] = await Promise.all([face('img16.jpg'), file('beard.png'), file('beard--keep-beard.png')].map(meanLuma));
    expect(Math.abs(kept - beard)).toBeLessThan(10);
    expect(replaced - beard).toBeGreaterThan(20);
  });

  it('reports INVALID_ARGUMENT for a usage error and exits 2', async () => {
    for (const args of [['--source', face('img22.jpg'), '--target', face('img29.jpg')], ['--source', 'a', '--target', 'b', '--out', 'c.png', '--quality', 'ultra']]) {
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.json).toMatchObject({ success: false, error: 'INVALID_ARGUMENT' });
    }
  });
});
