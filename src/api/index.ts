/** The programmatic face swap API: the seed's `imageSwap`, in the browser, on this page's engine worker. */
export { createFaceSwap, toRequest } from './client.ts';
export type { AnalyzeOptions, CallOptions, FaceSwapClient, FaceSwapPhase, FaceSwapProgress, ImageSwapOptions, PictureSummary, SwapOptions } from './client.ts';
export { FaceSwapApiError } from './errors.ts';
export type { FaceSwapImage } from './image-input.ts';
export type { ImageSwapResult } from './result.ts';
export { saveBlob } from './result.ts';
export type { ErrorCode, ImageRole } from '../engine/errors.ts';
export { OUTPUT_FORMATS, resultFileName, type OutputFormat } from '../engine/formats.ts';
export { QUALITIES, type FaceSummary, type Quality } from '../engine/job.ts';
export type { EngineInfo, ImageSummary } from '../worker/api.ts';
