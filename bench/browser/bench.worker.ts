import * as Comlink from 'comlink';
import { analyzeFaces } from '../../src/engine/face/analyze.ts';
import type { Quality } from '../../src/engine/job.ts';
import { validateImageBytes } from '../../src/engine/image/validate.ts';
import type { Raster } from '../../src/engine/image/raster.ts';
import { runSwapJob, SWAP_ANALYSIS } from '../../src/engine/swap-job.ts';
import { bitmapToRaster, decodeBitmap, encodeRaster } from '../../src/worker/codec.ts';
import { WebRuntime } from '../../src/worker/runtime.ts';

let runtime: Promise<WebRuntime> | null = null;

const fetchBytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());

async function decode(bytes: Uint8Array, role: 'source' | 'target'): Promise<Raster> {
  validateImageBytes(bytes, role);
  const bitmap = await decodeBitmap(bytes, role);
  const raster = bitmapToRaster(bitmap);
  bitmap.close();
  return raster;
}

/** Times the app's own stages in a worker, as the app runs them. Milliseconds per stage. */
const api = {
  async start(): Promise<{ backend: string; threads: number; ms: number }> {
    const t = performance.now();
    runtime ??= WebRuntime.create();
    const r = await runtime;
    await r.preload(['blazeface', 'facemesh', 'iris', 'faceres']);
    return { backend: r.info.backend, threads: r.info.threads, ms: performance.now() - t };
  },

  /** Milliseconds per run of one model on a constant input of the given NHWC dims (median of `runs`). */
  async model(name: string, dims: number[], runs: number): Promise<number> {
    const backend = await runtime!;
    const input = { data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(0.25), dims };
    await backend.run(name, input);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await backend.run(name, input);
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[runs >> 1];
  },

  /** The analysis stages of one picture (detect, mesh, iris, embed). */
  async analyse(url: string): Promise<Record<string, number>> {
    const image = await decode(await fetchBytes(url), 'target');
    const timings: Record<string, number> = {};
    const faces = await analyzeFaces(await runtime!, image, 'target', { timings });
    return { ...timings, faces: faces.length };
  },

  /** Decode → analyse → swap → encode, as the app's swap does it. */
  async swap(sourceUrl: string, targetUrl: string, quality: Quality): Promise<Record<string, number>> {
    const backend = await runtime!;
    const [sourceBytes, targetBytes] = await Promise.all([fetchBytes(sourceUrl), fetchBytes(targetUrl)]);
    const marks: Record<string, number> = {};
    let t = performance.now();
    const started = t;
    const source = await decode(sourceBytes, 'source');
    const target = await decode(targetBytes, 'target');
    marks.decode = performance.now() - t;
    let phase = '';
    // The analysis stages inside 'detect', per picture.
    const stages: Record<string, Record<string, number>> = { source: {}, target: {} };
    const result = await runSwapJob(
      { analyse: (role, image) => analyzeFaces(backend, image, role, { ...SWAP_ANALYSIS, timings: stages[role] }), encode: encodeRaster },
      source,
      target,
      { quality, outputFormat: 'jpg' },
      (next) => {
        if (next === phase) return;
        const now = performance.now();
        if (phase) marks[phase] = (marks[phase] ?? 0) + now - t;
        phase = next;
        t = now;
      },
    );
    marks[phase] = (marks[phase] ?? 0) + performance.now() - t;
    marks.total = performance.now() - started;
    for (const [role, times] of Object.entries(stages)) for (const [stage, ms] of Object.entries(times)) marks[`${role.slice(0, 3)}.${stage}`] = ms;
    marks.faces = result.facesDetected;
    marks.outputMegapixels = (result.width * result.height) / 1e6;
    return marks;
  },
};

export type BenchWorkerApi = typeof api;
Comlink.expose(api);
