/**
 * Faces cut by the picture's frame: 20 single-face test photos, each cropped so that 30, 45 or 60 % of its face (the
 * mesh's bounds) lies past one edge, analysed as a swap analyses a target. Prints per edge and share how many are found
 * (a face holding the middle of what shows), naming the misses, and any crop with more than one face.
 * Run: npx tsx bench/cut-faces.ts
 */
import { analyzeFaces } from '../src/engine/face/analyze.ts';
import { SWAP_ANALYSIS } from '../src/engine/swap-job.ts';
import { createNodeBackend } from '../src/node/ort-node-backend.ts';
import { contains, cutPhoto, type Edge } from '../test/cut-photo.ts';

const backend = createNodeBackend();
const PHOTOS = [1, 3, 8, 13, 16, 18, 20, 22, 24, 26, 29, 30, 34, 38, 44, 46, 50, 55, 59, 62].map((n) => `img${n}.jpg`);
const EDGES: Edge[] = ['left', 'right', 'top', 'bottom'];
const SHARES = [0.3, 0.45, 0.6];

let total = 0;
const extra: string[] = [];
for (const edge of EDGES) {
  for (const share of SHARES) {
    const misses: string[] = [];
    for (const name of PHOTOS) {
      const { image, shown } = await cutPhoto(backend, name, edge, share);
      const faces = await analyzeFaces(backend, image, 'target', { ...SWAP_ANALYSIS, skipEmbedding: true, iris: false }).catch(() => []);
      if (!faces.some((face) => contains(face, shown))) misses.push(name);
      if (faces.length > 1) extra.push(`${name} ${edge} ${share}: ${faces.length} faces`);
    }
    total += PHOTOS.length - misses.length;
    console.log(`${edge.padEnd(6)} ${String(share * 100).padStart(2)} % cut: found ${PHOTOS.length - misses.length}/${PHOTOS.length}${misses.length ? `   missed ${misses.join(', ')}` : ''}`);
  }
}
console.log(`SUMMARY found ${total}/${PHOTOS.length * EDGES.length * SHARES.length}${extra.length ? `   more than one face: ${extra.join('; ')}` : ''}`);
