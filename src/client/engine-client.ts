import * as Comlink from 'comlink';
import type { WorkerApi } from '../worker/api.ts';

/** The worker's API as the page sees it: every method async. */
export type EngineClient = Comlink.Remote<WorkerApi>;

let remote: EngineClient | null = null;

/**
 * The one engine worker of this page, started on first use. The proxy is kept for the page's lifetime:
 * a garbage-collected Comlink proxy leaves calls hanging.
 */
export function engineClient(): EngineClient {
  remote ??= Comlink.wrap<WorkerApi>(new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module', name: 'faceswap-engine' }));
  return remote;
}
