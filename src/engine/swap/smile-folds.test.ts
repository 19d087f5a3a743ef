import { beforeAll, describe, expect, it } from 'vitest';
import { hasModels } from '../../../test/load-raster.ts';
import { swapPhoto } from '../../../test/swap-photo.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { FACE_OVAL, LIPS_OUTER } from '../face/regions.ts';
import type { InferenceBackend } from '../inference.ts';
import type { Raster } from '../image/raster.ts';
import { withScratch } from '../scratch.ts';
import { DEFAULT_FACE_SWAP, swapFace } from './face-swap.ts';
import { gaussianBlur, rasterizePolygon } from './mask.ts';
import { lumaOf, readRgb } from './patch.ts';
import { boundingRect } from './region.ts';
import { swapGeometry } from './shape.ts';
import { flattenSmileFolds, foldsZone } from './smile-folds.ts';

describe.skipIf(!hasModels('blazeface', 'facemesh', 'iris'))('smile folds on a face that smiles less', () => {
  let backend: InferenceBackend;
  beforeAll(() => {
    backend = createNodeBackend();
  });
  const photo = (name: string) => swapPhoto(backend, name);

  /**
   * How creased `image` is along the folds' course on the new face (`sourceName`'s on `targetName`'s): the mean size
   * of its luma's detail between blurs of 0.01 and 0.08 of the face's size, on the skin within 0.03 of the course
   * (not the lips).
   */
  const creases = async (sourceName: string, targetName: string) => {
    const [source, target] = await Promise.all([photo(sourceName), photo(targetName)]);
    const swapped: Raster = { ...target.image, data: target.image.data.slice() };
    withScratch(() => swapFace(swapped, target.mesh, source.image, source.mesh));
    const geometry = swapGeometry(source.mesh, target.mesh, { strength: DEFAULT_FACE_SWAP.shapeStrength });
    const rect = boundingRect(geometry, { stride: 3, indices: FACE_OVAL, pad: 4, clipWidth: swapped.width, clipHeight: swapped.height });
    const faceSize = Math.max(rect.width, rect.height);
    const along = withScratch(() => foldsZone(rect, faceSize, geometry).slice());
    const lips = rasterizePolygon(geometry, rect, { stride: 3, indices: LIPS_OUTER });
    const measure = (image: Raster) => {
      const luma = lumaOf(readRgb(image, rect));
      const [fine, coarse] = [0.01, 0.08].map((scale) => withScratch(() => gaussianBlur(luma, rect.width, rect.height, faceSize * scale).slice()));
      let sum = 0, count = 0;
      for (let p = 0; p < luma.length; p++) {
        if (along[p] < 1 || lips[p] > 0) continue;
        sum += Math.abs(fine[p] - coarse[p]);
        count++;
      }
      return sum / count;
    };
    return measure(swapped);
  };

  it("takes a smiling source's folds out where the target smiles less (img1 -> img30)", async () => {
    // img1 smiles wide (0.11 by expressionOf), img30 not at all: her folds from the nose's wings to past the mouth's
    // corners came out as deep grooves on his neutral face. Their shading along the folds: 16.0 before, 11.1 now.
    expect(await creases('img1.jpg', 'img30.jpg')).toBeLessThan(13);
  });

  it('leaves the new face as it is where the source smiles no more than the target (img3 -> img1)', async () => {
    // img3 smiles less (0.06) than img1 (0.11): from img3 onto img1's face nothing changes. From img1's own face with
    // its mouth's corners raised by a twentieth of its size (smiling more), something does.
    const [img3, img1] = await Promise.all([photo('img3.jpg'), photo('img1.jpg')]);
    const rect = boundingRect(img1.mesh, { stride: 3, indices: FACE_OVAL, pad: 4 });
    const faceSize = Math.max(rect.width, rect.height);
    const everywhere = new Float32Array(rect.width * rect.height).fill(1);
    const flattened = (sourceMesh: Float32Array) => {
      const rgb = readRgb(img1.image, rect);
      // Onto an even grey target: wherever it works, the folds' shading goes.
      const flat = new Float32Array(rgb.length).fill(128);
      withScratch(() => flattenSmileFolds(rgb, flat, rect, faceSize, img1.mesh, sourceMesh, { source: everywhere, target: everywhere }, new Float32Array(everywhere.length)));
      return rgb;
    };
    expect(flattened(img3.mesh)).toEqual(readRgb(img1.image, rect));
    expect(flattened(img1.mesh.map((v, i) => (i % 3 === 1 && (i === 61 * 3 + 1 || i === 291 * 3 + 1) ? v - 0.05 * faceSize : v)))).not.toEqual(readRgb(img1.image, rect));
  });
});
