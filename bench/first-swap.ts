/**
 * The first-swap bench: what a person waits for on a page just opened, with the engine's warm-up swaps (see
 * src/worker/warm-up.ts) and without. Each trial opens a new page (nothing compiled yet): the source is given and its
 * faces found, the person takes `pause` to choose a target, the target is given and its faces found, `pause` again,
 * then the swap (high, JPG), on a 1080p target with one face and one with two.
 *
 *   npm run bench:first [-- --trials 3 --pauses 0,3000,8000]
 *
 * Prints, per target and pause, the median milliseconds of the target's step and of the swap, without and with the
 * warm-up; trials of the two alternate, as this machine's speed drifts.
 */
import { parseArgs } from 'node:util';
import { benchUrl, median, startBenchBrowser, writeSpeedInputs } from './harness.ts';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '3' }, pauses: { type: 'string', default: '0,3000,8000' } } });
const trials = Math.max(1, Number(values.trials));
const pauses = values.pauses!.split(',').map(Number);

await writeSpeedInputs();
const bench = await startBenchBrowser();
try {
  console.log('# Chromium (headless, WASM), a new page a trial; target step / swap, ms (median)');
  for (const target of ['1080p-1face', '1080p'] as const) {
    for (const pause of pauses) {
      const runs = { off: [] as { target: number; swap: number }[], on: [] as { target: number; swap: number }[] };
      for (let i = 0; i < trials; i++) {
        for (const warmUp of [false, true]) {
          const page = await bench.openBenchPage();
          const args = [benchUrl('speed-source.jpg'), benchUrl(`speed-target-${target}.jpg`), pause, warmUp] as const;
          runs[warmUp ? 'on' : 'off'].push(await page.evaluate(([s, t, p, w]) => window.bench!.firstSwap(s, t, p, w), args));
          await page.context().close();
        }
      }
      const figure = (samples: { target: number; swap: number }[]) =>
        `${median(samples.map((s) => s.target)).toFixed(0)} / ${median(samples.map((s) => s.swap)).toFixed(0)}`;
      console.log(`${`${target} target, ${pause / 1000} s to choose`.padEnd(34)} without warm-up ${figure(runs.off).padEnd(12)} with ${figure(runs.on)}`);
    }
  }
} finally {
  await bench.close();
}
