import * as Comlink from 'comlink';
import type { ImageRole } from '../engine/errors.ts';
import type { ImageInput } from '../engine/image/input.ts';
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

/** Decodes a picture in the worker, moving (not copying) raw byte buffers across. */
export function decodeInWorker(role: ImageRole, input: ImageInput) {
  const client = engineClient();
  if (input instanceof ArrayBuffer) return client.decode(role, Comlink.transfer(input, [input]));
  if (input instanceof Uint8Array) return client.decode(role, Comlink.transfer(input, [input.buffer as ArrayBuffer]));
  return client.decode(role, input);
}
