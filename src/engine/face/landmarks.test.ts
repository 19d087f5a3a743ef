import { describe, expect, it } from 'vitest';
import { EYE_OUTLINE, landmarks5, MESH_POINTS, MOUTH_CORNERS, NOSE_TIP, TRIANGULATION } from './landmarks.ts';

describe('mesh topology', () => {
  it('has 880 triangles over all 468 points, none degenerate', () => {
    expect(TRIANGULATION.length).toBe(880 * 3);
    const used = new Set(TRIANGULATION);
    expect(used.size).toBe(MESH_POINTS);
    expect(Math.max(...TRIANGULATION)).toBe(MESH_POINTS - 1);
    for (let t = 0; t < TRIANGULATION.length; t += 3) {
      const [a, b, c] = [TRIANGULATION[t], TRIANGULATION[t + 1], TRIANGULATION[t + 2]];
      expect(a !== b && b !== c && a !== c).toBe(true);
    }
  });
});

describe('landmarks5', () => {
  const mesh = new Float32Array(MESH_POINTS * 3);
  for (const i of EYE_OUTLINE.left) mesh.set([10, 20, 0], i * 3);
  for (const i of EYE_OUTLINE.right) mesh.set([30, 22, 0], i * 3);
  mesh.set([20, 35, -5], NOSE_TIP * 3);
  mesh.set([12, 45, 0], MOUTH_CORNERS[0] * 3);
  mesh.set([28, 46, 0], MOUTH_CORNERS[1] * 3);

  it('orders eyes, nose, mouth corners as ArcFace templates do', () => {
    expect(Array.from(landmarks5(mesh))).toEqual([10, 20, 30, 22, 20, 35, 12, 45, 28, 46]);
  });

  it('takes the iris centres as eye centres when given', () => {
    const iris = new Float32Array(30);
    iris.set([11, 21, 0], 0);
    iris.set([31, 23, 0], 15);
    expect(Array.from(landmarks5(mesh, iris)).slice(0, 4)).toEqual([11, 21, 31, 23]);
  });
});
