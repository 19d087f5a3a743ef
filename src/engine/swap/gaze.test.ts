import { beforeAll, describe, expect, it } from 'vitest';
import { hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces, type Face } from '../face/analyze.ts';
import { MESH_POINTS } from '../face/landmarks.ts';
import { gazeOf, irisInEye } from '../face/measures.ts';
import type { Raster } from '../image/raster.ts';
import type { InferenceBackend } from '../inference.ts';
import { SWAP_ANALYSIS, swapMesh } from '../swap-job.ts';
import { swapFace } from './face-swap.ts';
import { swapGeometry } from './shape.ts';

const MODELS = hasModels('blazeface', 'facemesh', 'iris');

describe.skipIf(!MODELS)('the new face looks where the target looked', () => {
  let backend: InferenceBackend;
  beforeAll(() => {
    backend = createNodeBackend();
  });
  const largest = (faces: Face[]) => faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));
  const face = async (image: Raster) => largest(await analyzeFaces(backend, image, 'target', SWAP_ANALYSIS));
  const gazeError = (a: Face, b: Face) => Math.hypot(...gazeOf(a.mesh, a.iris!).map((v, k) => v - gazeOf(b.mesh, b.iris!)[k]));

  it("places the target's iris points in the new geometry's eyes", async () => {
    const target = await face(await loadRaster('img3.jpg'));
    const source = await face(await loadRaster('img1.jpg'));
    const geometry = swapGeometry(swapMesh(source), swapMesh(target), { strength: 1 });
    expect(geometry.length).toBe((MESH_POINTS + 10) * 3);
    for (const eye of [0, 1] as const) {
      const [x, y] = irisInEye(geometry, geometry.subarray(MESH_POINTS * 3), eye);
      const [tx, ty] = irisInEye(target.mesh, target.iris!, eye);
      expect(Math.abs(x - tx)).toBeLessThan(1e-4);
      expect(Math.abs(y - ty)).toBeLessThan(1e-4);
    }
  });

  it('moves a source glancing aside to look as the target does, as far as the white beside its iris allows', async () => {
    // img1 looks to the picture's left, img34 and img17 to its right; img3, img1 and img29 at the camera.
    const cases = [
      // Gaze error (eye widths) without the remap, and with: 0.152 -> 0.063, 0.147 -> 0.095.
      { sourceName: 'img1.jpg', targetName: 'img3.jpg', most: 0.7 },
      { sourceName: 'img34.jpg', targetName: 'img1.jpg', most: 0.7 },
      // Glancing into the corner: little white to widen, so little moved (0.163 -> 0.148), and nothing smeared.
      { sourceName: 'img17.jpg', targetName: 'img29.jpg', most: 1 },
    ];
    for (const { sourceName, targetName, most } of cases) {
      const [source, target] = await Promise.all([loadRaster(sourceName), loadRaster(targetName)]);
      const [sourceFace, targetFace] = [await face(source), await face(target)];
      // Meshes without their iris points are swapped as before the remap.
      const swapped = (withIris: boolean) => {
        const canvas = { ...target, data: target.data.slice() };
        const mesh = (f: Face) => (withIris ? swapMesh(f) : f.mesh);
        swapFace(canvas, mesh(targetFace), source, mesh(sourceFace));
        return canvas;
      };
      const analysed = async (image: Raster) => largest(await analyzeFaces(backend, image, 'target', { skipEmbedding: true }));
      const targetLook = await analysed(target);
      const before = gazeError(await analysed(swapped(false)), targetLook);
      const after = gazeError(await analysed(swapped(true)), targetLook);
      expect(before).toBeGreaterThan(0.1);
      expect(after).toBeLessThan(before * most);
    }
  });

  it('leaves the eyes of a source wearing glasses as rendered: its irises are found less surely behind the lenses', async () => {
    // img25's thick frame crosses its eye's opening; moved, that edge was drawn across the new eye.
    const [source, target] = await Promise.all([loadRaster('img25.jpg'), loadRaster('img29.jpg')]);
    const [sourceFace, targetFace] = [await face(source), await face(target)];
    const swapped = (withIris: boolean) => {
      const canvas = { ...target, data: target.data.slice() };
      swapFace(canvas, withIris ? swapMesh(targetFace) : targetFace.mesh, source, withIris ? swapMesh(sourceFace) : sourceFace.mesh);
      return canvas;
    };
    expect(Buffer.compare(Buffer.from(swapped(true).data), Buffer.from(swapped(false).data))).toBe(0);
  });
});
