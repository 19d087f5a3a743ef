import { beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { FACES_DIR, hasModels, loadRaster } from '../../../test/load-raster.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { analyzeFaces } from '../face/analyze.ts';
import type { InferenceBackend } from '../inference.ts';
import { SWAP_ANALYSIS } from '../swap-job.ts';
import { evenLight, evenLightStrength, lightAsymmetry } from './even-light.ts';
import type { WorkGrid } from './face-layout.ts';

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

describe('evenLight', () => {
  it('fades where the two sides are seen bare too little to tell, without a step', () => {
    // Bare skin on both sides only in two discs of an 80 x 80 grid (a face the frame cuts, turned: img34 on
    // selfie-many-people.jpg's bottom-left woman), its mirror image lit 1.6 times as bright. Where too little was
    // seen, the light was left as it was, and that edge showed as patches of the shaded side, cut sharp.
    const side = 80;
    const grid: WorkGrid = { rect: { x: 0, y: 0, width: side, height: side }, factor: 1, width: side, height: side, mesh: new Float32Array(0), faceSize: side };
    const rgb = new Float32Array(side * side * 3).fill(100);
    const weight = new Float32Array(side * side);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) if (Math.hypot(x - 20, y - 20) < 8 || Math.hypot(x - 60, y - 60) < 8) weight[y * side + x] = 1;
    }
    evenLight(rgb, new Float32Array(side * side).fill(1), new Float32Array(side * side * 3).fill(100), new Float32Array(side * side * 3).fill(160), weight, grid, side * 0.06, 1);
    // Brightened where both sides were seen, towards their geometric mean (sRGB 100 and 160 meet at about 128).
    expect(rgb[(20 * side + 20) * 3]).toBeGreaterThan(120);
    let step = 0;
    for (let y = 0; y < side; y++) {
      for (let x = 1; x < side; x++) step = Math.max(step, Math.abs(rgb[(y * side + x) * 3] - rgb[(y * side + x - 1) * 3]));
    }
    expect(step).toBeLessThan(5);
  });
});
