import { sampleBilinear } from '../face/affine.ts';
import { mouthOpening, mouthWidth } from '../face/measures.ts';
import { LIPS_OUTER } from '../face/regions.ts';
import type { Raster } from '../image/raster.ts';
import { rgbToLab } from './colour.ts';
import { darkInside, looksLikeTeeth, LOWER_INNER, UPPER_INNER } from './mouth.ts';
import { medianOf } from './skin.ts';

/**
 * The inner lip line fitted to the open mouth a photo shows. The mesh places a rounded, talking mouth's opening too
 * low and too small (img57: its upper inner lip across the middle of the dark inside), and the new face takes the
 * target's mouth from it: the source's upper lip was drawn over the top of the opening, the mouth left a slit.
 */

/** Across the mouth, corner to corner: the outer lip line's lower and upper points, beside the inner line's. */
const LOWER_OUTER = LIPS_OUTER.slice(1, 10);
const UPPER_OUTER = LIPS_OUTER.slice(11, 20).reverse();
/**
 * Only mouths the mesh draws open at least this far (see mouthOpening) are fitted: where it draws them shut, a lip in
 * shadow reads as an opening (img34's, lit from one side).
 */
const MESH_OPEN = 0.06;
/** Mouths narrower than this (px) are left as the mesh has them: too few pixels to tell lips from what they open on. */
const MIN_MOUTH_WIDTH = 24;
/** An opening the fit moves to is at least this high (relative to the mouth's width): less is where shut lips meet. */
const MIN_OPENING = 0.06;
/** Samples along each line across the lips, per px. */
const SAMPLES_PER_PX = 2;
/** Gaps in the inside up to this long (relative to the mouth's width) are bridged: a tooth's edge, a glint. */
const GAP = 0.02;
/** The fitted line keeps this share of the lips' thickness (each lip's, outer to inner line) as lip. */
const MIN_LIP = 0.25;

/**
 * A copy of `mesh` (x, y, z per point, picture px) whose inner lip points lie on the edges of the mouth's opening as
 * `image` shows it: along each line from the upper lip's outer edge to the lower lip's, the run of its dark inside
 * that overlaps the opening the mesh draws. Where no such run is found (a shut mouth, one showing teeth, a small one,
 * one the frame cuts) the points stay; the corners always do. Returns `mesh` itself when nothing moves.
 */
export function withInnerLipsFitted(image: Raster, mesh: Float32Array): Float32Array {
  const width = mouthWidth(mesh);
  if (!(width >= MIN_MOUTH_WIDTH) || mouthOpening(mesh) < MESH_OPEN) return mesh;
  const sampled = UPPER_OUTER.map((_, k) => lineAcross(image, mesh, k));
  if (!sampled.every((line) => line !== null)) return mesh;
  const lines: Line[] = sampled;
  const onLips = lines.map(lipSamples);
  if (!onLips.some((samples) => samples.length)) return mesh;
  // The lips' median L* and a*.
  const lips = [0, 1].map((channel) => medianOf(Float32Array.from(onLips.flatMap((samples, k) => samples.map((s) => lines[k].lab[s * 3 + channel])))));
  const lipL = lips[0];
  // Teeth are told from lips less surely (a glossy lip, a pale lower one): a mouth showing them is left as the mesh has
  // it, which follows a smile's teeth well.
  if (teethShare(lines, lips) > MAX_TEETH) return mesh;
  const runs = lines.map((line) => openingRun(line, lipL, width));
  if (runs.every((run) => run === null)) return mesh;
  // Each line's move (px, along it) for the upper and the lower lip, the median of it and its neighbours': one line
  // that reads a glint or a lip's shadow does not jag the line.
  const moves = (pick: (run: Run, line: Line) => number) => runs.map((run, k) => (run ? pick(run, lines[k]) : 0));
  const upper = medianOfThree(moves((run, line) => (run.from - line.upper) * line.length));
  const lower = medianOfThree(moves((run, line) => (run.to - line.lower) * line.length));
  if (upper.every((move) => move === 0) && lower.every((move) => move === 0)) return mesh;
  const fitted = mesh.slice();
  lines.forEach((line, k) => {
    for (const [point, move] of [[UPPER_INNER[k], upper[k]], [LOWER_INNER[k], lower[k]]] as const) {
      fitted[point * 3] += (move * line.dx) / line.length;
      fitted[point * 3 + 1] += (move * line.dy) / line.length;
    }
  });
  return fitted;
}

/** A mouth whose opening, as the mesh draws it, shows teeth over more than this share is left as it is. */
const MAX_TEETH = 0.15;

/** The share of the mesh's opening along `lines` that shows teeth (see looksLikeTeeth; `lips`, their median L* and a*). */
function teethShare(lines: Line[], lips: number[]): number {
  let teeth = 0, all = 0;
  lines.forEach((line) => {
    for (let s = 0; s < line.count; s++) {
      const t = s / (line.count - 1);
      if (t < line.upper || t > line.lower) continue;
      all++;
      if (looksLikeTeeth(line.lab, s * 3, lips)) teeth++;
    }
  });
  return all ? teeth / all : 0;
}

