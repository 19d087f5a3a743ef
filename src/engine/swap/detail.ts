import { floats, int32s } from '../scratch.ts';
import { smoothstep } from './face-layout.ts';
import { lumaOf } from './patch.ts';
import { clipRect, expandRect, mergeOverlapping, type Rect } from './region.ts';
import { forEachEnlargedRow } from './resample.ts';

/** Fine detail: how busy a picture is locally, and one picture's detail finer than a block size added to another. */

/**
 * Adds `weight` (0..1 per pixel) times the fine detail of `from` to `rgb` (interleaved, an area `w` px wide): `from`
 * less its means over `f` x `f` blocks, enlarged back. `from` covers `window` of the area. With `coverage` (over the
 * window too), only what it covers counts, and the detail fades out along its edge.
 */
export function addDetail(rgb: Float32Array, weight: Float32Array, w: number, f: number, from: Float32Array, window: Rect, coverage?: Float32Array): void {
  const { x: x0, y: y0, width: bw, height: bh } = window;
  const cw = Math.ceil(bw / f), ch = Math.ceil(bh / f);
  // Per block: the sums of R, G, B (weighted by the coverage) and of the coverage, then both over the block's area:
  // the mean of what was rendered times the share rendered, and that share.
  const blocks = floats(cw * ch * 4);
  const column = int32s(bw);
  for (let x = 0; x < bw; x++) column[x] = ((x / f) | 0) * 4;
  for (let y = 0; y < bh; y++) {
    const row = ((y / f) | 0) * cw * 4;
    for (let x = 0, p = y * bw; x < bw; x++, p++) {
      const c = row + column[x];
      const k = coverage ? coverage[p] : 1;
      blocks[c] += k * from[p * 3];
      blocks[c + 1] += k * from[p * 3 + 1];
      blocks[c + 2] += k * from[p * 3 + 2];
      blocks[c + 3] += k;
    }
  }
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      const c = (y * cw + x) * 4;
      const area = Math.min(f, bw - x * f) * Math.min(f, bh - y * f);
      for (let k = 0; k < 4; k++) blocks[c + k] /= area;
    }
  }
  // Both enlarged back, the mean of what was rendered their ratio: a block with nothing rendered weighs nothing in it
  // (enlarged as a mean of 0 beside a rendered one, it darkened the mean along the render's edge, and the detail came
  // out as light dashed lines there: img29 onto img34, around the parts taken from the mirrored side). Along the
  // edge of what was rendered the detail fades out (there the copy's render has the mirrored side or the outline's
  // blur instead); a row at a time.
  forEachEnlargedRow(blocks, 4, cw, ch, bw, bh, f, (y, smooth) => {
    for (let x = 0; x < bw; x++) {
      const q = y * bw + x, p = (y + y0) * w + x + x0;
      const share = smooth[x * 4 + 3];
      if ((coverage && !(coverage[q] > 0)) || !(share > 1e-3)) continue;
      const k = (coverage ? smoothstep(0.6, 1, share) : 1) * Math.min(1, weight[p]);
      if (!(k > 0)) continue;
      for (let c = 0; c < 3; c++) rgb[p * 3 + c] += k * (from[q * 3 + c] - smooth[x * 4 + c] / share);
    }
  });
}

/**
 * Adds the target's skin texture where `textured` (0..1 per pixel of an area `w` px wide) asks for it, in the regions
 * within `bounds`: the fine detail of the target's pixels, which `read` gives for a window of the area.
 */
export function addTargetTexture(rgb: Float32Array, textured: Float32Array, w: number, f: number, bounds: readonly Rect[], read: (window: Rect) => Float32Array): void {
  const h = textured.length / w;
  // Apart, so that hair at a temple and an earring below do not make one window of the whole face.
  for (const window of mergeOverlapping(bounds.map((b) => clipRect(expandRect(b, f), w, h)))) addDetail(rgb, textured, w, f, read(window), window);
}

/** Standard deviation of luma over each pixel's 3 x 3 neighbourhood; 0 where the neighbourhood is not all `covered` (if given). */
export function localContrast(rgb: Float32Array, w: number, h: number, covered?: Float32Array): Float32Array {
  const luma = lumaOf(rgb);
  const out = floats(w * h);
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      let sum = 0, squares = 0, whole = true;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          whole &&= !covered || covered[(y + dy) * w + x + dx] > 0;
          const v = luma[(y + dy) * w + x + dx];
          sum += v;
          squares += v * v;
        }
      }
      if (!whole) continue;
      out[y * w + x] = Math.sqrt(Math.max(0, squares / 9 - (sum / 9) ** 2));
    }
  }
  return out;
}
