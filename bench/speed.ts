/**
 * The speed bench: the app's stages in headless Chromium (Debian's, WASM backend, threads as the app picks them:
 * 2 on this 2-core machine) and the same engine in Node, on 1080p and 3840×2160 targets with two faces and a 1080p
 * target with one.
 *
 *   npm run bench:speed [-- --runs 3]
 *
 * Prints per-stage milliseconds (median of the warm runs), the cold start, and the peak resident memory of the
 * renderer process hosting the page and its workers, sampled every 50 ms; last, how much a second thread adds on
 * this machine (see parallel-capacity.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeFaces } from '../src/engine/face/analyze.ts';
import { runSwapJob, SWAP_ANALYSIS } from '../src/engine/swap-job.ts';
import { decodeImage, encodeImage } from '../src/node/codec.ts';
import { createNodeBackend } from '../src/node/ort-node-backend.ts';
import { benchUrl as url, median, SPEED_SOURCE as source, startBenchBrowser, writeSpeedInputs } from './harness.ts';
import { measureParallelCapacity, parallelCapacityLine } from './parallel-capacity.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Math.max(2, Number(values.runs));

const targets = await writeSpeedInputs();

function summarise(label: string, samples: Record<string, number>[]): void {
  const warm = samples.slice(1);
  const keys = Object.keys(samples[0]);
  const cells = keys.map((k) => `${k}=${k === 'faces' ? samples[0][k] : median(warm.map((s) => s[k])).toFixed(k === 'outputMegapixels' ? 1 : 0)}`);
  console.log(`${label.padEnd(34)} ${cells.join('  ')}   (cold total ${samples[0].total?.toFixed(0) ?? '-'})`);
}

/** Ids of Chromium's renderer processes. */
function rendererPids(): string[] {
  return readdirSync('/proc').filter((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes('chromium') && cmd.includes('--type=renderer');
    } catch {
      return false; // not a process, or one that ended between listing and reading
    }
  });
}

/** Chromium's renderer processes, and whether each hosts dedicated workers (the page's, here). */
function rendererProcesses(): { pid: string; hostsWorkers: boolean }[] {
  return rendererPids().map((pid) => {
    try {
      const threads = readdirSync(`/proc/${pid}/task`).map((t) => readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8'));
      return { pid, hostsWorkers: threads.some((name) => name.startsWith('DedicatedWorker')) };
    } catch {
      return { pid, hostsWorkers: false };
    }
  });
}

const residentMB = (pid: string) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
};

/**
 * Peak resident memory while `work` runs, in MB, sampled every 50 ms: of the renderer hosting the page and its
 * workers (the app's memory), and of every renderer together, which adds Chromium's own UI renderer
 * (--top-chrome-webui) and its spare one, ~230 MB that are not the app's (what this bench first reported).
 */
async function peakRendererMemory<T>(work: () => Promise<T>): Promise<[T, { page: number; all: number }]> {
  const peak = { page: 0, all: 0 };
  const pagePids = new Set(rendererProcesses().filter((p) => p.hostsWorkers).map((p) => p.pid));
  const sample = () => {
    let page = 0;
    let all = 0;
    for (const pid of rendererPids()) {
      const mb = residentMB(pid);
      all += mb;
      if (pagePids.has(pid)) page += mb;
    }
    peak.page = Math.max(peak.page, page);
    peak.all = Math.max(peak.all, all);
  };
  const timer = setInterval(sample, 50);
  try {
    const result = await work();
    sample();
    return [result, peak];
  } finally {
    clearInterval(timer);
  }
}

