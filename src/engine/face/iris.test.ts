import { describe, expect, it } from 'vitest';
import { hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { applyAffine } from './affine.ts';
import { analyzeFaces } from './analyze.ts';
import { eyeAffine, IRIS_SIZE } from './iris.ts';
import { EYE_CORNERS, EYE_OUTLINE } from './landmarks.ts';

describe('eye crops', () => {
  it('centre each eye and mirror the image-right one', () => {
    const mesh = new Float32Array(468 * 3);
    mesh.set([100, 50, 0], EYE_CORNERS.left[0] * 3);
    mesh.set([140, 50, 0], EYE_CORNERS.left[1] * 3);
    mesh.set([220, 50, 0], EYE_CORNERS.right[0] * 3);
    mesh.set([180, 50, 0], EYE_CORNERS.right[1] * 3);
    const left = eyeAffine(mesh, 'left');
    const right = eyeAffine(mesh, 'right');
    expect(applyAffine(left, 120, 50)).toEqual([expect.closeTo(IRIS_SIZE / 2, 9), expect.closeTo(IRIS_SIZE / 2, 9)]);
    expect(applyAffine(right, 200, 50)).toEqual([expect.closeTo(IRIS_SIZE / 2, 9), expect.closeTo(IRIS_SIZE / 2, 9)]);
    // Outer corners land on the same side of the model input for both eyes.
    expect(applyAffine(left, 100, 50)[0]).toBeLessThan(IRIS_SIZE / 2);
    expect(applyAffine(right, 220, 50)[0]).toBeLessThan(IRIS_SIZE / 2);
  });
});

describe.skipIf(!hasModels('blazeface', 'facemesh', 'iris'))('iris points on real photos', () => {
  it('put each iris centre inside its eye', async () => {
    const backend = createNodeBackend();
    for (const file of ['couple.jpg', 'img30.jpg', 'img49.jpg', 'img12.jpg']) {
      for (const face of await analyzeFaces(backend, await loadRaster(file), 'source', { skipEmbedding: true })) {
        (['left', 'right'] as const).forEach((side, e) => {
          let x = 0, y = 0;
          for (const i of EYE_OUTLINE[side]) { x += face.mesh[i * 3]; y += face.mesh[i * 3 + 1]; }
          x /= EYE_OUTLINE[side].length;
          y /= EYE_OUTLINE[side].length;
          const [a, b] = EYE_CORNERS[side];
          const width = Math.hypot(face.mesh[a * 3] - face.mesh[b * 3], face.mesh[a * 3 + 1] - face.mesh[b * 3 + 1]);
          const iris = face.iris!;
          expect(Math.hypot(iris[e * 15] - x, iris[e * 15 + 1] - y) / width, `${file} ${side} eye`).toBeLessThan(0.2);
          // The rim points sit about an iris radius (roughly a fifth of the eye's width) from the centre.
          const r = Math.hypot(iris[e * 15 + 3] - iris[e * 15], iris[e * 15 + 4] - iris[e * 15 + 1]) / width;
          expect(r).toBeGreaterThan(0.1);
          expect(r).toBeLessThan(0.35);
        });
      }
    }
  }, 60_000);
});
