import type { Raster } from '../src/engine/image/raster.ts';
import { rgbToLab } from '../src/engine/swap/colour.ts';
import { meshDisc, SKIN_POINTS } from './fine-detail.ts';

/** The mean L*a*b* of a picture's pixels within `reach` eye distances of a mesh point. */
function labNear(image: Raster, mesh: Float32Array, point: number, reach: number): number[] {
  const { cx, cy, r, holds } = meshDisc(mesh, point, reach);
  const rgb: number[] = [];
  for (let y = Math.floor(cy - r); y <= cy + r; y++) {
    for (let x = Math.floor(cx - r); x <= cx + r; x++) {
      if (!holds(x, y)) continue;
      const o = (y * image.width + x) * 4;
      rgb.push(image.data[o], image.data[o + 1], image.data[o + 2]);
    }
  }
  const lab = rgbToLab(Float32Array.from(rgb));
  const mean = [0, 0, 0];
  for (let q = 0; q < lab.length; q++) mean[q % 3] += lab[q] / (lab.length / 3);
  return mean;
}

/**
 * How far the tints of a face's skin depart from those of the same places in `reference` (the target photo): over
 * {@link SKIN_POINTS} (discs of 0.06 eye distances), the RMS of the differences between each point's a* and b* less
 * their means in the two pictures. A new face in the target's light follows its warmer and cooler parts; a patch the
 * source's light tinted (a yellow shadow by the nose) stands out of them.
 */
export function skinTintDeparture(image: Raster, reference: Raster, mesh: Float32Array): number {
  const [got, want] = [image, reference].map((picture) => SKIN_POINTS.map((point) => labNear(picture, mesh, point, 0.06)));
  let squares = 0;
  for (const c of [1, 2]) {
    const [meanGot, meanWant] = [got, want].map((labs) => labs.reduce((sum, lab) => sum + lab[c], 0) / labs.length);
    for (let i = 0; i < got.length; i++) squares += (got[i][c] - meanGot - (want[i][c] - meanWant)) ** 2;
  }
  return Math.sqrt(squares / (2 * got.length));
}
