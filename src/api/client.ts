import * as Comlink from 'comlink';
import type { ImageRole, Outcome } from '../engine/errors.ts';
import { DEFAULT_OUTPUT_FORMAT, isOutputFormat, type OutputFormat } from '../engine/formats.ts';
import { DEFAULT_QUALITY, QUALITIES, type FaceSummary, type Quality, type SwapPhase, type SwapRequest } from '../engine/job.ts';
import type { DecodeOptions, EngineInfo, ImageSummary } from '../worker/api.ts';
import { engine as defaultEngine, type Engine } from './engine.ts';
import { FaceSwapApiError } from './errors.ts';
import { toEngineInput, type FaceSwapImage } from './image-input.ts';
import { exclusive, type JobContext } from './queue.ts';
import { toImageSwapResult, type ImageSwapResult } from './result.ts';

/** Stages reported to `onProgress`: reading the pictures, then the engine's stages. */
export type FaceSwapPhase = 'decode' | SwapPhase;
export type FaceSwapProgress = (phase: FaceSwapPhase, done: number, total: number) => void;

/** Options every call takes. */
export interface CallOptions {
  /** Aborting it cancels the call: it rejects with a FaceSwapApiError coded CANCELLED. */
  signal?: AbortSignal;
}

/** How to swap. */
export interface SwapOptions extends CallOptions {
  /** "png" (default), "jpg" or "webp". */
  outputFormat?: OutputFormat;
  /** "standard", "high" (default) or "4k". */
  quality?: Quality;
  /** The target face to replace, 0-based, left to right (as `analyze` lists them); absent or null replaces every face. */
  faceIndex?: number | null;
  /** The source face to use, 0-based; absent or null takes the largest. */
  sourceFaceIndex?: number | null;
  /** Keep the target's beard and moustache over the new face (default false). */
  keepBeard?: boolean;
  onProgress?: FaceSwapProgress;
}

/** The seed's `imageSwap` request. */
export interface ImageSwapOptions extends SwapOptions {
  /** The picture whose face is used. */
  sourceImage: FaceSwapImage;
  /** The picture where it goes. */
  targetImage: FaceSwapImage;
}

export interface AnalyzeOptions extends CallOptions {
  /** Which of the engine's two picture slots to read it into; "target" unless said. */
  role?: ImageRole;
}

/** A picture read into the engine, with its preview. */
export type PictureSummary = ImageSummary & { thumbnail: Blob };

function withPreview(summary: ImageSummary): PictureSummary {
  const { thumbnail } = summary;
  if (!thumbnail) throw new FaceSwapApiError('INTERNAL', `No preview was made of the ${summary.role} image.`, summary.role);
  return { ...summary, thumbnail };
}

/**
 * A face swap client. Everything runs in this page's engine worker; calls are queued and run one at a time.
 * The engine keeps one source and one target picture: `imageSwap`, `analyze` and `setImage` replace them.
 */
export interface FaceSwapClient {
  /** Reads both pictures and swaps: the seed's `POST /v1/image-swap`. */
  imageSwap(options: ImageSwapOptions): Promise<ImageSwapResult>;
  /** Reads a picture and lists its faces (box in the picture's pixels, index, score), left to right. Rejects NO_FACE_DETECTED when none. */
  analyze(image: FaceSwapImage, options?: AnalyzeOptions): Promise<FaceSummary[]>;
  /** Reads a picture into the engine's slot for `role` and describes it; a failure keeps the picture set before. */
  setImage(role: ImageRole, image: FaceSwapImage, options?: CallOptions): Promise<PictureSummary>;
  /** The faces of the picture set for `role`. */
  faces(role: ImageRole, options?: CallOptions): Promise<FaceSummary[]>;
  /** Swaps the pictures set with `setImage`, so options can change without reading them again. */
  swap(options?: SwapOptions): Promise<ImageSwapResult>;
  /** The picture set for `role`, encoded at full resolution. */
  encode(role: ImageRole, format: OutputFormat, options?: CallOptions): Promise<Blob>;
  /** Drops the picture set for `role`. */
  clearImage(role: ImageRole): Promise<void>;
  /** Starts the engine (if not yet) and says which backend runs and which formats this browser writes. */
  info(): Promise<EngineInfo>;
  /** Cancels the call that is running now. */
  cancel(): void;
}

