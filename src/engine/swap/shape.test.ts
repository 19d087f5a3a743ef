import { beforeAll, describe, expect, it } from 'vitest';
import { hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces, type Face } from '../face/analyze.ts';
import type { InferenceBackend } from '../inference.ts';
import { SWAP_ANALYSIS, swapMesh } from '../swap-job.ts';
import { swapGeometry } from './shape.ts';

const MODELS = hasModels('blazeface', 'facemesh', 'iris');

describe.skipIf(!MODELS)("the swap's geometry", () => {
  let backend: InferenceBackend;
  beforeAll(() => {
    backend = createNodeBackend();
  });
  const faces = async (name: string) => analyzeFaces(backend, await loadRaster(name), 'target', SWAP_ANALYSIS);
  /** The upper lip's height below the nose's base (mesh points 0 and 2), in eye distances (outer corner to outer corner). */
  const philtrum = (mesh: Float32Array) => {
    const eyes = Math.hypot(mesh[33 * 3] - mesh[263 * 3], mesh[33 * 3 + 1] - mesh[263 * 3 + 1]);
    return Math.hypot(mesh[0] - mesh[2 * 3], mesh[1] - mesh[2 * 3 + 1]) / eyes;
  };

  it("puts a neutral target mouth where a broadly smiling source's lips are, not up under its nose (img1 -> couple)", async () => {
    // img1 smiles broadly, its mouth open; couple.jpg's man's mouth is neutral. Centred where img1's mouth corners
    // are (a smile lifts them far above its lips' middle), his upper lip rose to 0.08 eye distances under the nose;
    // img1's own is 0.12 (the man's 0.19), and the new one now too.
    const [source] = await faces('img1.jpg');
    const man: Face = (await faces('couple.jpg'))[1];
    const geometry = swapGeometry(swapMesh(source), swapMesh(man), { strength: 1 });
    expect(philtrum(geometry)).toBeGreaterThan(0.1);
    expect(philtrum(geometry)).toBeLessThan(philtrum(man.mesh));
  });
});
