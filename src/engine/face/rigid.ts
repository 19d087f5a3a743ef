/** A similarity transform in 3-D: y = scale · R · x + t, R a rotation as a row-major 3×3 matrix. */
export interface Similarity3 {
  scale: number;
  rotation: Float64Array;
  translation: [number, number, number];
}

/**
 * Least-squares similarity mapping the points `indices` of mesh `from` onto the same points of mesh `to`
 * (Horn's closed form with unit quaternions). Meshes are flat x,y,z arrays.
 */
export function fitSimilarity(from: ArrayLike<number>, to: ArrayLike<number>, indices: readonly number[]): Similarity3 {
  const n = indices.length;
  const mf = [0, 0, 0];
  const mt = [0, 0, 0];
  for (const i of indices) for (let k = 0; k < 3; k++) {
    mf[k] += from[i * 3 + k] / n;
    mt[k] += to[i * 3 + k] / n;
  }
  // S[a][b] = Σ from'_a · to'_b
  const s = new Float64Array(9);
  let fromNorm = 0;
  for (const i of indices) {
    for (let a = 0; a < 3; a++) {
      const fa = from[i * 3 + a] - mf[a];
      fromNorm += fa * fa;
      for (let b = 0; b < 3; b++) s[a * 3 + b] += fa * (to[i * 3 + b] - mt[b]);
    }
  }
  const [sxx, sxy, sxz, syx, syy, syz, szx, szy, szz] = s;
  const horn = new Float64Array([
    sxx + syy + szz, syz - szy, szx - sxz, sxy - syx,
    syz - szy, sxx - syy - szz, sxy + syx, szx + sxz,
    szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy,
    sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz,
  ]);
  const q = largestEigenvector4(horn);
  const rotation = quaternionToMatrix(q);
  let dot = 0;
  for (const i of indices) {
    const f = [from[i * 3] - mf[0], from[i * 3 + 1] - mf[1], from[i * 3 + 2] - mf[2]];
    for (let a = 0; a < 3; a++) {
      const rf = rotation[a * 3] * f[0] + rotation[a * 3 + 1] * f[1] + rotation[a * 3 + 2] * f[2];
      dot += rf * (to[i * 3 + a] - mt[a]);
    }
  }
  const scale = fromNorm > 0 ? dot / fromNorm : 1;
  const translation: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    translation[a] = mt[a] - scale * (rotation[a * 3] * mf[0] + rotation[a * 3 + 1] * mf[1] + rotation[a * 3 + 2] * mf[2]);
  }
  return { scale, rotation, translation };
}

/** Applies a similarity to every point of a flat x,y,z array. */
export function applySimilarity(t: Similarity3, points: ArrayLike<number>): Float32Array {
  const out = new Float32Array(points.length);
  const r = t.rotation;
  for (let i = 0; i < points.length; i += 3) {
    const x = points[i], y = points[i + 1], z = points[i + 2];
    for (let a = 0; a < 3; a++) out[i + a] = t.scale * (r[a * 3] * x + r[a * 3 + 1] * y + r[a * 3 + 2] * z) + t.translation[a];
  }
  return out;
}

/** Rotation angles in degrees (yaw about y, pitch about x, roll about z) of a rotation matrix, R = Rz·Ry·Rx. */
export function eulerDegrees(r: Float64Array): { yaw: number; pitch: number; roll: number } {
  const deg = 180 / Math.PI;
  return {
    yaw: Math.asin(Math.max(-1, Math.min(1, -r[6]))) * deg,
    pitch: Math.atan2(r[7], r[8]) * deg,
    roll: Math.atan2(r[3], r[0]) * deg,
  };
}

function quaternionToMatrix([w, x, y, z]: Float64Array): Float64Array {
  return new Float64Array([
    w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z,
  ]);
}

/** Jacobi eigen-decomposition of a symmetric 4×4 matrix; returns the unit eigenvector of the largest eigenvalue. */
function largestEigenvector4(matrix: Float64Array): Float64Array {
  const a = Float64Array.from(matrix);
  const v = new Float64Array([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let p = 0; p < 4; p++) for (let q = p + 1; q < 4; q++) off += a[p * 4 + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < 4; p++) {
      for (let q = p + 1; q < 4; q++) {
        const apq = a[p * 4 + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * 4 + q] - a[p * 4 + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < 4; k++) {
          const akp = a[k * 4 + p], akq = a[k * 4 + q];
          a[k * 4 + p] = c * akp - s * akq;
          a[k * 4 + q] = s * akp + c * akq;
        }
        for (let k = 0; k < 4; k++) {
          const apk = a[p * 4 + k], aqk = a[q * 4 + k];
          a[p * 4 + k] = c * apk - s * aqk;
          a[q * 4 + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < 4; k++) {
          const vkp = v[k * 4 + p], vkq = v[k * 4 + q];
          v[k * 4 + p] = c * vkp - s * vkq;
          v[k * 4 + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  let best = 0;
  for (let k = 1; k < 4; k++) if (a[k * 4 + k] > a[best * 4 + best]) best = k;
  const e = new Float64Array([v[best], v[4 + best], v[8 + best], v[12 + best]]);
  const norm = Math.hypot(...e);
  return e.map((x) => x / norm);
}
