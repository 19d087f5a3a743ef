import { BROWS, EYE_POLYGON, LIPS_OUTER } from '../face/regions.ts';
import { MIRROR_POINT } from '../face/symmetry.ts';
import type { Raster } from '../image/raster.ts';
import { linearToSrgb, srgbToLinear } from './colour.ts';
import { toPixels, type WorkGrid } from './face-layout.ts';
import { gaussianBlur, meanOver } from './mask.ts';
import { lumaOf } from './patch.ts';
import { floats } from '../scratch.ts';

/**
 * A source lit hard from one side, evened out before the target's light is matched: matched as it was, such a face
 * kept a half in shadow and a seam down the nose (img34). A face's two sides have about the same skin, so at a coarse
 * scale what differs between a place and its mirror image is light.
 */

/**
 * How differently lit the two sides must be (see {@link lightAsymmetry}) to be evened out: from the first figure
 * (not at all) to the second (fully). Of the 62 test photos, img34 (a hard side light) measures 2.53; then img24 1.74
 * (the frames of its glasses), img17 and img59 (lit from a side on a stage, bearded) 1.32 and 1.31, the rest 0.07-1.26.
 */
const UNEVEN = [2, 2.5] as const;
/** Each mesh point's luminance is the mean over a disc this large, relative to the face's height. */
const POINT_REACH = 0.02;
/** Points of what is no bare skin: their two sides differ by more than light. */
const NOT_SKIN = new Set<number>([...EYE_POLYGON.left, ...EYE_POLYGON.right, ...BROWS.left, ...BROWS.right, ...LIPS_OUTER]);
/** Mesh points at the top of the forehead and the bottom of the chin, for the face's height. */
const [FOREHEAD_TOP, CHIN_BOTTOM] = [10, 152];

/** How much of the evening out a source face (its picture and mesh, x, y, z per point) takes, 0..1. */
export function evenLightStrength(image: Raster, mesh: Float32Array): number {
  const asymmetry = lightAsymmetry(image, mesh);
  return Math.max(0, Math.min(1, (asymmetry - UNEVEN[0]) / (UNEVEN[1] - UNEVEN[0])));
}

/**
 * The median, over pairs of mirrored mesh points on bare skin, of |log| of the ratio of their luminances (linear
 * light, each the mean over a small disc): 0 for a face lit evenly, about 2.5 for one lit hard from a side.
 */
export function lightAsymmetry(image: Raster, mesh: Float32Array): number {
  const height = Math.hypot(mesh[FOREHEAD_TOP * 3] - mesh[CHIN_BOTTOM * 3], mesh[FOREHEAD_TOP * 3 + 1] - mesh[CHIN_BOTTOM * 3 + 1]);
  const reach = Math.max(1, POINT_REACH * height);
  // About 7 x 7 samples a disc, however large the face.
  const step = Math.max(1, reach / 3);
  const luminance = (i: number): number => {
    const cx = mesh[i * 3], cy = mesh[i * 3 + 1];
    let sum = 0, count = 0;
    for (let dy = -reach; dy <= reach; dy += step) {
      for (let dx = -reach; dx <= reach; dx += step) {
        const x = Math.round(cx + dx), y = Math.round(cy + dy);
        if (dx * dx + dy * dy > reach * reach || x < 0 || y < 0 || x >= image.width || y >= image.height) continue;
        const o = (y * image.width + x) * 4;
        sum += linearLuminance(image.data[o], image.data[o + 1], image.data[o + 2]);
        count++;
      }
    }
    return count ? sum / count : 0;
  };
  const differences: number[] = [];
  for (let i = 0; i < MIRROR_POINT.length; i++) {
    const j = MIRROR_POINT[i];
    // Each pair once; points on the middle line are their own mirror image.
    if (j <= i || NOT_SKIN.has(i) || NOT_SKIN.has(j)) continue;
    const a = luminance(i), b = luminance(j);
    if (a > 1e-3 && b > 1e-3) differences.push(Math.abs(Math.log(a / b)));
  }
  if (!differences.length) return 0;
  differences.sort((a, b) => a - b);
  return differences[differences.length >> 1];
}

/**
 * Bare skin around a cell (its smoothed weight) counts against this much more of no difference, so that where little
 * is seen the light is left about as it is, fading smoothly: cut off at 0.05 instead, the light jumped there (img34 on
 * selfie-many-people.jpg's bottom-left woman, turned and cut by the frame: patches of his shaded side with sharp
 * edges). More (0.05) evened img34's usual swaps less: a little less like him on img1 and img38 (-0.003)...
 */
const UNSEEN_WEIGHT = 0.02;
/**
 * ...and a side's log light moves by at most half of this (a shaded side brightened up to 2.7 times). Half as far,
 * img34's shaded cheek stayed a dark band on img1 and img38; further, its noise shows and the sides do not meet better.
 */
const MAX_DIFFERENCE = 2;