function medianOfThree(values: number[]): number[] {
  return values.map((v, k) => {
    const [a, b] = [values[Math.max(0, k - 1)], values[Math.min(values.length - 1, k + 1)]];
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), v));
  });
}

/** A run along a line (0..1 from its upper end). */
interface Run {
  from: number;
  to: number;
}

/**
 * Samples of the picture along a line across the lips, from the upper lip's outer edge to the lower lip's (L*a*b*),
 * the line's direction and length, and where the mesh's inner lip points beside it lie along it.
 */
interface Line {
  dx: number;
  dy: number;
  length: number;
  /** Samples, evenly from 0 (the upper end) to 1 (the lower). */
  lab: Float32Array;
  count: number;
  /** Where the upper and the lower inner lip point lie along the line (0..1 from its upper end): their projections. */
  upper: number;
  lower: number;
}

/** The `k`th line across the lips (corner to corner), sampled; null where it leaves the picture. */
function lineAcross(image: Raster, mesh: Float32Array, k: number): Line | null {
  const [from, to] = [UPPER_OUTER[k], LOWER_OUTER[k]];
  const x0 = mesh[from * 3], y0 = mesh[from * 3 + 1];
  const dx = mesh[to * 3] - x0, dy = mesh[to * 3 + 1] - y0;
  const inside = (x: number, y: number) => x >= 0 && y >= 0 && x <= image.width - 1 && y <= image.height - 1;
  if (!inside(x0, y0) || !inside(x0 + dx, y0 + dy)) return null;
  const count = Math.max(2, Math.ceil(Math.hypot(dx, dy) * SAMPLES_PER_PX) + 1);
  const rgb = new Float32Array(count * 3);
  const sample = new Float64Array(3);
  for (let s = 0; s < count; s++) {
    const t = s / (count - 1);
    sample.fill(0);
    sampleBilinear(image, x0 + t * dx, y0 + t * dy, sample);
    rgb.set(sample, s * 3);
  }
  // Where a mesh point lies along the line (0..1): its projection.
  const length2 = dx * dx + dy * dy;
  const along = (point: number) => (length2 > 0 ? ((mesh[point * 3] - x0) * dx + (mesh[point * 3 + 1] - y0) * dy) / length2 : 0);
  return { dx, dy, length: Math.hypot(dx, dy), lab: rgbToLab(rgb, rgb), count, upper: along(UPPER_INNER[k]), lower: along(LOWER_INNER[k]) };
}

/** The samples of a line on the lips: between its outer ends and the mesh's inner points, away from both. */
function lipSamples(line: Line): number[] {
  const [u, l] = [line.upper, line.lower];
  const out: number[] = [];
  for (let s = 0; s < line.count; s++) {
    const t = s / (line.count - 1);
    const inUpper = t > u * 0.25 && t < u * 0.75;
    const inLower = t > l + (1 - l) * 0.25 && t < l + (1 - l) * 0.75;
    if (inUpper || inLower) out.push(s);
  }
  return out;
}

/**
 * The run of samples along `line` that show the mouth's dark inside (see darkInside), small gaps bridged,
 * that overlaps the mesh's opening between its inner lip points most, as positions 0..1 along the line, each lip
 * left at least MIN_LIP of its thickness; null where none overlaps it, or is MIN_OPENING of the mouth's width long.
 */
function openingRun(line: Line, lipL: number, mouthWidth: number): Run | null {
  const { count, lab } = line;
  const pxPerSample = line.length / (count - 1);
  const inside = new Uint8Array(count);
  for (let s = 0; s < count; s++) {
    inside[s] = darkInside(lab, s * 3, lipL) >= 0.5 ? 1 : 0;
  }
  const gap = Math.round((GAP * mouthWidth) / pxPerSample);
  const [u, l] = [line.upper, line.lower];
  let best: { from: number; to: number; overlap: number } | null = null;
  for (let s = 0; s < count; ) {
    if (!inside[s]) {
      s++;
      continue;
    }
    let end = s;
    for (let e = s + 1; e < count && e - end <= gap + 1; e++) if (inside[e]) end = e;
    const [from, to] = [s / (count - 1), end / (count - 1)];
    const overlap = Math.min(to, l) - Math.max(from, u);
    if (!best || overlap > best.overlap) best = { from, to, overlap };
    s = end + 1;
  }
  if (!best || !(best.overlap > 0) || (best.to - best.from) * line.length < MIN_OPENING * mouthWidth) return null;
  // Each lip keeps at least part of its thickness: a dark lipstick's edge or a beard below is no mouth.
  const from = Math.max(best.from, u * MIN_LIP);
  const to = Math.min(best.to, l + (1 - l) * (1 - MIN_LIP));
  return to > from ? { from, to } : null;
}
