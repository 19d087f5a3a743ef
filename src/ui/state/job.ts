import { create } from 'zustand';
import { FaceSwapApiError, type FaceSwapPhase, type ImageSwapResult } from '../../api/index.ts';
import type { FaceSwapErrorInfo } from '../../engine/errors.ts';
import { hasBeard, type SwapFields } from '../../engine/job.ts';
import { studio } from '../studio-client.ts';
import { useHistory } from './history.ts';
import { useImages } from './images.ts';
import { releaseUrl } from './object-urls.ts';
import { useOptions } from './options.ts';

/** The latest result's fields, for display. Its Blob stays outside the store, in {@link resultBlobs}. */
export interface ResultView extends SwapFields {
  fileName: string;
  url: string;
  /** The target as it was, at full size, for the before/after view. */
  beforeUrl?: string;
  /** Whether a face it replaced had a beard that the swap replaced too (the target's beard was not to be kept). */
  beardReplaced: boolean;
}

export type JobStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

interface JobState {
  status: JobStatus;
  phase?: FaceSwapPhase;
  done: number;
  total: number;
  /** Why the last swap failed; one about a picture is also shown next to it. */
  error?: FaceSwapErrorInfo;
  result?: ResultView;
  swap(): Promise<void>;
  cancel(): void;
  download(): Promise<void>;
}

/** Results by job id: the Blobs the store only names. */
const results = new Map<string, ImageSwapResult>();
let controller: AbortController | null = null;
/** Counts swaps, so progress arriving late from a cancelled one is ignored. */
let swaps = 0;

function dropResult(view?: ResultView) {
  if (!view) return;
  results.get(view.jobId)?.revoke();
  results.delete(view.jobId);
  releaseUrl(view.beforeUrl);
}

/** The swap in progress and the latest result. */
export const useJob = create<JobState>()((set, get) => ({
  status: 'idle',
  done: 0,
  total: 0,

  async swap() {
    if (get().status === 'running') return;
    const images = useImages.getState();
    const { source, target } = images.slots;
    const { outputFormat, quality, keepBeard } = useOptions.getState();
    const targetVersion = target.version;
    controller = new AbortController();
    const swapNumber = ++swaps;
    set({ status: 'running', phase: 'models', done: 0, total: 1, error: undefined });
    images.dismissError('source');
    images.dismissError('target');
    try {
      const result = await studio.swap({
        outputFormat,
        quality,
        keepBeard,
        faceIndex: target.choice,
        sourceFaceIndex: source.choice,
        signal: controller.signal,
        onProgress: (phase, done, total) => {
          if (swapNumber === swaps && get().status === 'running') set({ phase, done, total });
        },
      });
      const beforeUrl = await useImages.getState().retainFullUrl('target', targetVersion);
      dropResult(get().result);
      results.set(result.jobId, result);
      const { jobId, fileName, resolution, width, height, processingTime, facesDetected, facesSwapped, sourceEnlargement, sourceHairCover } = result;
      const beardReplaced = !keepBeard && (target.faces ?? []).some((face) => facesSwapped.includes(face.index) && hasBeard(face));
      set({
        status: 'done',
        phase: undefined,
        result: { jobId, fileName, outputFormat: result.outputFormat, resolution, width, height, processingTime, facesDetected, facesSwapped, sourceEnlargement, sourceHairCover, url: result.outputUrl, beforeUrl, beardReplaced },
      });
      void useHistory.getState().add({ jobId, fileName, outputFormat: result.outputFormat, resolution, processingTime, facesDetected, width, height }, result.blob);
    } catch (caught) {
      const error: FaceSwapErrorInfo = caught instanceof FaceSwapApiError ? caught.toInfo() : { code: 'INTERNAL', message: String(caught) };
      if (error.code === 'CANCELLED') set({ status: 'cancelled', phase: undefined });
      else {
        if (error.image) useImages.getState().showError(error.image, error);
        set({ status: 'failed', phase: undefined, error });
      }
    } finally {
      controller = null;
    }
  },

  cancel() {
    controller?.abort();
  },

  async download() {
    const view = get().result;
    if (view) await results.get(view.jobId)?.download();
  },
}));
