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

  it('bends the jaw smoothly where the chin follows the mouth (img1 -> img34)', async () => {
    // img1's mouth is open in a broad smile, img34's shut: the new chin rises with the lower lip. Only the chin's
    // points rose, the jaw's beside them stayed: the jaw line turned 74 degrees between two of its points and back
    // (img34's own turns at most 15).
    const LOWER_OUTLINE = [58, 172, 136, 150, 149, 176, 148, 152, 377, 400, 378, 379, 365, 397, 288];
    const sharpestTurn = (mesh: Float32Array) => {
      let sharpest = 0;
      for (let k = 1; k + 1 < LOWER_OUTLINE.length; k++) {
        const [a, b, c] = [LOWER_OUTLINE[k - 1], LOWER_OUTLINE[k], LOWER_OUTLINE[k + 1]];
        const along = Math.atan2(mesh[b * 3 + 1] - mesh[a * 3 + 1], mesh[b * 3] - mesh[a * 3]);
        const next = Math.atan2(mesh[c * 3 + 1] - mesh[b * 3 + 1], mesh[c * 3] - mesh[b * 3]);
        const turn = Math.abs(((((next - along) * 180) / Math.PI + 540) % 360) - 180);
        sharpest = Math.max(sharpest, turn);
      }
      return sharpest;
    };
    const [source] = await faces('img1.jpg');
    const [target] = await faces('img34.jpg');
    expect(sharpestTurn(swapMesh(target))).toBeLessThan(20);
    expect(sharpestTurn(swapGeometry(swapMesh(source), swapMesh(target), { strength: 1 }))).toBeLessThan(45);
  });
});
