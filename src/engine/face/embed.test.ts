import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FACES_DIR, hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces } from './analyze.ts';
import { alignment, ARCFACE_TEMPLATE, cosineSimilarity, DEFAULT_EMBEDDER, embedFace, FACERES, l2Normalize, type Embedder } from './embed.ts';
import { applyAffine } from './affine.ts';
import { buildPyramid } from './pyramid.ts';

describe('embedding helpers', () => {
  it('normalises and compares', () => {
    const a = l2Normalize(Float32Array.from([3, 4]));
    expect(Array.from(a)).toEqual([expect.closeTo(0.6, 6), expect.closeTo(0.8, 6)]);
    expect(cosineSimilarity(a, Float32Array.from([6, 8]))).toBeCloseTo(1, 6);
    expect(cosineSimilarity(a, Float32Array.from([-4, 3]))).toBeCloseTo(0, 6);
  });

  it('aligns landmarks onto the template scaled to the model input', () => {
    const m = alignment(ARCFACE_TEMPLATE.map((v) => v * 3 + 10), FACERES);
    const [x, y] = applyAffine(m, ARCFACE_TEMPLATE[0] * 3 + 10, ARCFACE_TEMPLATE[1] * 3 + 10);
    expect(x).toBeCloseTo(ARCFACE_TEMPLATE[0] * 2, 4);
    expect(y).toBeCloseTo(ARCFACE_TEMPLATE[1] * 2, 4);
  });
});

const pairs = readFileSync(`${FACES_DIR}/pairs.csv`, 'utf8')
  .trim()
  .split(/\r?\n/)
  .slice(1)
  .map((line) => line.trim().split(','))
  .map(([a, b, decision]) => ({ a, b, same: decision === 'Yes' }));

/** Accuracy at the best threshold, and that threshold, over the labelled pairs. */
function verification(embeddings: Map<string, Float32Array>): { accuracy: number; threshold: number } {
  const scored = pairs.map((p) => ({ s: cosineSimilarity(embeddings.get(p.a)!, embeddings.get(p.b)!), same: p.same }));
  let best = { accuracy: 0, threshold: 0 };
  for (const { s: threshold } of scored) {
    const accuracy = scored.filter((x) => x.s >= threshold === x.same).length / scored.length;
    if (accuracy > best.accuracy) best = { accuracy, threshold };
  }
  return best;
}

describe.skipIf(!hasModels('blazeface', 'facemesh', 'iris', 'faceres'))('verification on pairs.csv', () => {
  it(`reaches at least 95 % with the default recogniser (${DEFAULT_EMBEDDER.model})`, async () => {
    const backend = createNodeBackend();
    const files = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
    const results = new Map<Embedder, Map<string, Float32Array>>([[FACERES, new Map()]]);
    for (const file of files) {
      const image = await loadRaster(file);
      const [face] = (await analyzeFaces(backend, image, 'source', { skipEmbedding: true })).sort((x, y) => y.box.width - x.box.width);
      const pyramid = buildPyramid(image);
      for (const [embedder, map] of results) map.set(file, await embedFace(backend, pyramid, face.landmarks5, embedder));
    }
    const report: string[] = [];
    for (const [embedder, map] of results) {
      const { accuracy, threshold } = verification(map);
      report.push(`${embedder.model}: ${(100 * accuracy).toFixed(1)} % at cosine ≥ ${threshold.toFixed(4)}`);
      if (embedder === DEFAULT_EMBEDDER) expect(accuracy).toBeGreaterThanOrEqual(0.95);
    }
    const baseline = pairs.filter((p) => !p.same).length / pairs.length;
    console.log(
      `verification accuracy over ${pairs.length} pairs (${pairs.filter((p) => p.same).length} same; ` +
        `answering "different" every time scores ${(100 * baseline).toFixed(1)} %):\n  ${report.join('\n  ')}`,
    );
  }, 180_000);
});
