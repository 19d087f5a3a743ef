/**
 * The first-swap bench: what a person waits for on a page just opened, with the engine's warm-up swaps (see
 * src/worker/warm-up.ts) and without. Each trial opens a new page (nothing compiled yet): the person takes `pause` to
 * choose a source (the engine warms up on a drawn face meanwhile), the source is given and its faces found, `pause`
 * to choose a target, the target is given and its faces found, `pause` again, then the swap (high, JPG), on a 1080p
 * target with one face and one with two; and a programmatic first swap, both pictures given at once `pause` after
 * the engine started. The pauses and the steps' times are the page's (as a person's, on the UI's thread); the engine
 * runs in the bench's worker.
 *
 *   npm run bench:first [-- --trials 3 --pauses 0,3000,8000]
 *
 * Prints, per target and pause, the median milliseconds of the source's and the target's steps and of the swap, and of the programmatic
 * swap (pictures given to result: faces found + swapped and encoded), without and with the warm-up; trials of the two
 * alternate, as this machine's speed drifts.
 */
import { parseArgs } from 'node:util';
import type { Page } from '@playwright/test';
import { benchUrl, median, startBenchBrowser, writeSpeedInputs } from './harness.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '3' }, pauses: { type: 'string', default: '0,3000,8000' } } });
const trials = Math.max(1, Number(values.trials));
const pauses = values.pauses!.split(',').map(Number);

await writeSpeedInputs();
const bench = await startBenchBrowser();

/** `trials` runs of `call` on new pages (nothing compiled yet), without the warm-up and with it, alternately. */
async function alternately<T>(call: (page: Page, warmUp: boolean) => Promise<T>): Promise<{ off: T[]; on: T[] }> {
  const runs = { off: [] as T[], on: [] as T[] };
  for (let i = 0; i < trials; i++) {
    for (const warmUp of [false, true]) {
      const page = await bench.openBenchPage();
      runs[warmUp ? 'on' : 'off'].push(await call(page, warmUp));
      await page.context().close();
    }
  }
  return runs;
}

try {
  console.log('# Chromium (headless, WASM), a new page a trial; median ms');
  for (const target of ['1080p-1face', '1080p'] as const) {
    const urls = [benchUrl('speed-source.jpg'), benchUrl(`speed-target-${target}.jpg`)] as const;
    for (const pause of pauses) {
      // A person: source step / target step / swap.
      const person = await alternately((page, warmUp) =>
        page.evaluate(
          // No named functions in here: the bundler would wrap them in a helper the page lacks.
          async ([s, t, p, w]) => {
            const bench = window.bench!;
            await bench.openEngine(s, t, w);
            const times: number[] = [];
            for (const step of ['source', 'target', 'swap'] as const) {
              await new Promise((resolve) => setTimeout(resolve, p));
              const started = performance.now();
              await (step === 'swap' ? bench.swapGiven() : bench.give(step));
              times.push(performance.now() - started);
            }
            return { source: times[0], target: times[1], swap: times[2] };
          },
          [...urls, pause, warmUp] as const,
        ),
      );
      const steps = (samples: { source: number; target: number; swap: number }[]) =>
        (['source', 'target', 'swap'] as const).map((step) => median(samples.map((s) => s[step])).toFixed(0)).join(' / ');
      console.log(`${`${target} target, ${pause / 1000} s to choose`.padEnd(34)} without warm-up ${steps(person.off).padEnd(18)} with ${steps(person.on)}`);
      // A programmatic swap: given to result (the pictures decoded and their faces found + the swap and its encoding).
      const atOnce = await alternately((page, warmUp) =>
        page.evaluate(
          async ([s, t, p, w]) => {
            await window.bench!.openEngine(s, t, w);
            await new Promise((resolve) => setTimeout(resolve, p));
            return window.bench!.giveBothAndSwap();
          },
          [...urls, pause, warmUp] as const,
        ),
      );
      const stages = (samples: Record<string, number>[]) => {
        const of = (...keys: string[]) => median(samples.map((s) => keys.reduce((sum, k) => sum + (s[k] ?? 0), 0))).toFixed(0);
        return `${of('total')} (${of('decode', 'models', 'detect')} + ${of('swap', 'encode')})`;
      };
      console.log(`${`${target} target, both after ${pause / 1000} s`.padEnd(34)} without warm-up ${stages(atOnce.off).padEnd(18)} with ${stages(atOnce.on)}`);
    }
  }
} finally {
  await bench.close();
}
