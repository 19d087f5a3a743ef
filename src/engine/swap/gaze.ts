import { IRIS_POINTS, MESH_POINTS } from '../face/landmarks.ts';
import { EYE_AXES, irisInEye } from '../face/measures.ts';
import { EYE_POLYGON } from '../face/regions.ts';
import { smoothstep } from './face-layout.ts';
import { gaussianBlur, rasterizePolygon } from './mask.ts';
import { cropRgb } from './patch.ts';
import { boundingRect, expandRect, intersectRect, type Rect } from './region.ts';

/**
 * The target's gaze on the new face. The source's eyes carry its identity (iris colour, lids, lashes), but rendered
 * through the mesh they also carry where it looked: a source glancing aside gave a target facing the camera shifty
 * eyes. Inside each eye's opening the render is remapped along the eye so that the source's iris lands where the
 * target's was: the iris moves whole, the white on either side of it stretches or narrows, and the corners and the
 * lids stay where they are.
 */

/** The most an iris is moved, in eye widths; past it, a misplaced iris point would leave an eye looking askew. */
const MAX_SHIFT = 0.2;
/** The white beside an iris is stretched at most this much as the iris moves away from it... */
const MAX_STRETCH = 2;
/** ...all but this share of it, by the corner, which stays as it was. */
const CORNER_HOLD = 0.4;
/** Knots of the remap stay this far (eye widths) inside the corners: the white there narrows, never folds. */
const CORNER_ROOM = 0.06;
/**
 * The iris moved whole reaches this far past the iris stage's rim (its dark edge and the shadow beside it, which
 * stretched would smear), within these bounds in eye widths.
 */
const IRIS_MARGIN = 1.25;
const IRIS_RADIUS: [number, number] = [0.15, 0.3];
/** Below this shift (px) an eye is left as rendered. */
const MIN_SHIFT_PX = 0.3;
const EYES = [
  { polygon: EYE_POLYGON.left, corners: EYE_AXES[0], iris: IRIS_POINTS.left, index: 0 },
  { polygon: EYE_POLYGON.right, corners: EYE_AXES[1], iris: IRIS_POINTS.right, index: 1 },
] as const;

/**
 * Moves the irises of `rgb` (the source rendered on `geometry` over `rect`, interleaved RGB) to where `geometry`'s iris
 * points put them (the target's, see swapGeometry), from where `sourceMesh`'s iris points say they are in the source.
 * Meshes without iris points (468 only) leave it as it is.
 */
export function lookWhereTargetLooks(rgb: Float32Array, rect: Rect, geometry: Float32Array, sourceMesh: Float32Array): void {
  const needed = (MESH_POINTS + 10) * 3;
  if (geometry.length < needed || sourceMesh.length < needed) return;
  const sourceIris = sourceMesh.subarray(MESH_POINTS * 3);
  const targetIris = geometry.subarray(MESH_POINTS * 3);
  const eyes = EYES.map((eye) => ({
    eye,
    from: irisInEye(sourceMesh, sourceIris, eye.index)[0],
    radius: Math.min(IRIS_RADIUS[1], Math.max(IRIS_RADIUS[0], IRIS_MARGIN * irisRadius(sourceMesh, eye))),
  }));
  // One shift for both eyes, so that they stay parallel: the mean of what each would take.
  let shift = 0;
  for (const { eye, from } of eyes) shift += (from - irisInEye(geometry, targetIris, eye.index)[0]) / eyes.length;
  shift = Math.max(-MAX_SHIFT, Math.min(MAX_SHIFT, shift));
  // As far as neither eye's white is stretched past MAX_STRETCH: a source glancing into a corner has little white
  // there, and stretched further that corner's shadow or liner smears across the eye.
  for (const { from, radius } of eyes) shift = Math.sign(shift) * Math.min(Math.abs(shift), stretchLimit(from, radius, shift > 0 ? 1 : -1));
  for (const { eye, from, radius } of eyes) remapEye(rgb, rect, geometry, eye, alongEyeRemap(from - shift, shift, radius));
}

/**
 * The largest shift (eye widths) of an iris at `from` with `radius`, moving towards the image-left corner (`direction`
 * +1: the white on its image-right side widens) or the image-right one (-1), that stretches no white past MAX_STRETCH.
 */
function stretchLimit(from: number, radius: number, direction: 1 | -1): number {
  // The white that widens lies between the iris and the corner it moves away from; the part by the corner is held.
  const white = (direction > 0 ? 0.5 - (from + radius) : from - radius + 0.5) * (1 - CORNER_HOLD);
  return Math.max(0, white * (MAX_STRETCH - 1));
}

/**
 * The remap along one eye (eye widths from its middle): where in the render each place of the new face's eye takes
 * its pixels from. The iris, at `to` in the new face, comes whole from `to + shift`; the white it moves away from
 * widens, stretched next to the iris while the part by the corner (its shadow, a liner) stays as it was; the white
 * it moves towards narrows. Null where there is no room for that.
 */