/**
 * Evens out the light of `rgb` (interleaved sRGB over the grid's rectangle, drawn where `coverage` > 0): `own` and
 * `mirrored` are its cells' mean colours and those of the same face drawn from its other side. Their log ratio in
 * each channel (linear light) over the cells where `weight` (0..1 per cell) says both show bare skin, smoothed over
 * `sigma` cells, moves each pixel's channel by `strength` times half of it, so that both sides meet at their
 * geometric mean, in the light's strength and its colour. Where `skin` (0..1 per cell) is given, the colour of the
 * skin it raises much is smoothed too (see smoothRaisedColour).
 */
export function evenLight(rgb: Float32Array, coverage: Float32Array, own: Float32Array, mirrored: Float32Array, weight: Float32Array, grid: WorkGrid, sigma: number, strength: number, skin?: Float32Array): void {
  const cells = grid.width * grid.height;
  // Per channel: a shaded side's light is of another colour too (warmer), which brightened alone stayed an orange cheek.
  const weighted = [floats(cells), floats(cells), floats(cells)];
  const mass = floats(cells);
  for (let c = 0; c < cells; c++) {
    if (!(weight[c] > 0)) continue;
    const ratios = [0, 1, 2].map((k) => srgbToLinear(mirrored[c * 3 + k]) / srgbToLinear(own[c * 3 + k]));
    if (!ratios.every((r) => r > 1e-3 && r < 1e3)) continue;
    mass[c] = weight[c];
    for (let k = 0; k < 3; k++) weighted[k][c] = weight[c] * Math.log(ratios[k]);
  }
  const masses = gaussianBlur(mass, grid.width, grid.height, sigma);
  const gains = weighted.map((plane) => {
    const sums = gaussianBlur(plane, grid.width, grid.height, sigma, plane);
    for (let c = 0; c < cells; c++) {
      const difference = Math.max(-MAX_DIFFERENCE, Math.min(MAX_DIFFERENCE, sums[c] / (masses[c] + UNSEEN_WEIGHT)));
      sums[c] = Math.exp((strength * difference) / 2);
    }
    return toPixels(grid, sums);
  });
  for (let p = 0; p < coverage.length; p++) {
    if (!(coverage[p] > 0)) continue;
    for (let k = 0; k < 3; k++) rgb[p * 3 + k] = linearToSrgb(srgbToLinear(rgb[p * 3 + k]) * gains[k][p]);
  }
  if (skin) smoothRaisedColour(rgb, coverage, gains, toPixels(grid, skin), grid.rect.width, grid.rect.height, grid.faceSize * grid.factor * RAISED_COLOUR_SIGMA);
}

/** Luminance in linear light of an sRGB colour (0..255 a channel). */
function linearLuminance(r: number, g: number, b: number): number {
  return 0.2126 * srgbToLinear(r) + 0.7152 * srgbToLinear(g) + 0.0722 * srgbToLinear(b);
}

/**
 * Where the light is raised from this much (the channels' mean gain) to the second, a pixel's colour (what differs
 * from its luma) takes the skin's around it, over this reach (relative to the face's size). A JPEG keeps the colour of
 * a dark side coarsely (in 16 px blocks, and noisy): brightened up to 2.7 times, img34's shaded cheek on img3 showed
 * purple and orange patches, and a purple shade under the eye.
 */
const RAISED = [1.2, 1.8] as const;
const RAISED_COLOUR_SIGMA = 0.03;

/**
 * Smooths the colour of `rgb` (interleaved sRGB, drawn where `coverage` > 0) over `sigma` px where the per-channel
 * `gains` raise its light much, on `skin` only (0..1 per pixel: an eye's blue, a brow's brown keep theirs), from the
 * skin's colour around: its lightness and the detail in it stay.
 */
function smoothRaisedColour(rgb: Float32Array, coverage: Float32Array, gains: Float32Array[], skin: Float32Array, w: number, h: number, sigma: number): void {
  const n = w * h;
  const luma = lumaOf(rgb);
  const weight = floats(n);
  const chroma = [floats(n), floats(n), floats(n)];
  for (let p = 0; p < n; p++) {
    if (!(coverage[p] > 0)) continue;
    weight[p] = skin[p];
    for (let k = 0; k < 3; k++) chroma[k][p] = (rgb[p * 3 + k] - luma[p]) * weight[p];
  }
  const mass = gaussianBlur(weight, w, h, sigma);
  const around = chroma.map((plane) => meanOver(plane, weight, w, h, sigma, mass));
  for (let p = 0; p < n; p++) {
    const raised = (gains[0][p] + gains[1][p] + gains[2][p]) / 3;
    const t = weight[p] * Math.min(1, Math.max(0, (raised - RAISED[0]) / (RAISED[1] - RAISED[0])));
    if (!(t > 0) || Number.isNaN(around[0][p])) continue;
    for (let k = 0; k < 3; k++) {
      const own = rgb[p * 3 + k] - luma[p];
      rgb[p * 3 + k] += t * (around[k][p] - own);
    }
  }
}
