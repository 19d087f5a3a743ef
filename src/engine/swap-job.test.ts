import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { skinFineDetail } from '../../test/fine-detail.ts';
import { FACES_DIR, hasModels, loadRaster } from '../../test/load-raster.ts';
import { createNodeBackend } from '../node/ort-node-backend.ts';
import { FaceSwapError } from './errors.ts';
import { analyzeFaces } from './face/analyze.ts';
import { FACE_OVAL } from './face/regions.ts';
import type { InferenceBackend } from './inference.ts';
import { BufferPool } from './image/buffer-pool.ts';
import type { Raster } from './image/raster.ts';
import type { SwapPhase, SwapRequest } from './job.ts';
import { newJobId, runSwapJob, SWAP_ANALYSIS, swapMesh, type FaceBatch, type SwappableFace } from './swap-job.ts';
import { swapConcurrently } from './swap/concurrent.ts';
import { DEFAULT_FACE_SWAP, swapFace, swapFootprint, type FaceSwapOptions } from './swap/face-swap.ts';
import { resizeRaster } from './swap/resample.ts';
import { sourceVisibility } from './swap/visibility.ts';

const MODELS = hasModels('blazeface', 'facemesh');

/** The pixels of `a` and `b` that differ inside (or, with `outside`, outside) a box. */
function differing(a: Raster, b: Raster, box: { x: number; y: number; width: number; height: number }, outside = false): number {
  let count = 0;
  for (let y = 0; y < a.height; y++) {
    for (let x = 0; x < a.width; x++) {
      const within = x >= box.x && y >= box.y && x < box.x + box.width && y < box.y + box.height;
      if (within === outside) continue;
      const i = (y * a.width + x) * 4;
      if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) count++;
    }
  }
  return count;
}

/** The box around a face's outline grown `k` times about its centre. */
function around(face: SwappableFace, k: number) {
  let cx = 0, cy = 0;
  for (const i of FACE_OVAL) {
    cx += face.mesh[i * 3] / FACE_OVAL.length;
    cy += face.mesh[i * 3 + 1] / FACE_OVAL.length;
  }
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const i of FACE_OVAL) {
    const x = cx + (face.mesh[i * 3] - cx) * k, y = cy + (face.mesh[i * 3 + 1] - cy) * k;
    [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  }
  return { x: Math.floor(x0), y: Math.floor(y0), width: Math.ceil(x1) - Math.floor(x0) + 1, height: Math.ceil(y1) - Math.floor(y0) + 1 };
}

