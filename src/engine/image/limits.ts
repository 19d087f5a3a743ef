/** Largest input file accepted, as in the seed API. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Largest input picture, in pixels. 40 MP (e.g. 7746×5164) keeps one RGBA copy at 160 MB and the
 * engine's working set well inside a phone browser's memory; Chromium's own canvas cap is about 268 MP.
 */
export const MAX_PIXELS = 40_000_000;

/** Longest side accepted: canvases and textures above 16384 px fail on many GPUs. */
export const MAX_SIDE = 16_384;
