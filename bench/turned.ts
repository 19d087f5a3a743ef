/**
 * Photos turned as a phone can leave them: each single-face test photo (img*.jpg) turned by 0, 90, 180 and 270
 * degrees, analysed as a swap analyses a target. Prints per turn how many come out with the largest face's roll within
 * 30 degrees of the turn (the swap then fits the face the right way up), how many the wrong way, and how many with
 * no face, naming those; and the detector and mesh runs it took. Run: npx tsx bench/turned.ts
 */
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { analyzeFaces } from '../src/engine/face/analyze.ts';
import type { InferenceBackend } from '../src/engine/inference.ts';
import { SWAP_ANALYSIS } from '../src/engine/swap-job.ts';
import { createNodeBackend } from '../src/node/ort-node-backend.ts';
import { FACES_DIR, loadRaster } from '../test/load-raster.ts';
import { degreesApart } from '../test/shapes.ts';

const backend = createNodeBackend();
const runs: Record<string, number> = {};
const counting: InferenceBackend = { ...backend, run: (model, input) => ((runs[model] = (runs[model] ?? 0) + 1), backend.run(model, input)) };
const files = readdirSync(FACES_DIR).filter((f) => /^img\d+\.jpg$/.test(f)).sort((a, b) => parseInt(a.slice(3)) - parseInt(b.slice(3)));

for (const turn of [0, 90, 180, 270]) {
  for (const model of Object.keys(runs)) delete runs[model];
  const tally = { right: 0, wrong: [] as string[], none: [] as string[] };
  for (const file of files) {
    const image = await loadRaster(sharp(`${FACES_DIR}/${file}`).rotate(turn));
    const faces = await analyzeFaces(counting, image, 'target', SWAP_ANALYSIS).catch(() => []);
    if (!faces.length) {
      tally.none.push(file);
      continue;
    }
    const largest = faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));
    const off = degreesApart(largest.rollDegrees, turn);
    if (off < 30) tally.right++;
    else tally.wrong.push(`${file} (roll ${largest.rollDegrees.toFixed(0)})`);
  }
  console.log(`turned ${String(turn).padStart(3)}: right way up ${tally.right}/${files.length}, wrong ${tally.wrong.length}, no face ${tally.none.length}   runs ${JSON.stringify(runs)}`);
  if (tally.wrong.length) console.log(`  wrong: ${tally.wrong.join(', ')}`);
  if (tally.none.length) console.log(`  no face: ${tally.none.join(', ')}`);
}
