import { resultFileName } from '../engine/formats.ts';
import type { SwapFields, SwapResult } from '../engine/job.ts';

/** A finished swap with the seed's response fields, camel-cased. */
export interface ImageSwapResult extends SwapFields {
  /** Always true: failures reject with a FaceSwapApiError instead. */
  success: true;
  /** An object URL of the result, valid until {@link ImageSwapResult.revoke} (or the page closes). */
  outputUrl: string;
  /** The encoded picture. */
  blob: Blob;
  /** The download name: `faceswap-<job id>.<png|jpg|webp>`. */
  fileName: string;
  /** Saves the result through the browser's download, under `fileName` unless another name is given. */
  download(fileName?: string): Promise<void>;
  /** Frees `outputUrl`. */
  revoke(): void;
}

/** Wraps the engine's result for callers. `processingTime` overrides the engine's (a job that also decoded). */
export function toImageSwapResult(result: SwapResult, processingTime = result.processingTime): ImageSwapResult {
  const outputUrl = URL.createObjectURL(result.blob);
  const fileName = resultFileName(result.jobId, result.outputFormat);
  return {
    success: true,
    jobId: result.jobId,
    outputUrl,
    outputFormat: result.outputFormat,
    resolution: result.resolution,
    width: result.width,
    height: result.height,
    processingTime: Math.round(processingTime),
    facesDetected: result.facesDetected,
    facesSwapped: result.facesSwapped,
    sourceEnlargement: result.sourceEnlargement,
    sourceHairCover: result.sourceHairCover,
    blob: result.blob,
    fileName,
    download: (name = fileName) => saveBlob(result.blob, name),
    revoke: () => URL.revokeObjectURL(outputUrl),
  };
}

/** Starts a browser download of `blob` named `fileName`. */
export async function saveBlob(blob: Blob, fileName: string): Promise<void> {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its own reference by the next task; free ours a little later.
  await new Promise((resolve) => setTimeout(resolve, 0));
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
