/** Which of the two pictures an error is about. */
export type ImageRole = 'source' | 'target';

/**
 * Error codes the UI and API expose. The first three are the seed API's; the rest are ours.
 * - FETCH_FAILED: a URL input could not be fetched (network, CORS, HTTP status).
 * - FACE_INDEX_OUT_OF_RANGE: `face_index` names a face the picture does not have.
 * - CANCELLED: the person (or the caller's AbortSignal) cancelled the job.
 * - INVALID_ARGUMENT: a request option is malformed (the CLI's usage errors).
 * - INTERNAL: anything unexpected; the message says what.
 */
export type ErrorCode =
  | 'NO_FACE_DETECTED'
  | 'IMAGE_TOO_LARGE'
  | 'INVALID_FORMAT'
  | 'FETCH_FAILED'
  | 'FACE_INDEX_OUT_OF_RANGE'
  | 'CANCELLED'
  | 'INVALID_ARGUMENT'
  | 'INTERNAL';

/** An error as a plain value: safe to send across the worker boundary and to show. */
export interface FaceSwapErrorInfo {
  code: ErrorCode;
  message: string;
  image?: ImageRole;
}

/** Thrown inside the engine; converted to a {@link FaceSwapErrorInfo} at the worker boundary. */
export class FaceSwapError extends Error {
  readonly code: ErrorCode;
  readonly image?: ImageRole;

  constructor(code: ErrorCode, message: string, image?: ImageRole) {
    super(message);
    this.name = 'FaceSwapError';
    this.code = code;
    this.image = image;
  }

  toInfo(): FaceSwapErrorInfo {
    return this.image ? { code: this.code, message: this.message, image: this.image } : { code: this.code, message: this.message };
  }
}

/** The outcome of an operation that can fail with a coded error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: FaceSwapErrorInfo };

/** Turns anything caught into a coded error value, keeping FaceSwapError's code and image. */
export function toErrorInfo(caught: unknown, image?: ImageRole): FaceSwapErrorInfo {
  if (caught instanceof FaceSwapError) {
    const info = caught.toInfo();
    return info.image || !image ? info : { ...info, image };
  }
  const message = caught instanceof Error ? caught.message : String(caught);
  return image ? { code: 'INTERNAL', message, image } : { code: 'INTERNAL', message };
}

/** Runs `work`, returning its value or the coded error it threw. */
export async function outcomeOf<T>(work: () => Promise<T>, image?: ImageRole): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (caught) {
    return { ok: false, error: toErrorInfo(caught, image) };
  }
}
