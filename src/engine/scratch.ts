/**
 * Scratch memory: typed arrays for the intermediates of one piece of work (a face's swap), carved out of buffers
 * kept from one piece to the next. Chromium gives the pages of a collected typed array back to the system, and each
 * new one faults them in afresh: about 15,000 page faults a face at 1080p, a quarter of its time, and two faces
 * swapped at once on two threads of one page stall each other on them. Reused buffers fault once.
 *
 * Inside {@link withScratch}, the arrays this module makes are scratch, valid until the outermost `withScratch`
 * returns: nothing made there may be kept past it, except what is made inside {@link outsideScratch}. Elsewhere they
 * are ordinary arrays. Either way they start zeroed.
 */

/** Requests smaller than this are ordinary arrays: the allocator reuses small blocks well, and a call costs more. */
const MIN_BYTES = 16 << 10;
/** Buffers are this large, or as large as one request that needs more. */
const CHUNK_BYTES = 8 << 20;
/**
 * At most this much is kept per thread, unless the thread allows more ({@link setScratchLimit}); a piece of work that
 * needs more gets ordinary arrays past it.
 */
export const SCRATCH_MAX_BYTES = 64 << 20;
/** Every array starts at a multiple of this, the widest element's size. */
const ALIGN = 8;

const chunks: ArrayBuffer[] = [];
let keptBytes = 0;
let limitBytes = SCRATCH_MAX_BYTES;
/** Nesting depth of `withScratch` (0: scratch is off), and the same of `outsideScratch` inside it. */
let depth = 0;
let suspended = 0;
/** The chunk being carved, and how far. */
let current = 0;
let used = 0;

/** Runs `work` with scratch arrays on; they are all free again once the outermost call returns. */
export function withScratch<T>(work: () => T): T {
  depth++;
  try {
    return work();
  } finally {
    if (--depth === 0) current = used = 0;
  }
}

/** Runs `work` (inside `withScratch`) with ordinary arrays, for results kept past the scratch work: caches. */
export function outsideScratch<T>(work: () => T): T {
  suspended++;
  try {
    return work();
  } finally {
    suspended--;
  }
}

/**
 * Runs `work` (inside `withScratch`), whose scratch arrays are free again once it returns, for the steps after it: a
 * step whose intermediates die with it. Nothing it makes may outlive it; it hands its results on by writing into
 * arrays made before it.
 */
export function scratchStep<T>(work: () => T): T {
  const [atChunk, atUsed] = [current, used];
  try {
    return work();
  } finally {
    if (depth > 0 && suspended === 0) [current, used] = [atChunk, atUsed];
  }
}

/** Lets this thread keep up to `bytes` for scratch work (it gives them back when released, as ever). */
export function setScratchLimit(bytes: number): void {
  limitBytes = bytes;
}

/** The most this thread keeps for scratch work. */
export function scratchLimit(): number {
  return limitBytes;
}

/** Gives the kept buffers back (a thread that has been idle a while); not while scratch work is under way. */
export function releaseScratch(): void {
  if (depth > 0) return;
  chunks.length = 0;
  keptBytes = 0;
}

/** Bytes kept for scratch work on this thread. */
export function scratchBytesKept(): number {
  return keptBytes;
}

/** Where a scratch array of `bytes` goes (a buffer and an offset into it), or null for an ordinary array. */
function place(bytes: number): [ArrayBuffer, number] | null {
  if (depth === 0 || suspended > 0 || bytes < MIN_BYTES) return null;
  const size = Math.ceil(bytes / ALIGN) * ALIGN;
  if (current < chunks.length && used + size <= chunks[current].byteLength) {
    used += size;
    return [chunks[current], used - size];
  }
  // On to the next chunk large enough (those skipped stay for the next piece of work, which asks the same sizes in
  // the same order), or a new one where there is room to keep it.
  let next = current + (used > 0 ? 1 : 0);
  while (next < chunks.length && chunks[next].byteLength < size) next++;
  if (next === chunks.length) {
    const chunkBytes = Math.max(CHUNK_BYTES, size);
    if (keptBytes + chunkBytes > limitBytes) return null;
    chunks.push(new ArrayBuffer(chunkBytes));
    keptBytes += chunkBytes;
  }
  current = next;
  used = size;
  return [chunks[current], 0];
}

/** A typed array type, as far as making one goes. */
interface ArrayType<A> {
  new (length: number): A;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/** A zeroed array of `length` elements: scratch inside `withScratch`, else ordinary. */
function zeroed<A extends { fill(value: number): A }>(Type: ArrayType<A>, length: number): A {
  const at = place(length * Type.BYTES_PER_ELEMENT);
  return at ? new Type(at[0], at[1], length).fill(0) : new Type(length);
}

/** {@link zeroed} for Float32Array, written out: most arrays are these, and a constructor known in advance is faster to call. */
export function floats(length: number): Float32Array {
  const at = place(length * 4);
  return at ? new Float32Array(at[0], at[1], length).fill(0) : new Float32Array(length);
}

export const doubles = (length: number): Float64Array => zeroed(Float64Array, length);
export const int32s = (length: number): Int32Array => zeroed(Int32Array, length);
export const int16s = (length: number): Int16Array => zeroed(Int16Array, length);
export const uint16s = (length: number): Uint16Array => zeroed(Uint16Array, length);
export const bytes = (length: number): Uint8Array => zeroed(Uint8Array, length);
export const clampedBytes = (length: number): Uint8ClampedArray => zeroed(Uint8ClampedArray, length);

/** A copy of `array` (what `slice()` gives, from scratch where that is on). */
export function floatsCopy(array: Float32Array): Float32Array {
  const copy = floats(array.length);
  copy.set(array);
  return copy;
}