console.log('# Chromium (headless, WASM)');
const bench = await startBenchBrowser();
try {
  const page = await bench.openBenchPage();
  const start = await page.evaluate(() => window.bench!.start());
  console.log(`runtime ${start.backend}, ${start.threads} threads, faces swapped on ${start.swapThreads}; cold start (wasm compile + 4 sessions) ${start.ms.toFixed(0)} ms`);
  // The swap's JavaScript takes about 15 runs to be fully compiled, in the engine worker and in its helper (which
  // gets every other face; after 8 a 1080p job still took 250-300 ms for its swap stage now and then, 170-200 ms
  // once settled): untimed swaps first, so that the first target measured is not the one that pays for it.
  const firstSwaps: number[] = [];
  for (let i = 0; i < 16; i++) {
    const marks = await page.evaluate(([s, t]) => window.bench!.swap(s, t, 'high'), [url('speed-source.jpg'), url('speed-target-1080p.jpg')] as const);
    firstSwaps.push(marks.total);
  }
  // What a person waits for their first swaps (1080p, two faces) while the browser is still compiling.
  console.log(`first swaps after the start   ${firstSwaps.map((ms) => ms.toFixed(0)).join(' ')} ms`);
  // At the input sizes the app runs, once the swaps above have run the runtime for a while: the browser compiles
  // hot wasm code again, optimised, and for the first 10-20 s after the start a run takes 2-7 times as long.
  const shapes = [['blazeface', [1, 128, 128, 3]], ['blazeface', [1, 256, 256, 3]], ['blazeface', [1, 320, 544, 3]], ['blazeface', [1, 608, 1056, 3]], ['facemesh', [1, 192, 192, 3]], ['iris', [1, 64, 64, 3]], ['faceres', [1, 224, 224, 3]]] as const;
  const perModel: string[] = [];
  for (const round of [0, 1]) {
    for (const [name, dims] of shapes) {
      const ms = await page.evaluate(([n, d]) => window.bench!.model(n, [...d], 9), [name, dims] as const);
      if (round === 1) perModel.push(`${name}@${dims[2]}x${dims[1]}=${ms.toFixed(1)}`);
    }
  }
  console.log(`one model run (ms)          ${perModel.join('  ')}`);
  for (const name of Object.keys(targets)) {
    const samples: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) samples.push(await page.evaluate((u) => window.bench!.analyse(u), url(`speed-target-${name}.jpg`)));
    summarise(`analysis ${name}`, samples);
  }
  for (const name of Object.keys(targets)) {
    for (const quality of ['high', '4k'] as const) {
      if (name !== '1080p' && quality === '4k') continue;
      const samples: Record<string, number>[] = [];
      const peak = { page: 0, all: 0 };
      for (let i = 0; i < runs; i++) {
        const [marks, mb] = await peakRendererMemory(() =>
          page.evaluate(([s, t, q]) => window.bench!.swap(s, t, q), [url('speed-source.jpg'), url(`speed-target-${name}.jpg`), quality] as const),
        );
        samples.push(marks);
        peak.page = Math.max(peak.page, mb.page);
        peak.all = Math.max(peak.all, mb.all);
      }
      summarise(`swap ${name} target, ${quality}`, samples);
      console.log(`${''.padEnd(34)} peak memory: page's renderer ${peak.page.toFixed(0)} MB (all renderers ${peak.all.toFixed(0)} MB)`);
    }
  }
  // The swaps above write JPEG (photos in, a photo out); the API's default is PNG, which takes longer to encode.
  for (const name of ['1080p', '4K']) {
    const ms = await page.evaluate(([u, n]) => window.bench!.encode(u, ['png', 'jpg', 'webp'], n), [url(`speed-target-${name}.jpg`), runs] as const);
    console.log(`${`encode ${name} output`.padEnd(34)} ${Object.entries(ms).map(([format, t]) => `${format}=${t.toFixed(0)}`).join('  ')}`);
  }
} finally {
  await bench.close();
}

console.log('# Node (onnxruntime-node CPU, sharp codec)');
const backend = createNodeBackend();
for (const [name, bytes] of Object.entries(targets)) {
  const samples: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const timings: Record<string, number> = {};
    const image = await decodeImage(bytes, 'target');
    const faces = await analyzeFaces(backend, image, 'target', { timings });
    samples.push({ ...timings, faces: faces.length });
  }
  summarise(`analysis ${name}`, samples);
  const swaps: Record<string, number>[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const [s, tg] = [await decodeImage(source, 'source'), await decodeImage(bytes, 'target')];
    const decode = performance.now() - t;
    const result = await runSwapJob({ analyse: (role, image) => analyzeFaces(backend, image, role, SWAP_ANALYSIS), encode: encodeImage }, s, tg, { quality: 'high', outputFormat: 'jpg' });
    swaps.push({ decode, swapJob: result.processingTime, total: performance.now() - t, faces: result.facesDetected });
  }
  summarise(`swap ${name} target, high`, swaps);
}

// What the helper thread can win here: the page's two threads share this machine's two cores with each other.
console.log('# This machine (Node, one process per thread)');
const { alone, together } = await measureParallelCapacity();
console.log(parallelCapacityLine(alone, together));
