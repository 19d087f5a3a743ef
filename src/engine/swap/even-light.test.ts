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

describe('evenLight on skin', () => {
  it("smooths the colour of what it brightens much, not its lightness's detail, nor what is no skin", () => {
    // The left half lit at a third of the right's (sRGB 100 against 160 in every cell), its skin's colour blotchy as a
    // JPEG keeps a dark side's (purple and orange blocks, 8 px here), an eye-blue patch in it that is no skin.
    const side = 96;
    const grid: WorkGrid = { rect: { x: 0, y: 0, width: side, height: side }, factor: 1, width: side, height: side, mesh: new Float32Array(0), faceSize: side };
    const n = side * side;
    const own = new Float32Array(n * 3), mirrored = new Float32Array(n * 3);
    const rgb = new Float32Array(n * 3);
    const skin = new Float32Array(n).fill(1);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const p = y * side + x;
        const left = x < side / 2;
        own.fill(left ? 100 : 160, p * 3, p * 3 + 3);
        mirrored.fill(left ? 160 : 100, p * 3, p * 3 + 3);
        // Blocks alternating purple and orange of the same luma, and a fine luma ripple (skin's detail).
        const tint = ((x >> 3) + (y >> 3)) % 2 ? [8, -6, 10] : [-8, 6, -10];
        const ripple = x % 2 ? 3 : -3;
        for (let k = 0; k < 3; k++) rgb[p * 3 + k] = (left ? 100 : 160) + ripple + (left ? tint[k] : 0);
        if (left && Math.hypot(x - 24, y - 48) < 5) {
          rgb.set([70, 110, 160], p * 3);
          skin[p] = 0;
        }
      }
    }
    const before = rgb.slice();
    const evened = (withSkin: boolean) => {
      const out = before.slice();
      evenLight(out, new Float32Array(n).fill(1), own, mirrored, new Float32Array(n).fill(1), grid, side * 0.06, 1, withSkin ? skin : undefined);
      return out;
    };
    const luma = (v: Float32Array, p: number) => 0.299 * v[p * 3] + 0.587 * v[p * 3 + 1] + 0.114 * v[p * 3 + 2];
    // Over the brightened half's skin, away from the eye and the middle: how far the colour (red less green) strays
    // from its mean, and how far the lightness steps from a pixel to the next, on average.
    const spreads = (v: Float32Array) => {
      const colours: number[] = [];
      let lightness = 0;
      for (let y = 8; y < side - 8; y++) {
        for (let x = 4; x < side / 2 - 12; x++) {
          const p = y * side + x;
          if (Math.hypot(x - 24, y - 48) < 12) continue;
          colours.push(v[p * 3] - v[p * 3 + 1]);
          lightness += Math.abs(luma(v, p) - luma(v, p + 1));
        }
      }
      const mean = colours.reduce((a, b) => a + b, 0) / colours.length;
      return { colour: colours.reduce((a, c) => a + Math.abs(c - mean), 0) / colours.length, lightness: lightness / colours.length };
    };
    const [plain, smoothed] = [spreads(evened(false)), spreads(evened(true))];
    // Brightened 1.6 times, two thirds of the way to smoothed: the colour's spread 17 evened as before, 7 now.
    expect(smoothed.colour).toBeLessThan(0.5 * plain.colour);
    expect(smoothed.lightness).toBeGreaterThan(0.95 * plain.lightness);
    const result = evened(true);
    // The eye keeps its blue: bluer than it is red by as much as before, brightened.
    const eye = 48 * side + 24;
    expect(result[eye * 3 + 2] - result[eye * 3]).toBeGreaterThan(0.9 * (before[eye * 3 + 2] - before[eye * 3]));
  });
});
