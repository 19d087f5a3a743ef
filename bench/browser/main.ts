import * as Comlink from 'comlink';
import type { BenchWorkerApi } from './bench.worker.ts';

declare global {
  interface Window {
    bench?: Comlink.Remote<BenchWorkerApi>;
  }
}

// One long-lived proxy, as in the app.
window.bench = Comlink.wrap<BenchWorkerApi>(new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' }));
