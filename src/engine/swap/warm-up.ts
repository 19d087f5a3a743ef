import { IRIS_POINTS } from '../face/landmarks.ts';
import { halvedCrop } from '../face/pyramid.ts';
import { BROWS, EYE_POLYGON, FACE_OVAL, LIPS_INNER, LIPS_OUTER } from '../face/regions.ts';
import { createRaster, type Raster } from '../image/raster.ts';
import { sourceFootprint, swapFace } from './face-swap.ts';
import { rasterizePolygon } from './mask.ts';
import { MEAN_FACE } from './mean-face.ts';
import { boundingRect, pointsInCrop, type Rect } from './region.ts';

/** The warm-up's picture is the source face's surroundings halved until its long side is at most this (px). */
const WARM_UP_SIDE = 384;

/**
 * Swaps a source face onto a small copy of its own picture, the result thrown away: every stage of a face swap runs,
 * so that the JavaScript engine compiles them before the first real swap, which otherwise waits seconds for it (its
 * pixel loops are compiled over the first swaps, 6.5 s for the first and 0.6 s from about the tenth on the speed
 * bench's machine). What is worked out of the source face itself (its look) is kept for the real swaps.
 *
 * Returns the copy, swapped.
 */
export function warmUpSwap(source: Raster, sourceMesh: Float32Array): Raster {
  const area = sourceFootprint(source.width, source.height, sourceMesh);
  let halvings = 0;
  while (Math.max(area.width, area.height) >> halvings > WARM_UP_SIDE) halvings++;
  const canvas = halvedCrop(source, area, halvings);
  swapFace(canvas, pointsInCrop(sourceMesh, area, 2 ** halvings, new Float32Array(sourceMesh.length)), source, sourceMesh);
  return canvas;
}

/** The mean face's picture: its size, and the face's width in it (px), centred. */
const MEAN_FACE_PICTURE = { width: 320, height: 400, faceWidth: 200 } as const;

/**
 * A face drawn in flat colours (skin with a grain, hair, brows, eyes, irises, lips) on the mean face's mesh
 * (mean-face.ts), and that mesh: a source to warm up on before any picture is given, for a page whose first swap
 * may come with both pictures at once. Its look is nobody's; only the code it runs through matters.
 */
export function meanFacePicture(): { image: Raster; mesh: Float32Array } {
  const { width, height, faceWidth } = MEAN_FACE_PICTURE;
  const xs = FACE_OVAL.map((i) => MEAN_FACE[i * 3]), ys = FACE_OVAL.map((i) => MEAN_FACE[i * 3 + 1]);
  const scale = faceWidth / (Math.max(...xs) - Math.min(...xs));
  const shift = [width / 2 - ((Math.max(...xs) + Math.min(...xs)) / 2) * scale, height / 2 - ((Math.max(...ys) + Math.min(...ys)) / 2) * scale];
  const mesh = MEAN_FACE.map((v, i) => v * scale + (i % 3 === 2 ? 0 : shift[i % 3]));
  const faceHeight = (Math.max(...ys) - Math.min(...ys)) * scale;
  const image = createRaster(width, height);
  // A fixed grain (the same picture every time), so that the skin has a texture to be looked at.
  let seed = 1;
  const grain = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 12;
  /** A shape: how much of the pixel at (x, y) it covers, within its bounds. */
  interface Shape {
    cover(x: number, y: number): number;
    bounds: Rect;
  }
  const paint = ({ cover, bounds }: Shape, colour: (x: number) => readonly number[]) => {
    const [x0, y0] = [Math.max(0, Math.floor(bounds.x)), Math.max(0, Math.floor(bounds.y))];
    const [x1, y1] = [Math.min(width, Math.ceil(bounds.x + bounds.width)), Math.min(height, Math.ceil(bounds.y + bounds.height))];
    for (let y = y0; y < y1; y++) {
      for (let x = x0, p = y * width + x0; x < x1; x++, p++) {
        const k = cover(x, y);
        if (!(k > 0)) continue;
        const rgb = colour(x);
        for (let c = 0; c < 3; c++) image.data[p * 4 + c] = image.data[p * 4 + c] * (1 - k) + rgb[c] * k;
        image.data[p * 4 + 3] = 255;
      }
    }
  };
  const polygon = (indices: ArrayLike<number>): Shape => {
    const bounds = boundingRect(mesh, { stride: 3, indices, pad: 1 });
    const cover = rasterizePolygon(mesh, bounds, { stride: 3, indices });
    return { cover: (x, y) => cover[(y - bounds.y) * bounds.width + x - bounds.x], bounds };
  };
  // Anti-aliased over about a pixel.
  const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => ({
    cover: (x, y) => Math.min(1, Math.max(0, (1 - Math.hypot((x + 0.5 - cx) / rx, (y + 0.5 - cy) / ry)) * Math.min(rx, ry))),
    bounds: { x: cx - rx, y: cy - ry, width: 2 * rx, height: 2 * ry },
  });
  paint({ cover: () => 1, bounds: { x: 0, y: 0, width, height } }, (x) => [150 + x / 8, 165 + x / 10, 185]);
  paint(ellipse(width / 2, height / 2 - faceHeight * 0.3, faceWidth * 0.62, faceHeight * 0.45), () => [70 + grain(), 50, 35]);
  // Lit from the picture's left.
  paint(polygon(FACE_OVAL), (x) => [225 - x / 8, 180 - x / 8, 150 - x / 10].map((v) => v + grain()));
  for (const brow of [BROWS.left, BROWS.right]) paint(polygon(brow), () => [80 + grain(), 60, 45]);
  for (const eye of [EYE_POLYGON.left, EYE_POLYGON.right]) paint(polygon(eye), () => [235, 232, 228]);
  for (const iris of [IRIS_POINTS.left, IRIS_POINTS.right]) {
    const [cx, cy] = [mesh[iris[0] * 3], mesh[iris[0] * 3 + 1]];
    const radius = Math.hypot(mesh[iris[1] * 3] - cx, mesh[iris[1] * 3 + 1] - cy);
    paint(ellipse(cx, cy, radius, radius), () => [95, 70, 50]);
    paint(ellipse(cx, cy, radius / 2.5, radius / 2.5), () => [15, 10, 10]);
  }
  paint(polygon(LIPS_OUTER), () => [185, 95, 95]);
  paint(polygon(LIPS_INNER), () => [70, 35, 35]);
  return { image, mesh };
}
