import { FaceSwapError, type ErrorCode, type FaceSwapErrorInfo, type ImageRole } from '../engine/errors.ts';

/**
 * Every failure of the programmatic API: the engine's coded error, with the picture it concerns.
 * `code` is one of the seed's codes (NO_FACE_DETECTED, IMAGE_TOO_LARGE, INVALID_FORMAT) or ours
 * (FETCH_FAILED, FACE_INDEX_OUT_OF_RANGE, CANCELLED, INVALID_ARGUMENT, INTERNAL).
 */
export class FaceSwapApiError extends FaceSwapError {
  constructor(code: ErrorCode, message: string, image?: ImageRole) {
    super(code, message, image);
    this.name = 'FaceSwapApiError';
  }

  static from(info: FaceSwapErrorInfo): FaceSwapApiError {
    return new FaceSwapApiError(info.code, info.message, info.image);
  }
}

export const cancelledError = () => new FaceSwapApiError('CANCELLED', 'Cancelled.');

/** Anything caught, as a FaceSwapApiError (unexpected failures become INTERNAL). */
export function asApiError(caught: unknown, image?: ImageRole): FaceSwapApiError {
  if (caught instanceof FaceSwapApiError) return caught;
  const message = caught instanceof Error ? caught.message : String(caught);
  return new FaceSwapApiError('INTERNAL', message, image);
}
