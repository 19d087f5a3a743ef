import { createFaceSwap } from '../api/index.ts';
import { exposeApi } from '../api/global.ts';

/** The studio's own client of the programmatic API: the UI swaps through the same calls a script would. */
export const studio = createFaceSwap();

exposeApi();
