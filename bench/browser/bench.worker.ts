import * as Comlink from 'comlink';
import { analyzeFaces } from '../../src/engine/face/analyze.ts';
import type { OutputFormat } from '../../src/engine/formats.ts';
import type { Quality } from '../../src/engine/job.ts';
import { validateImageBytes } from '../../src/engine/image/validate.ts';
import type { Raster } from '../../src/engine/image/raster.ts';
import { startRuntime, workerApi } from '../../src/worker/api.ts';
import { decodePicture, pictureToRaster } from '../../src/worker/codec.ts';
import { startFaceSwapHelper } from '../../src/worker/parallel-swap.ts';

/** The median of some timings. */
const median = (times: number[]) => [...times].sort((a, b) => a - b)[times.length >> 1];

const fetchBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

async function decode(bytes: Uint8Array, role: 'source' | 'target'): Promise<Raster> {
  const header = validateImageBytes(bytes, role);
  const picture = await decodePicture(bytes, role, header);
  const raster = await pictureToRaster(picture, header.format);
  picture.close();
  return raster;
}

/**
 * Decode → analyse → swap → encode through the worker's own interface, as the app's imageSwap drives it: both
 * pictures decoded at once (each analysed as soon as it is), then the swap. Milliseconds per stage: 'decode' until
 * both are stored, 'detect' the analysis left to wait for then, and the swap's stages.
 */
async function decodeAndSwap(sourceBytes: Uint8Array, targetBytes: Uint8Array, quality: Quality): Promise<Record<string, number>> {
  const marks: Record<string, number> = {};
  let t = performance.now();
  const started = t;
  const decoded = await Promise.all([workerApi.decode('source', sourceBytes, { preview: false, sourceFaces: 'largest' }), workerApi.decode('target', targetBytes, { preview: false })]);
  for (const outcome of decoded) if (!outcome.ok) throw new Error(outcome.error.message);
  marks.decode = performance.now() - t;
  let phase = '';
  const outcome = await workerApi.swap({ quality, outputFormat: 'jpg' }, (next) => {
    if (next === phase) return;
    const now = performance.now();
    if (phase) marks[phase] = (marks[phase] ?? 0) + now - t;
    phase = next;
    t = now;
  });
  marks[phase] = (marks[phase] ?? 0) + performance.now() - t;
  if (!outcome.ok) throw new Error(outcome.error.message);
  marks.total = performance.now() - started;
  marks.faces = outcome.value.facesDetected;
  marks.outputMegapixels = (outcome.value.width * outcome.value.height) / 1e6;
  return marks;
}

/** The pictures of a first swap (see openEngine). */
const firstPictures = { source: new Uint8Array(), target: new Uint8Array() };

/** Times the app's own stages in a worker, as the app runs them. Milliseconds per stage. */
const api = {
  async start(): Promise<{ backend: string; threads: number; swapThreads: number; ms: number }> {
    const t = performance.now();
    const swapThreads = startFaceSwapHelper() ? 2 : 1;
    const r = await startRuntime();
    await r.preload(['blazeface', 'facemesh', 'iris', 'faceres']);
    return { backend: r.info.backend, threads: r.info.threads, swapThreads, ms: performance.now() - t };
  },

  /** Milliseconds per run of one model on a constant input of the given NHWC dims (median of `runs`). */
  async model(name: string, dims: number[], runs: number): Promise<number> {
    const backend = await startRuntime();
    const input = { data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.25), dims };
    await backend.run(name, input);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await backend.run(name, input);
      times.push(performance.now() - t);
    }
    return median(times);
  },

  /** The analysis stages of one picture (detect, mesh, iris, embed). */
  async analyse(url: string): Promise<Record<string, number>> {
    const image = await decode(await fetchBytes(url), 'target');
    const timings: Record<string, number> = {};
    const faces = await analyzeFaces(await startRuntime(), image, 'target', { timings });
    return { ...timings, faces: faces.length };
  },

  /** Milliseconds to encode a picture of the target's size in each output format (median of `runs`), as a swap's last stage does. */
  async encode(url: string, formats: OutputFormat[], runs: number): Promise<Record<string, number>> {
    const decoded = await workerApi.decode('target', await fetchBytes(url), { preview: false });
    if (!decoded.ok) throw new Error(decoded.error.message);
    const out: Record<string, number> = {};
    for (const format of formats) {
      const times: number[] = [];
      for (let i = 0; i <= runs; i++) {
        const t = performance.now();
        const encoded = await workerApi.encode('target', format);
        if (!encoded.ok) throw new Error(encoded.error.message);
        // The first run warms the encoder up.
        if (i > 0) times.push(performance.now() - t);
      }
      out[format] = median(times);
    }
    return out;
  },

  /** The pictures at these URLs fetched, then {@link decodeAndSwap}. */
  async swap(sourceUrl: string, targetUrl: string, quality: Quality): Promise<Record<string, number>> {
    const [sourceBytes, targetBytes] = await Promise.all([fetchBytes(sourceUrl), fetchBytes(targetUrl)]);
    return decodeAndSwap(sourceBytes, targetBytes, quality);
  },

  /**
   * A first swap on a page just opened, a step at a time, as the app's UI asks for it; the pauses between steps are
   * the page's (its main thread, as the UI's), so that the engine's work in this thread does not hold them up. First
   * the pictures at these URLs fetched, then the engine started (preloaded models, warm-up passes or not): resolves
   * as it starts, as the page's clock does not wait for it.
   */
  async openEngine(sourceUrl: string, targetUrl: string, warmUp: boolean): Promise<void> {
    [firstPictures.source, firstPictures.target] = await Promise.all([fetchBytes(sourceUrl), fetchBytes(targetUrl)]);
    void workerApi.init({ preloadModels: true, warmUp });
  },

  /** A picture fetched by openEngine given, and its faces found. */
  async give(role: 'source' | 'target'): Promise<void> {
    const decoded = await workerApi.decode(role, firstPictures[role]);
    if (!decoded.ok) throw new Error(decoded.error.message);
    const faces = await workerApi.analyse(role);
    if (!faces.ok) throw new Error(faces.error.message);
  },

  /** The swap of the pictures given (high, JPG). */
  async swapGiven(): Promise<void> {
    const outcome = await workerApi.swap({ quality: 'high', outputFormat: 'jpg' });
    if (!outcome.ok) throw new Error(outcome.error.message);
  },

  /** The pictures fetched by openEngine given at once, then the swap, as {@link swap} times it. */
  giveBothAndSwap(): Promise<Record<string, number>> {
    return decodeAndSwap(firstPictures.source, firstPictures.target, 'high');
  },
};

export type BenchWorkerApi = typeof api;
Comlink.expose(api);
