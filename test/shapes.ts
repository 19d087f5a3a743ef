/** An ellipse outline as `n` flat [x, y] pairs, for masks in tests and benches. */
export function ellipse(cx: number, cy: number, rx: number, ry: number, n = 128): Float32Array {
  const pts = new Float32Array(n * 2);
  for (let k = 0; k < n; k++) {
    pts[2 * k] = cx + rx * Math.cos((2 * Math.PI * k) / n);
    pts[2 * k + 1] = cy + ry * Math.sin((2 * Math.PI * k) / n);
  }
  return pts;
}

/** How far apart two angles are, in degrees (0..180), for rolls in tests and benches. */
export function degreesApart(a: number, b: number): number {
  return Math.abs(((a - b + 540) % 360) - 180);
}
