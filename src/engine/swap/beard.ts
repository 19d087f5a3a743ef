import { grow, seededRegions, smoothstep, type FaceLayout, type WorkGrid } from './face-layout.ts';
import { gaussianBlur } from './mask.ts';
import type { ColourModel } from './skin.ts';
import { floats } from '../scratch.ts';

/** Local contrast (luma, 0..255) over which a patch of the lower face reads as hair rather than skin. */
const BEARD_TEXTURE: [number, number] = [10, 18];
/**
 * A beard is darker than the skin (L*) or greyer (chroma), by these ramps; and never redder (a*): lips, lipstick and
 * a mouth's shadow are, where the mesh's lip line misses them, and are as dark and as busy in a small or noisy photo.
 */
const DARKER: [number, number] = [5, 15];
const GREYER: [number, number] = [4, 10];
const REDDER: [number, number] = [4, 10];
/** Cells at least this beard-like (once smoothed) are surely beard; those at least the second, beard joined to them. */
const SURE = 0.5;
const JOINED = 0.25;
/**
 * Mesh points a beard or moustache covers and nothing else there does: the chin below the lower lip, the skin above
 * the upper lip. Hair, an earring or a shadow along the jaw's edge joins none of them.
 */
const BEARD_SEEDS = [200, 199, 175, 164, 167, 393] as const;
/** How near a seed point (relative to the face's size) a sure cell must be. */
const SEED_REACH = 0.04;
/** Gaps in a beard (sparser hair under the lip, a lit patch) up to this wide (relative to the face's size) are closed. */
const GAP = 0.05;
/** A beard covers at least this share of the face; less is a shadow in a chin's dimple. */
const MIN_SHARE = 0.02;

/** What the beard finder reads of the face on its grid, per cell. */
export interface BeardClues {
  /** L*a*b* (interleaved). */
  lab: Float32Array;
  /** The skin's colour. */
  skin: ColourModel;
  /** How skin-like (0..1). */
  skinLike: Float32Array;
  /** Local contrast (luma 0..255). */
  contrast: Float32Array;
}

/**
 * Where the face on `grid` has a beard or moustache, 0..1 per cell: below the nose, what is darker or greyer than its
 * skin and unlike it or textured like hair, joined to the chin or the upper lip, its gaps closed; never the lips. All
 * 0 for a shaven face, and for stubble (as skin-like as it is smooth).
 */
export function findBeard(grid: WorkGrid, layout: FaceLayout, { lab, skin, skinLike, contrast }: BeardClues): Float32Array {
  const { width: w, height: h, faceSize } = grid;
  const cells = w * h;
  const [skinL, skinA, skinB] = skin.median;
  const skinChroma = Math.hypot(skinA, skinB);
  const hairLike = floats(cells);
  for (let c = 0; c < cells; c++) {
    const [L, a, b] = [lab[c * 3], lab[c * 3 + 1], lab[c * 3 + 2]];
    const colour = Math.max(smoothstep(DARKER[0], DARKER[1], skinL - L), smoothstep(GREYER[0], GREYER[1], skinChroma - Math.hypot(a, b))) * (1 - smoothstep(REDDER[0], REDDER[1], a - skinA));
    const hair = Math.max(1 - skinLike[c], smoothstep(BEARD_TEXTURE[0], BEARD_TEXTURE[1], contrast[c]));
    hairLike[c] = layout.beardZone[c] * (1 - layout.nearFeatures[c]) * colour * hair;
  }
  const smooth = gaussianBlur(hairLike, w, h, faceSize * 0.008);
  const reach = (faceSize * SEED_REACH) ** 2;
  const bySeed = (c: number) => {
    const x = (c % w) + 0.5, y = Math.floor(c / w) + 0.5;
    return smooth[c] >= SURE && BEARD_SEEDS.some((i) => (grid.mesh[i * 3] - x) ** 2 + (grid.mesh[i * 3 + 1] - y) ** 2 < reach);
  };
  // Sure cells by the chin or lip, and what beard-like joins them (a side in shadow reads less sure).
  const { label } = seededRegions((c) => smooth[c] >= JOINED, bySeed, w, h);
  const beard = floats(cells);
  let area = 0, face = 0;
  for (let c = 0; c < cells; c++) {
    beard[c] = label[c] ? smoothstep(JOINED, SURE, smooth[c]) * (1 - layout.lips[c]) : 0;
    area += beard[c];
    if (layout.toEdge[c] > 0) face++;
  }
  if (area < MIN_SHARE * face) return beard.fill(0);
  // Closed: grown across its gaps, then shrunk back from what is not beard.
  const grown = grow(beard, w, h, faceSize * GAP);
  for (let c = 0; c < cells; c++) grown[c] = 1 - grown[c];
  const closed = grow(grown, w, h, faceSize * GAP);
  for (let c = 0; c < cells; c++) beard[c] = Math.max(beard[c], (1 - closed[c]) * layout.beardZone[c] * (1 - layout.lips[c]));
  return beard;
}
