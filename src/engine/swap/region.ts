/**
 * An integer pixel rectangle: columns x .. x + width - 1, rows y .. y + height - 1.
 * Pixel (i, j) covers the square [i, i + 1) x [j, j + 1); its centre is (i + 0.5, j + 0.5).
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Options for {@link boundingRect}. */
export interface BoundsOptions {
  /** Numbers per point: 2 for x,y pairs (default), 3 for x,y,z mesh points. */
  stride?: number;
  /** Only these point indices; all points when omitted. */
  indices?: ArrayLike<number>;
  /** Pixels added on every side (may be fractional; the result is still whole pixels). */
  pad?: number;
  /** Clip to the image [0, clipWidth) x [0, clipHeight) when given. */
  clipWidth?: number;
  clipHeight?: number;
}

/** True when the rectangle holds no pixel. */
export function isEmptyRect(r: Rect): boolean {
  return r.width <= 0 || r.height <= 0;
}

/** Number of pixels in the rectangle (0 when empty). */
export function rectArea(r: Rect): number {
  return isEmptyRect(r) ? 0 : r.width * r.height;
}

/** The part of `a` inside `b` (width/height 0 when they do not overlap). */
export function intersectRect(a: Rect, b: Rect): Rect {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  return { x: x0, y: y0, width: Math.max(0, x1 - x0), height: Math.max(0, y1 - y0) };
}

/** The smallest rectangle holding both (an empty one is ignored). */
export function unionRect(a: Rect, b: Rect): Rect {
  if (isEmptyRect(a)) return { ...b };
  if (isEmptyRect(b)) return { ...a };
  const x0 = Math.min(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  return { x: x0, y: y0, width: Math.max(a.x + a.width, b.x + b.width) - x0, height: Math.max(a.y + a.height, b.y + b.height) - y0 };
}

/** Grows (or, with a negative amount, shrinks) a rectangle by whole pixels on every side. */
export function expandRect(r: Rect, amount: number): Rect {
  const a = Math.trunc(amount);
  return { x: r.x - a, y: r.y - a, width: Math.max(0, r.width + 2 * a), height: Math.max(0, r.height + 2 * a) };
}

/** Clips a rectangle to an image of the given size. */
export function clipRect(r: Rect, width: number, height: number): Rect {
  return intersectRect(r, { x: 0, y: 0, width, height });
}

/**
 * The whole-pixel rectangle holding every pixel that a set of continuous points touches,
 * padded and optionally clipped. Returns an empty rectangle for no (finite) points.
 */
export function boundingRect(points: ArrayLike<number>, options: BoundsOptions = {}): Rect {
  const stride = options.stride ?? 2;
  const pad = options.pad ?? 0;
  const indices = options.indices;
  const count = indices ? indices.length : Math.floor(points.length / stride);
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let k = 0; k < count; k++) {
    const p = (indices ? indices[k] : k) * stride;
    const x = points[p];
    const y = points[p + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (minX > maxX) return { x: 0, y: 0, width: 0, height: 0 };
  const x0 = Math.floor(minX - pad);
  const y0 = Math.floor(minY - pad);
  const x1 = Math.floor(maxX + pad) + 1;
  const y1 = Math.floor(maxY + pad) + 1;
  const r = { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  if (options.clipWidth !== undefined && options.clipHeight !== undefined) return clipRect(r, options.clipWidth, options.clipHeight);
  return r;
}

/**
 * Points (x, y, z each) moved into the pixels of a crop whose corner is at `corner` and shrunk `shrink` times (z
 * shrunk too): a face's mesh on a smaller copy of its part of the picture. Written `into` an array of their length.
 */
export function pointsInCrop(points: ArrayLike<number>, corner: { x: number; y: number }, shrink: number, into: Float32Array): Float32Array {
  for (let i = 0; i < points.length; i += 3) {
    into[i] = (points[i] - corner.x) / shrink;
    into[i + 1] = (points[i + 1] - corner.y) / shrink;
    into[i + 2] = points[i + 2] / shrink;
  }
  return into;
}

/** The rectangle of a w x h plane's values above `threshold`, padded by `pad` px and clipped to the plane; null when none is. */
export function planeBounds(plane: ArrayLike<number>, w: number, h: number, threshold: number, pad = 0): Rect | null {
  let x0 = w, y0 = h, x1 = -1, y1 = -1;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (!(plane[y * w + x] > threshold)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  if (x1 < 0) return null;
  return clipRect({ x: x0 - pad, y: y0 - pad, width: x1 - x0 + 1 + 2 * pad, height: y1 - y0 + 1 + 2 * pad }, w, h);
}

/** Rectangles merged until none overlaps another: each group of overlapping ones becomes their union. */
export function mergeOverlapping(rects: readonly Rect[]): Rect[] {
  const out = rects.filter((r) => !isEmptyRect(r));
  for (let i = 0; i < out.length; i++) {
    for (let j = i + 1; j < out.length; j++) {
      if (isEmptyRect(intersectRect(out[i], out[j]))) continue;
      out[i] = unionRect(out[i], out[j]);
      out.splice(j, 1);
      // The grown rectangle may now meet one already passed.
      j = i;
    }
  }
  return out;
}
