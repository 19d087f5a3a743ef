import { beforeAll, describe, expect, it } from 'vitest';
import { hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces, type Face } from '../face/analyze.ts';
import { halvedCrop } from '../face/pyramid.ts';
import type { InferenceBackend } from '../inference.ts';
import type { Raster } from '../image/raster.ts';
import { SWAP_ANALYSIS } from '../swap-job.ts';
import { sourceFootprint, swapFace } from './face-swap.ts';
import { FACE_OVAL } from '../face/regions.ts';
import { meanFacePicture, warmUpSwap } from './warm-up.ts';

const MODELS = hasModels('blazeface', 'facemesh', 'iris');

describe.skipIf(!MODELS)('warmUpSwap', () => {
  let backend: InferenceBackend;
  const face = async (image: Raster): Promise<Face> => {
    const faces = await analyzeFaces(backend, image, 'source', { ...SWAP_ANALYSIS, largestOnly: true });
    return faces[0];
  };

  beforeAll(() => {
    backend = createNodeBackend();
  });

  it("swaps the source face onto a small copy of its surroundings: a face swap's every stage, at a small cost", async () => {
    const source = await loadRaster('img1.jpg');
    const { mesh } = await face(source);
    const swapped = warmUpSwap(source, mesh);
    expect(Math.max(swapped.width, swapped.height)).toBeLessThanOrEqual(384);
    // img1's face with its margin, about 630 x 750 px, is halved once.
    const plain = halvedCrop(source, sourceFootprint(source.width, source.height, mesh), 1);
    expect([swapped.width, swapped.height]).toEqual([plain.width, plain.height]);
    let changed = 0;
    for (let p = 0; p < plain.data.length; p += 4) if (Math.abs(swapped.data[p] - plain.data[p]) + Math.abs(swapped.data[p + 1] - plain.data[p + 1]) > 2) changed++;
    // The face, rendered, matched and blended again: most of its pixels move a little.
    expect(changed / (plain.width * plain.height)).toBeGreaterThan(0.2);
  });

  it('draws a mean face that the analysis finds where it was drawn, to warm up on before any picture is given', async () => {
    const { image, mesh } = meanFacePicture();
    const faces = await analyzeFaces(backend, image, 'source', SWAP_ANALYSIS);
    expect(faces).toHaveLength(1);
    // Its outline as the mesh model reads it lies within 5 % of the face's width of the one drawn.
    const xs = FACE_OVAL.map((i) => mesh[i * 3]);
    const width = Math.max(...xs) - Math.min(...xs);
    const apart = FACE_OVAL.map((i) => Math.hypot(faces[0].mesh[i * 3] - mesh[i * 3], faces[0].mesh[i * 3 + 1] - mesh[i * 3 + 1]));
    expect(apart.reduce((a, b) => a + b) / apart.length / width).toBeLessThan(0.05);
    // The same picture every time.
    expect(Buffer.compare(Buffer.from(meanFacePicture().image.data), Buffer.from(image.data))).toBe(0);
    // A swap from it runs through: its face is rendered, matched and blended again.
    const swapped = warmUpSwap(image, mesh);
    const plain = halvedCrop(image, sourceFootprint(image.width, image.height, mesh), 0);
    let changed = 0;
    for (let p = 0; p < plain.data.length; p += 4) if (Math.abs(swapped.data[p] - plain.data[p]) > 2) changed++;
    expect(changed / (plain.width * plain.height)).toBeGreaterThan(0.1);
  });

  it('leaves nothing behind that changes a real swap from that source', async () => {
    const [source, target] = await Promise.all([loadRaster('img1.jpg'), loadRaster('img29.jpg')]);
    const [{ mesh: sourceMesh }, { mesh: targetMesh }] = await Promise.all([face(source), face(target)]);
    // Two copies of the source's mesh: what a swap keeps of a source face is kept by its mesh.
    const [warmed, fresh] = [sourceMesh.slice(), sourceMesh.slice()];
    warmUpSwap(source, warmed);
    const swap = (mesh: Float32Array) => {
      const canvas = { width: target.width, height: target.height, data: target.data.slice() };
      swapFace(canvas, targetMesh, source, mesh);
      return canvas.data;
    };
    expect(Buffer.compare(Buffer.from(swap(warmed).buffer), Buffer.from(swap(fresh).buffer))).toBe(0);
  });
});
