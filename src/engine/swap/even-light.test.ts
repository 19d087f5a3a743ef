import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FACES_DIR, hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces } from '../face/analyze.ts';
import type { InferenceBackend } from '../inference.ts';
import { SWAP_ANALYSIS } from '../swap-job.ts';
import { evenLightStrength, lightAsymmetry } from './even-light.ts';

describe.skipIf(!hasModels('blazeface', 'facemesh', 'iris'))('lightAsymmetry', () => {
  let backend: InferenceBackend;
  beforeAll(() => {
    backend = createNodeBackend();
  });
  const asymmetryOf = async (name: string) => {
    const image = await loadRaster(name);
    const [face] = await analyzeFaces(backend, image, 'source', { ...SWAP_ANALYSIS, largestOnly: true });
    return { image, mesh: face.mesh, asymmetry: lightAsymmetry(image, face.mesh) };
  };

  it('tells a face lit hard from one side from faces lit about evenly, glasses, beards and side light on a stage included', async () => {
    const sideLit = await asymmetryOf('img34.jpg');
    expect(sideLit.asymmetry).toBeGreaterThan(2.5);
    expect(evenLightStrength(sideLit.image, sideLit.mesh)).toBe(1);
    // img24: glasses; img17, img59: beards, lit from a side; img38: grey hair, strong shadows.
    for (const name of ['img1.jpg', 'img8.jpg', 'img17.jpg', 'img24.jpg', 'img38.jpg', 'img59.jpg']) {
      const { image, mesh, asymmetry } = await asymmetryOf(name);
      expect(asymmetry, name).toBeLessThan(1.9);
      expect(evenLightStrength(image, mesh), name).toBe(0);
    }
  });

  it('measures a face and its mirror image alike: the light, not the side it comes from', async () => {
    const { asymmetry } = await asymmetryOf('img34.jpg');
    const mirrored = await loadRaster(sharp(`${FACES_DIR}/img34.jpg`).flop());
    const [face] = await analyzeFaces(backend, mirrored, 'source', { ...SWAP_ANALYSIS, largestOnly: true });
    expect(Math.abs(lightAsymmetry(mirrored, face.mesh) - asymmetry)).toBeLessThan(0.15);
  });
});
