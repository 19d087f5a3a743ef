import { engineClient } from '../client/engine-client.ts';
import type { ImageRole, Outcome } from '../engine/errors.ts';
import type { OutputFormat } from '../engine/formats.ts';
import type { ImageInput } from '../engine/image/input.ts';
import type { FaceSummary, ProgressListener, SwapRequest, SwapResult } from '../engine/job.ts';
import type { DecodeOptions, EngineInfo, ImageSummary, InitOptions } from '../worker/api.ts';

/** The worker calls the API relies on (the worker contract), as the page sees them. */
export interface Engine {
  init(options?: InitOptions): Promise<EngineInfo>;
  decode(role: ImageRole, input: ImageInput, options?: DecodeOptions): Promise<Outcome<ImageSummary>>;
  encode(role: ImageRole, format: OutputFormat): Promise<Outcome<Blob>>;
  analyse(role: ImageRole): Promise<Outcome<FaceSummary[]>>;
  /** `onProgress` must be wrapped in `Comlink.proxy`. */
  swap(request: SwapRequest, onProgress?: ProgressListener): Promise<Outcome<SwapResult>>;
  forget(role: ImageRole): Promise<void>;
  cancel(): Promise<void>;
}

/** The page's one engine worker, started on first use. */
export const engine = (): Engine => engineClient();