describe('newJobId', () => {
  it('is job_ and 12 base-36 characters, fresh each time', () => {
    const ids = new Set(Array.from({ length: 50 }, newJobId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^job_[0-9a-z]{12}$/);
  });
});

describe.skipIf(!MODELS)('runSwapJob on real photos', () => {
  let backend: InferenceBackend;
  // Each picture is analysed once for the whole file; the job itself does not care who caches.
  const analysed = new WeakMap<Raster, Promise<SwappableFace[]>>();
  const deps = {
    analyse(role: 'source' | 'target', image: Raster) {
      let faces = analysed.get(image);
      if (!faces) {
        faces = analyzeFaces(backend, image, role, SWAP_ANALYSIS);
        analysed.set(image, faces);
      }
      // The role named in an error is the one asked about, whoever asked first.
      return faces.catch((caught) => {
        throw caught instanceof FaceSwapError ? new FaceSwapError(caught.code, caught.message, role) : caught;
      });
    },
    encode: async (image: Raster) => image,
  };
  const pictures = new Map<string, Promise<Raster>>();
  const picture = (name: string, make?: () => Promise<Raster>) => {
    if (!pictures.has(name)) pictures.set(name, make ? make() : loadRaster(name));
    return pictures.get(name)!;
  };
  const run = async (sourceName: string, target: Raster, request: Partial<SwapRequest> = {}) =>
    runSwapJob(deps, await picture(sourceName), target, { quality: 'high', outputFormat: 'png', ...request });

  beforeAll(() => {
    backend = createNodeBackend();
  });

  it('swaps only the face named by face_index; the other face stays bit-identical', async () => {
    const couple = await picture('couple.jpg');
    const result = await run('img22.jpg', couple, { faceIndex: 1 });
    const faces = await deps.analyse('target', couple);
    expect(result.facesDetected).toBe(2);
    expect(result.facesSwapped).toEqual([1]);
    expect(differing(result.encoded, couple, around(faces[0], 1))).toBe(0);
    expect(differing(result.encoded, couple, around(faces[1], 1))).toBeGreaterThan(1000);
  });

  it('swaps every face when face_index is left out', async () => {
    const selfie = await picture('selfie-many-people.jpg');
    const result = await run('img29.jpg', selfie);
    const faces = await deps.analyse('target', selfie);
    expect(result.facesDetected).toBe(faces.length);
    expect(result.facesDetected).toBeGreaterThanOrEqual(6);
    expect(result.facesSwapped).toEqual(faces.map((_, i) => i));
    for (const face of faces) expect(differing(result.encoded, selfie, around(face, 0.6))).toBeGreaterThan(20);
  });

  it('swaps faces concurrently (faces apart at once, faces that overlap in order) into the same picture as one by one', async () => {
    const selfie = await picture('selfie-many-people.jpg');
    const oneByOne = await run('img29.jpg', selfie);
    // Two lanes, the second held back until the first has swapped two faces (or, were the rest all to wait for its
    // face, for a while): faces are swapped out of list order, as by a second thread. A fixed delay raced the first
    // lane on a loaded machine.
    const order: number[] = [];
    let firstLaneSwapped = 0;
    let releaseSecondLane = () => {};
    const secondLaneFree = Promise.race([new Promise<void>((resolve) => (releaseSecondLane = resolve)), new Promise((resolve) => setTimeout(resolve, 5000))]);
    const swapFaces = ({ canvas, source, sourceMesh, targetMeshes, options, onSwapped }: FaceBatch) => {
      const footprints = targetMeshes.map((mesh) => swapFootprint(canvas.width, canvas.height, mesh, sourceMesh, options));
      const swap = (face: number) => {
        order.push(face);
        swapFace(canvas, targetMeshes[face], source, sourceMesh, options);
      };
      const first = async (face: number) => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        swap(face);
        if (++firstLaneSwapped === 2) releaseSecondLane();
      };
      const second = async (face: number) => {
        await secondLaneFree;
        swap(face);
      };
      return swapConcurrently(footprints, [first, second], onSwapped);
    };
    const concurrent = await runSwapJob({ ...deps, swapFaces }, await picture('img29.jpg'), selfie, { quality: 'high', outputFormat: 'png' });
    expect(order).not.toEqual([...order].sort());
    expect(differing(concurrent.encoded, oneByOne.encoded, { x: 0, y: 0, width: selfie.width, height: selfie.height })).toBe(0);
  });

  it('refuses a face_index the picture does not have, naming the picture', async () => {
    const couple = await picture('couple.jpg');
    await expect(run('img22.jpg', couple, { faceIndex: 2 })).rejects.toMatchObject({ code: 'FACE_INDEX_OUT_OF_RANGE', image: 'target' });
    await expect(run('img22.jpg', couple, { sourceFaceIndex: 1 })).rejects.toMatchObject({ code: 'FACE_INDEX_OUT_OF_RANGE', image: 'source' });
  });

  it('reports a source without a face as NO_FACE_DETECTED for the source', async () => {
    // The office windows behind the face in img22.jpg.
    const windows = await picture('windows', () => loadRaster(sharp(`${FACES_DIR}/img22.jpg`).extract({ left: 0, top: 0, width: 360, height: 300 })));
    await expect(runSwapJob(deps, windows, await picture('img29.jpg'), { quality: 'high', outputFormat: 'png' })).rejects.toMatchObject({
      code: 'NO_FACE_DETECTED',
      image: 'source',
    });
  });

  it('renders each quality at its size: standard at most 1280 px long, high the target size, 4k 3840 px long', async () => {
    const big = await picture('big', () => loadRaster(sharp(`${FACES_DIR}/img29.jpg`).resize(1200, 1600)));
    const standard = await run('img22.jpg', big, { quality: 'standard' });
    expect([standard.width, standard.height]).toEqual([960, 1280]);
    const small = await picture('img29.jpg');
    const high = await run('img22.jpg', small, { quality: 'high' });
    expect([high.width, high.height]).toEqual([600, 800]);
    const uhd = await run('img22.jpg', small, { quality: '4k' });
    expect([uhd.width, uhd.height]).toEqual([2880, 3840]);
    for (const r of [standard, high, uhd]) {
      expect([r.encoded.width, r.encoded.height]).toEqual([r.width, r.height]);
      expect(r.resolution).toBe(`${r.width}x${r.height}`);
    }
    // The source face is enlarged onto the target's at the output's size: 4.8 times as much at 4k (800 -> 3840 px).
    expect(uhd.sourceEnlargement / high.sourceEnlargement).toBeCloseTo(4.8, 1);
  });

  it("keeps the face sharp at 4k: it is not softened to the enlarged target's softness, as it is at high", async () => {
    // img3's sharp face onto img29 enlarged 4.8 times: the enlargement, not the photo, is what is soft there.
    const [source, target] = await Promise.all([picture('img3.jpg'), picture('img29.jpg')]);
    const uhd = await run('img3.jpg', target, { quality: '4k' });
    const [sourceFace] = await deps.analyse('source', source);
    const [targetFace] = await deps.analyse('target', target);
    const scale = uhd.width / target.width;
    const mesh = swapMesh(targetFace).map((v) => v * scale);
    const swapOn = (options: FaceSwapOptions) => {
      const canvas = resizeRaster(target, uhd.width, uhd.height);
      swapFace(canvas, mesh, source, swapMesh(sourceFace), options);
      return canvas;
    };
    const softened = swapOn(DEFAULT_FACE_SWAP);
    const sharp4k = swapOn({ ...DEFAULT_FACE_SWAP, softenToTarget: false });
    expect(Buffer.compare(Buffer.from(uhd.encoded.data), Buffer.from(sharp4k.data))).toBe(0);
    // Its skin's fine detail: 0.45, softened 0.28.
    expect(skinFineDetail(sharp4k, mesh)).toBeGreaterThan(1.2 * skinFineDetail(softened, mesh));
  });

  it('draws its output on a kept buffer when given a pool, as on a new array, and gives it back encoded or failed', async () => {
    const target = await picture('img29.jpg');
    const source = await picture('img22.jpg');
    for (const quality of ['high', '4k'] as const) {
      const fresh = await runSwapJob(deps, source, target, { quality, outputFormat: 'png' });
      const bytes = fresh.encoded.data.length;
      // A buffer a job before left its pixels in: every byte of the output must be drawn again.
      const kept = new ArrayBuffer(bytes);
      new Uint8Array(kept).fill(0x7f);
      const pool = new BufferPool((n) => new ArrayBuffer(n), 1);
      pool.give(kept);
      let drawnOn: ArrayBufferLike | null = null;
      const pooled = await runSwapJob(
        { ...deps, outputBuffers: pool, encode: async (image: Raster) => ((drawnOn = image.data.buffer), { ...image, data: image.data.slice() }) },
        source, target, { quality, outputFormat: 'png' },
      );
      expect(drawnOn).toBe(kept);
      expect(Buffer.compare(Buffer.from(pooled.encoded.data), Buffer.from(fresh.encoded.data))).toBe(0);
      // Back in the pool for the next job, as after a failed one.
      expect(pool.take(bytes)).toBe(kept);
      pool.give(kept);
      const failing = { ...deps, outputBuffers: pool, encode: async (): Promise<Raster> => Promise.reject(new FaceSwapError('INTERNAL', 'no encoder')) };
      await expect(runSwapJob(failing, source, target, { quality, outputFormat: 'png' })).rejects.toMatchObject({ code: 'INTERNAL' });
      expect(pool.take(bytes)).toBe(kept);
    }
  });

  it('leaves everything around the face bit-identical at high quality, and reports the seed fields', async () => {
    const target = await picture('img29.jpg');
    const phases: SwapPhase[] = [];
    const result = await runSwapJob(deps, await picture('img22.jpg'), target, { quality: 'high', outputFormat: 'webp' }, (phase) => phases.push(phase));
    const [face] = await deps.analyse('target', target);
    const [sourceFace] = await deps.analyse('source', await picture('img22.jpg'));
    // The bend of the surroundings reaches 1.4 times the face's radius; nothing beyond it moves.
    expect(differing(result.encoded, target, around(face, 1.45), true)).toBe(0);
    expect(differing(result.encoded, target, around(face, 1))).toBeGreaterThan(face.box.width * face.box.height * 0.5);
    expect(result).toMatchObject({ outputFormat: 'webp', resolution: '600x800', width: 600, height: 800, facesDetected: 1, facesSwapped: [0] });
    expect(result.jobId).toMatch(/^job_[0-9a-z]{12}$/);
    expect(result.processingTime).toBeGreaterThanOrEqual(0);
    const side = ({ box }: SwappableFace) => Math.max(box.width, box.height);
    expect(result.sourceEnlargement).toBeCloseTo(side(face) / side(sourceFace), 2);
    // The share of img22's face under its hair, as the swap found it.
    const { hairCover } = sourceVisibility(await picture('img22.jpg'), sourceFace.mesh);
    expect(hairCover).toBeGreaterThan(0.05);
    expect(result.sourceHairCover).toBe(Math.round(hairCover * 100) / 100);
    expect([...new Set(phases)]).toEqual(['detect', 'swap', 'encode']);
  });
});
