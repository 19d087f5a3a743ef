import { createFaceSwap } from './client.ts';
import { FaceSwapApiError } from './errors.ts';
import { resultFileName } from '../engine/formats.ts';

/** What the app puts on `window.faceSwap`, for scripts and the browser console. */
export const globalApi = { createFaceSwap, FaceSwapApiError, resultFileName } as const;

declare global {
  interface Window {
    faceSwap?: typeof globalApi;
  }
}

/** Makes the API reachable from the browser console as `faceSwap.createFaceSwap()`. */
export function exposeApi(): void {
  if (typeof window !== 'undefined') window.faceSwap = globalApi;
}
