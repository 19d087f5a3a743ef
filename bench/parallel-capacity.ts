/**
 * How much of a second thread this machine gives: the same swap of one face, on one process alone and then on two at
 * once (each its own face of the speed bench's 1080p target). Two faces swapped at once take the longest of the two,
 * so a swap stage with a helper thread is bounded by this, not by half the work.
 *
 *   npx tsx bench/parallel-capacity.ts          (also the last part of npm run bench:speed)
 *
 * Run with `--child FACE START` it is one of those processes: it swaps face FACE of the target from wall-clock time
 * START (ms) and prints its median milliseconds a swap.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { analyzeFaces } from '../src/engine/face/analyze.ts';
import { withScratch } from '../src/engine/scratch.ts';
import { SWAP_ANALYSIS, swapMesh } from '../src/engine/swap-job.ts';
import { swapFace } from '../src/engine/swap/face-swap.ts';
import { decodeImage } from '../src/node/codec.ts';
import { createNodeBackend } from '../src/node/ort-node-backend.ts';
import { median, writeSpeedInputs } from './harness.ts';

/** Swaps timed a process, after untimed ones that let the JIT settle. */
const SWAPS = 12;
const WARM_SWAPS = 4;
/** Time for each process to load and analyse before the common start. */
const START_DELAY_MS = 10_000;

/**
 * Median milliseconds a one-face swap, alone (the mean of a run before and one after, as this machine's speed drifts
 * by a fifth from minute to minute) and with two processes at once (each its own face).
 */
export async function measureParallelCapacity(): Promise<{ alone: number; together: number[] }> {
  await writeSpeedInputs();
  const run = (faces: number[]) => {
    const start = Date.now() + START_DELAY_MS;
    return Promise.all(faces.map((face) => swapInChild(face, start)));
  };
  const [before] = await run([0]);
  const together = await run([0, 1]);
  const [after] = await run([0]);
  return { alone: (before + after) / 2, together };
}

function swapInChild(face: number, start: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', String(face), String(start)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Number(out.trim())) : reject(new Error(`swap process exited with ${code}`))));
  });
}

async function child(face: number, start: number): Promise<void> {
  const backend = createNodeBackend();
  const source = await decodeImage(await readFile('bench/out/speed-source.jpg'), 'source');
  const target = await decodeImage(await readFile('bench/out/speed-target-1080p.jpg'), 'target');
  const [sourceFace] = await analyzeFaces(backend, source, 'source', SWAP_ANALYSIS);
  const targetFace = (await analyzeFaces(backend, target, 'target', SWAP_ANALYSIS))[face];
  while (Date.now() < start) await new Promise((resolve) => setTimeout(resolve, 5));
  const times: number[] = [];
  for (let i = 0; i < WARM_SWAPS + SWAPS; i++) {
    const canvas = { width: target.width, height: target.height, data: target.data.slice() };
    const t = performance.now();
    withScratch(() => swapFace(canvas, swapMesh(targetFace), source, swapMesh(sourceFace)));
    if (i >= WARM_SWAPS) times.push(performance.now() - t);
  }
  console.log(median(times).toFixed(1));
}

if (process.argv[2] === '--child') await child(Number(process.argv[3]), Number(process.argv[4]));
else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { alone, together } = await measureParallelCapacity();
  console.log(parallelCapacityLine(alone, together));
}

/** The figures as the speed bench prints them. */
export function parallelCapacityLine(alone: number, together: number[]): string {
  const slowest = Math.max(...together);
  return `one face's swap (1080p): ${alone.toFixed(0)} ms alone, ${together.map((t) => t.toFixed(0)).join(' and ')} ms with two at once: two threads do ${((2 * alone) / slowest).toFixed(2)}x the work of one`;
}
