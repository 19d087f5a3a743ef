import { describe, expect, it } from 'vitest';
import { LIPS_INNER } from '../face/regions.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { hasModels } from '../../../test/load-raster.ts';
import { swapPhoto } from '../../../test/swap-photo.ts';
import { rgbToLab } from './colour.ts';
import { withInnerLipsFitted } from './lip-fit.ts';
import { mouthOpening } from '../face/measures.ts';

const MODELS = hasModels('blazeface', 'facemesh', 'iris', 'faceres');

describe.skipIf(!MODELS)('withInnerLipsFitted on real photos', () => {
  const backend = createNodeBackend();
  const [UPPER_MIDDLE, LOWER_MIDDLE] = [13, 14];

  it("moves a rounded, talking mouth's inner lip line to the edges of its dark inside (img57)", async () => {
    const { image, mesh } = await swapPhoto(backend, 'img57.jpg');
    const fitted = withInnerLipsFitted(image, mesh);
    // The mesh draws the opening 0.15 of the mouth's width high, its upper inner lip across the middle of the dark
    // inside; the photo shows it about 0.28 high.
    expect(mouthOpening(mesh)).toBeLessThan(0.17);
    expect(mouthOpening(fitted)).toBeGreaterThan(0.24);
    // Just below the fitted upper lip's middle, the inside (dark red); the mesh had the upper lip 9 px lower.
    expect(mesh[UPPER_MIDDLE * 3 + 1] - fitted[UPPER_MIDDLE * 3 + 1]).toBeGreaterThan(6);
    const { width, data } = image;
    const x = Math.round(fitted[UPPER_MIDDLE * 3]), y = Math.round(fitted[UPPER_MIDDLE * 3 + 1]) + 2;
    const [L] = rgbToLab(Float32Array.from(data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3)));
    expect(L).toBeLessThan(25);
    // Only the inner lip line moves.
    const inner = new Set<number>(LIPS_INNER);
    for (let i = 0; i < mesh.length / 3; i++) if (!inner.has(i)) expect([fitted[i * 3], fitted[i * 3 + 1], fitted[i * 3 + 2]]).toEqual([mesh[i * 3], mesh[i * 3 + 1], mesh[i * 3 + 2]]);
    expect(fitted[LOWER_MIDDLE * 3 + 1]).toBeGreaterThan(fitted[UPPER_MIDDLE * 3 + 1]);
  });

  it('leaves shut mouths, smiles showing teeth and a moustache over the lip as the mesh draws them', async () => {
    // img29 and img34 shut (img34's lips lit from one side, one half in shadow), img1 and img24 smiling over their
    // teeth, img16 with a moustache hanging over his lips.
    for (const name of ['img29.jpg', 'img34.jpg', 'img1.jpg', 'img24.jpg']) {
      const { image, mesh } = await swapPhoto(backend, name);
      expect(withInnerLipsFitted(image, mesh), name).toBe(mesh);
    }
    const { image, mesh } = await swapPhoto(backend, 'img16.jpg');
    const fitted = withInnerLipsFitted(image, mesh);
    for (const i of LIPS_INNER) expect(Math.abs(fitted[i * 3 + 1] - mesh[i * 3 + 1]), `point ${i}`).toBeLessThan(6);
  });
});
