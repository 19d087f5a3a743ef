import { FaceSwapError, outcomeOf, type ImageRole, type Outcome } from '../engine/errors.ts';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import { readImageInput, type ImageInput } from '../engine/image/input.ts';
import type { Raster } from '../engine/image/raster.ts';
import type { ImageFormat } from '../engine/image/sniff.ts';
import { validateImageBytes } from '../engine/image/validate.ts';
import { bitmapToRaster, decodeBitmap, encodeRaster, thumbnailOf } from './codec.ts';
import { WebRuntime, type RuntimeInfo } from './runtime.ts';

/** What the UI learns of a decoded picture; its pixels stay in the worker. */
export interface ImageSummary {
  role: ImageRole;
  width: number;
  height: number;
  format: ImageFormat;
  byteLength: number;
  /** A WebP preview, long side at most {@link THUMBNAIL_SIDE} px. */
  thumbnail: Blob;
}

/** The runtime, plus the output formats this browser really encodes (checked on the bytes). */
export interface EngineInfo extends RuntimeInfo {
  outputFormats: OutputFormat[];
}

const THUMBNAIL_SIDE = 512;

const images = new Map<ImageRole, Raster>();
let runtime: Promise<WebRuntime> | null = null;
let jobs = new AbortController();

function throwIfCancelled(signal: AbortSignal, role?: ImageRole): void {
  if (signal.aborted) throw new FaceSwapError('CANCELLED', 'Cancelled.', role);
}

function storedImage(role: ImageRole): Raster {
  const raster = images.get(role);
  if (!raster) throw new FaceSwapError('INVALID_FORMAT', `No ${role} image has been given yet.`, role);
  return raster;
}

/** The worker's whole interface, exposed through Comlink. Every call resolves; failures come back as coded values. */
export const workerApi = {
  /** Starts onnxruntime-web and reports the backend it chose and the formats it can write. */
  async init(): Promise<EngineInfo> {
    runtime ??= WebRuntime.create();
    return { ...(await runtime).info, outputFormats: await encodableFormats() };
  },

  /** Reads, validates and decodes a picture, keeping its pixels here for the later stages. A failure keeps the previous picture. */
  decode(role: ImageRole, input: ImageInput): Promise<Outcome<ImageSummary>> {
    const { signal } = jobs;
    return outcomeOf(async () => {
      const bytes = await readImageInput(input, role, fetch, signal);
      const header = validateImageBytes(bytes, role);
      throwIfCancelled(signal, role);
      const bitmap = await decodeBitmap(bytes, role);
      try {
        throwIfCancelled(signal, role);
        const raster = bitmapToRaster(bitmap);
        const thumbnail = await thumbnailOf(bitmap, THUMBNAIL_SIDE);
        throwIfCancelled(signal, role);
        images.set(role, raster);
        return { role, width: raster.width, height: raster.height, format: header.format, byteLength: bytes.byteLength, thumbnail };
      } finally {
        bitmap.close();
      }
    }, role);
  },

  /** Encodes a stored picture at full resolution in the given format. */
  encode(role: ImageRole, format: OutputFormat): Promise<Outcome<Blob>> {
    return outcomeOf(() => encodeRaster(storedImage(role), format), role);
  },

  /** Drops a stored picture. */
  forget(role: ImageRole): void {
    images.delete(role);
  },

  /** Cancels every job in flight; they resolve with the CANCELLED code. */
  cancel(): void {
    jobs.abort();
    jobs = new AbortController();
  },
};

async function encodableFormats(): Promise<OutputFormat[]> {
  const probe: Raster = { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(200) };
  const formats = Object.keys(OUTPUT_FORMATS) as OutputFormat[];
  const works = await Promise.all(formats.map((format) => encodeRaster(probe, format).then(() => true, () => false)));
  return formats.filter((_, i) => works[i]);
}

export type WorkerApi = typeof workerApi;