function alongEyeRemap(to: number, shift: number, radius: number): ((t: number) => number) | null {
  const edge = 0.5 - CORNER_ROOM;
  const knots = [-0.5, to - radius, to + radius, 0.5];
  const sources = [-0.5, to - radius + shift, to + radius + shift, 0.5];
  if (Math.max(knots[2], sources[2]) > edge || Math.min(knots[1], sources[1]) < -edge) {
    // An iris near a corner: only its middle is held whole, with room left for the white by the corner.
    const half = Math.min(edge - Math.max(to, to + shift), Math.min(to, to + shift) + edge);
    if (half <= 0.02) return null;
    knots[1] = to - half;
    knots[2] = to + half;
    sources[1] = to - half + shift;
    sources[2] = to + half + shift;
  }
  // The corner the iris moves away from keeps CORNER_HOLD of its white as it was.
  if (shift > 0) {
    const hold = 0.5 - CORNER_HOLD * (0.5 - sources[2]);
    knots.splice(3, 0, hold);
    sources.splice(3, 0, hold);
  } else {
    const hold = -0.5 + CORNER_HOLD * (sources[1] + 0.5);
    knots.splice(1, 0, hold);
    sources.splice(1, 0, hold);
  }
  return (t) => {
    if (t <= knots[0] || t >= knots[knots.length - 1]) return t;
    let k = 0;
    while (t >= knots[k + 1]) k++;
    return sources[k] + ((t - knots[k]) * (sources[k + 1] - sources[k])) / (knots[k + 1] - knots[k]);
  };
}

/** The iris's radius in the source, in its eye's widths: the mean distance of the iris stage's rim points from its centre. */
function irisRadius(mesh: Float32Array, eye: (typeof EYES)[number]): number {
  const [c, ...rim] = eye.iris;
  let sum = 0;
  for (const i of rim) sum += Math.hypot(mesh[i * 3] - mesh[c * 3], mesh[i * 3 + 1] - mesh[c * 3 + 1]);
  const [a, b] = eye.corners;
  return sum / rim.length / (Math.hypot(mesh[b * 3] - mesh[a * 3], mesh[b * 3 + 1] - mesh[a * 3 + 1]) || 1);
}

/**
 * Resamples one eye's opening of `rgb` (over `rect`) by `remap` along the eye, fully a little inside the lids and not
 * at all on them, so that nothing of the lids or lashes is drawn into the opening.
 */
function remapEye(rgb: Float32Array, rect: Rect, geometry: Float32Array, eye: (typeof EYES)[number], remap: ((t: number) => number) | null): void {
  if (!remap) return;
  const [a, b] = eye.corners;
  const ax = geometry[a * 3] - rect.x, ay = geometry[a * 3 + 1] - rect.y;
  const bx = geometry[b * 3] - rect.x, by = geometry[b * 3 + 1] - rect.y;
  const width = Math.hypot(bx - ax, by - ay);
  if (!(width > 2)) return;
  const [ux, uy] = [(bx - ax) / width, (by - ay) / width];
  const [mx, my] = [(ax + bx) / 2, (ay + by) / 2];
  let largest = 0;
  for (let t = -0.5; t <= 0.5; t += 0.05) largest = Math.max(largest, Math.abs(remap(t) - t));
  if (largest * width < MIN_SHIFT_PX) return;

  const window = intersectRect(expandRect(boundingRect(geometry, { stride: 3, indices: eye.polygon }), 2), rect);
  if (window.width < 2 || window.height < 2) return;
  const opening = rasterizePolygon(geometry, window, { stride: 3, indices: eye.polygon });
  // Fully remapped from about a pixel (or 3 % of the eye's width) inside the lids.
  const inside = gaussianBlur(opening, window.width, window.height, Math.max(0.6, width * 0.03));
  // The opening as rendered, to sample from (the remap stays inside it: the corners and lids do not move).
  const local = { ...window, x: window.x - rect.x, y: window.y - rect.y };
  const before = cropRgb(rgb, rect.width, local);
  for (let y = 0; y < window.height; y++) {
    for (let x = 0; x < window.width; x++) {
      const weight = smoothstep(0.5, 0.95, inside[y * window.width + x]);
      if (weight <= 0) continue;
      // Pixel centres, in the render's px.
      const px = local.x + x + 0.5, py = local.y + y + 0.5;
      const t = ((px - mx) * ux + (py - my) * uy) / width;
      const move = weight * (remap(t) - t) * width;
      const p = ((local.y + y) * rect.width + local.x + x) * 3;
      sampleInto(rgb, p, before, window.width, window.height, x + move * ux, y + move * uy);
    }
  }
}

/** Writes at `out[p..p+2]` the bilinear sample of `from` (interleaved RGB, `w` x `h`) at x, y (pixel centres at integers). */
function sampleInto(out: Float32Array, p: number, from: Float32Array, w: number, h: number, x: number, y: number): void {
  const cx = Math.min(w - 1, Math.max(0, x)), cy = Math.min(h - 1, Math.max(0, y));
  const x0 = Math.min(w - 2, Math.floor(cx)), y0 = Math.min(h - 2, Math.floor(cy));
  const fx = cx - x0, fy = cy - y0;
  const i00 = (y0 * w + x0) * 3, i01 = i00 + 3, i10 = i00 + w * 3, i11 = i10 + 3;
  for (let c = 0; c < 3; c++) {
    const top = from[i00 + c] + fx * (from[i01 + c] - from[i00 + c]);
    const bottom = from[i10 + c] + fx * (from[i11 + c] - from[i10 + c]);
    out[p + c] = top + fy * (bottom - top);
  }
}
