import { beforeAll, describe, expect, it } from 'vitest';
import { hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces } from '../face/analyze.ts';
import { FACE_OVAL } from '../face/regions.ts';
import type { InferenceBackend } from '../inference.ts';
import { sourceVisibility } from './visibility.ts';

const MODELS = hasModels('blazeface', 'facemesh');

describe.skipIf(!MODELS)('sourceVisibility on real photos', () => {
  let backend: InferenceBackend;
  beforeAll(() => {
    backend = createNodeBackend();
  });

  /** Centres (x) of the triangles hidden for hair (hidden now, shown when hair is not looked for), and the face's centre x. */
  const underHair = async (name: string) => {
    const image = await loadRaster(name);
    const [face] = await analyzeFaces(backend, image, 'source', { skipEmbedding: true, iris: false });
    const withHair = sourceVisibility(image, face.mesh);
    // The same face with no picture to look at (all one skin colour): only pose decides.
    const blank = { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data.length).fill(200) };
    const poseOnly = new Set(triangles(sourceVisibility(blank, face.mesh).hidden));
    const hair = triangles(withHair.hidden).filter((t) => !poseOnly.has(t));
    const centre = FACE_OVAL.reduce((sum, i) => sum + face.mesh[i * 3], 0) / FACE_OVAL.length;
    const xs = hair.map((t) => t.split(',').map(Number).reduce((sum, i) => sum + face.mesh[i * 3], 0) / 3);
    return { xs, centre };
  };

  it("takes what hair covers from the bare side (img22: hair along both cheeks, over the picture's right one most)", async () => {
    const { xs, centre } = await underHair('img22.jpg');
    expect(xs.length).toBeGreaterThan(15);
    expect(xs.filter((x) => x > centre).length / xs.length).toBeGreaterThan(0.55);
  });

  it('leaves a bare face, against a plain background, as it is', async () => {
    const { xs } = await underHair('img29.jpg');
    expect(xs.length).toBeLessThan(12);
  });
});

function triangles(points: number[]): string[] {
  const out: string[] = [];
  for (let t = 0; t < points.length; t += 3) out.push(`${points[t]},${points[t + 1]},${points[t + 2]}`);
  return out;
}
