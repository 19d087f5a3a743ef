import { describe, expect, it } from 'vitest';
import { MESH_POINTS } from '../face/landmarks.ts';
import { LIPS_INNER } from '../face/regions.ts';
import { mouthOpening } from '../face/measures.ts';
import { withLipsShut } from './mouth.ts';

describe('withLipsShut', () => {
  it('brings each inner lip point to the one across, at their midpoint, and moves nothing else', () => {
    const mesh = Float32Array.from({ length: MESH_POINTS * 3 }, (_, k) => (k * 7919) % 613);
    // An open mouth: the upper lip's inner points 20 px above the lower lip's.
    for (const i of LIPS_INNER.slice(11, 20)) mesh[i * 3 + 1] -= 20;
    expect(mouthOpening(mesh)).toBeGreaterThan(0);
    const shut = withLipsShut(mesh);
    expect(mouthOpening(shut)).toBe(0);
    const [lower, upper] = [14, 13];
    for (let c = 0; c < 3; c++) expect(shut[lower * 3 + c]).toBeCloseTo((mesh[lower * 3 + c] + mesh[upper * 3 + c]) / 2, 4);
    const moved = new Set<number>(LIPS_INNER.filter((i) => i !== 78 && i !== 308));
    for (let i = 0; i < MESH_POINTS; i++) if (!moved.has(i)) for (let c = 0; c < 3; c++) expect(shut[i * 3 + c]).toBe(mesh[i * 3 + c]);
    expect(shut).not.toBe(mesh);
  });
});
