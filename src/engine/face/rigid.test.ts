import { describe, expect, it } from 'vitest';
import { applySimilarity, eulerDegrees, fitSimilarity } from './rigid.ts';

function rotation(yaw: number, pitch: number, roll: number): Float64Array {
  const [a, b, c] = [yaw, pitch, roll].map((d) => (d * Math.PI) / 180);
  const rz = [Math.cos(c), -Math.sin(c), 0, Math.sin(c), Math.cos(c), 0, 0, 0, 1];
  const ry = [Math.cos(a), 0, Math.sin(a), 0, 1, 0, -Math.sin(a), 0, Math.cos(a)];
  const rx = [1, 0, 0, 0, Math.cos(b), -Math.sin(b), 0, Math.sin(b), Math.cos(b)];
  const mul = (p: number[], q: number[]) => Array.from({ length: 9 }, (_, i) => p[Math.floor(i / 3) * 3] * q[i % 3] + p[Math.floor(i / 3) * 3 + 1] * q[3 + (i % 3)] + p[Math.floor(i / 3) * 3 + 2] * q[6 + (i % 3)]);
  return Float64Array.from(mul(rz, mul(ry, rx)));
}

describe('fitSimilarity', () => {
  it('recovers a known scale, rotation and translation, and its Euler angles', () => {
    const points = Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 12.9898) * 100);
    const truth = { scale: 1.7, rotation: rotation(20, -10, 30), translation: [5, -3, 12] as [number, number, number] };
    const moved = applySimilarity(truth, points);
    const fit = fitSimilarity(points, moved, Array.from({ length: 20 }, (_, i) => i));
    expect(fit.scale).toBeCloseTo(1.7, 4);
    const angles = eulerDegrees(fit.rotation);
    expect(angles.yaw).toBeCloseTo(20, 3);
    expect(angles.pitch).toBeCloseTo(-10, 3);
    expect(angles.roll).toBeCloseTo(30, 3);
    const back = applySimilarity(fit, points);
    for (let i = 0; i < points.length; i++) expect(back[i]).toBeCloseTo(moved[i], 2);
  });
});
