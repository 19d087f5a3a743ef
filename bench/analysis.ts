/**
 * Per-stage timings of face analysis (pyramid, detect, mesh, iris, embed) in Node with onnxruntime-node,
 * on a 1080p and a 4K picture made from couple.jpg (2 faces) and selfie-many-people.jpg (7 faces, fewer where its frame no longer cuts them) with sharp.
 * Median of several runs after a warm-up. Run: npx tsx bench/analysis.ts
 */
import sharp from 'sharp';
import { FACES_DIR, loadRaster } from '../test/load-raster.ts';
import { createNodeBackend } from '../src/node/ort-node-backend.ts';
import { analyzeFaces } from '../src/engine/face/analyze.ts';
import type { Raster } from '../src/engine/image/raster.ts';

const RUNS = 5;
const backend = createNodeBackend();

/** A picture of exactly width × height: the photo scaled to cover it, centred. */
async function picture(file: string, width: number, height: number): Promise<Raster> {
  return loadRaster(sharp(`${FACES_DIR}/${file}`).resize(width, height, { fit: 'cover', kernel: 'lanczos3' }));
}

async function bench(label: string, image: Raster): Promise<void> {
  let faces = 0;
  await analyzeFaces(backend, image, 'target');
  const runs: Record<string, number>[] = [];
  for (let r = 0; r < RUNS; r++) {
    const timings: Record<string, number> = {};
    const t0 = performance.now();
    faces = (await analyzeFaces(backend, image, 'target', { timings })).length;
    timings.total = performance.now() - t0;
    runs.push(timings);
  }
  const median = (key: string) => {
    const v = runs.map((t) => t[key] ?? 0).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  const stages = ['pyramid', 'detect', 'mesh', 'iris', 'embed', 'total'];
  console.log(
    `${label.padEnd(34)} ${String(faces).padStart(2)} faces  ` +
      stages.map((s) => `${s} ${median(s).toFixed(0).padStart(4)}`).join('  ') +
      '  ms',
  );
}

console.log(`face analysis, node ${process.versions.node}, onnxruntime-node CPU, median of ${RUNS}`);
for (const [file, w, h] of [
  ['couple.jpg', 1920, 1080],
  ['couple.jpg', 3840, 2160],
  ['selfie-many-people.jpg', 1920, 1080],
  ['selfie-many-people.jpg', 3840, 2160],
] as const) {
  await bench(`${file} ${w}x${h}`, await picture(file, w, h));
}