/** Creates a client. The engine worker starts on the first call, not before. */
export function createFaceSwap(options: { engine?: () => Engine } = {}): FaceSwapClient {
  const engine = options.engine ?? defaultEngine;
  const cancel = () => void engine().cancel();
  const job = <T>(signal: AbortSignal | undefined, work: (ctx: JobContext) => Promise<T>) => exclusive(work, signal, cancel);

  const decode = async (role: ImageRole, image: FaceSwapImage, options?: DecodeOptions) => valueOf(await engine().decode(role, await toEngineInput(image, role), options));

  const runSwap = async (ctx: JobContext, options: SwapOptions) => {
    const request = toRequest(options);
    const listener = options.onProgress;
    ctx.checkpoint();
    return valueOf(await engine().swap(request, listener ? Comlink.proxy(listener) : undefined));
  };

  return {
    imageSwap(options) {
      return job(options.signal, async (ctx) => {
        toRequest(options); // refuse bad options before any work
        const started = performance.now();
        // Both at once: the worker starts analysing each picture as soon as it is decoded.
        let decoded = 0;
        options.onProgress?.('decode', 0, 2);
        // A swap with no source face picked takes the largest, and only that one is looked for.
        const sourceFaces = options.sourceFaceIndex == null ? 'largest' : 'all';
        const decodeOne = async (role: ImageRole, image: FaceSwapImage) => {
          await decode(role, image, { preview: false, sourceFaces });
          options.onProgress?.('decode', ++decoded, 2);
        };
        const outcomes = await Promise.allSettled([decodeOne('source', options.sourceImage), decodeOne('target', options.targetImage)]);
        // The source's failure is reported first, as when they were read one after the other.
        for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
        ctx.checkpoint();
        const result = await runSwap(ctx, options);
        return { result, elapsed: performance.now() - started };
      }).then(({ result, elapsed }) => toImageSwapResult(result, elapsed));
    },

    analyze(image, { role = 'target', signal } = {}) {
      return job(signal, async (ctx) => {
        await decode(role, image);
        ctx.checkpoint();
        return valueOf(await engine().analyse(role));
      });
    },

    setImage(role, image, { signal } = {}) {
      return job(signal, async () => withPreview(await decode(role, image)));
    },

    faces(role, { signal } = {}) {
      return job(signal, async () => valueOf(await engine().analyse(role)));
    },

    swap(options = {}) {
      return job(options.signal, (ctx) => runSwap(ctx, options)).then((result) => toImageSwapResult(result));
    },

    encode(role, format, { signal } = {}) {
      return job(signal, async () => valueOf(await engine().encode(role, format)));
    },

    clearImage(role) {
      return job(undefined, () => engine().forget(role));
    },

    info() {
      // Controlled by the service worker, the page's requests for the models are answered from its precache.
      return engine().init({ preloadModels: Boolean(globalThis.navigator?.serviceWorker?.controller) });
    },

    cancel,
  };
}

function valueOf<T>(outcome: Outcome<T>): T {
  if (!outcome.ok) throw FaceSwapApiError.from(outcome.error);
  return outcome.value;
}

/** Checks the caller's options and turns them into the engine's request. */
export function toRequest(options: SwapOptions): SwapRequest {
  const outputFormat = options.outputFormat ?? DEFAULT_OUTPUT_FORMAT;
  const quality = options.quality ?? DEFAULT_QUALITY;
  if (!isOutputFormat(outputFormat)) throw new FaceSwapApiError('INVALID_FORMAT', `outputFormat must be "png", "jpg" or "webp", not ${JSON.stringify(outputFormat)}.`);
  if (!QUALITIES.includes(quality)) throw new FaceSwapApiError('INTERNAL', `quality must be "standard", "high" or "4k", not ${JSON.stringify(quality)}.`);
  for (const [name, value] of [['faceIndex', options.faceIndex], ['sourceFaceIndex', options.sourceFaceIndex]] as const) {
    if (value != null && !(Number.isInteger(value) && value >= 0)) {
      throw new FaceSwapApiError('FACE_INDEX_OUT_OF_RANGE', `${name} must be a face's 0-based index, not ${JSON.stringify(value)}.`, name === 'faceIndex' ? 'target' : 'source');
    }
  }
  if (options.keepBeard != null && typeof options.keepBeard !== 'boolean') throw new FaceSwapApiError('INTERNAL', `keepBeard must be true or false, not ${JSON.stringify(options.keepBeard)}.`);
  return { outputFormat, quality, faceIndex: options.faceIndex ?? null, sourceFaceIndex: options.sourceFaceIndex ?? null, keepBeard: options.keepBeard ?? false };
}
