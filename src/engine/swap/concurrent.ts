import { intersectRect, isEmptyRect, type Rect } from './region.ts';

/** Swaps the face at this position of the list into the canvas; resolves once it is there. */
export type SwapLane = (face: number) => Promise<void>;

/**
 * Runs the swaps of faces whose footprints (see `swapFootprint`) are `footprints` on several lanes at once, with the
 * result of swapping them one after another in list order: a face starts once every earlier face whose footprint
 * overlaps its own is done, so each sees its part of the canvas as it would then. Each lane takes the first face free
 * to start. A lane that blocks the thread while it swaps must yield (a macrotask) before it does, or the others
 * wait for it. After a failure or `signal`'s abort no face is started; the faces under way are waited for, then the
 * first failure is thrown (an abort just returns: the caller says it was cancelled).
 */
export async function swapConcurrently(footprints: readonly Rect[], lanes: readonly SwapLane[], onSwapped: (face: number) => void, signal?: AbortSignal): Promise<void> {
  const count = footprints.length;
  const before = footprints.map((r, k) => footprints.slice(0, k).flatMap((o, j) => (isEmptyRect(intersectRect(o, r)) ? [] : [j])));
  const done = new Uint8Array(count);
  const started = new Uint8Array(count);
  const failures: unknown[] = [];
  let changed = signalled();
  const stopped = () => failures.length > 0 || signal?.aborted === true;
  const nextFace = () => {
    for (let k = 0; k < count; k++) if (!started[k] && before[k].every((j) => done[j])) return k;
    return -1;
  };

  const runLane = async (lane: SwapLane) => {
    while (!stopped()) {
      const face = nextFace();
      if (face < 0) {
        if (started.every((s) => s)) return;
        await changed.promise;
        continue;
      }
      started[face] = 1;
      try {
        await lane(face);
        done[face] = 1;
        onSwapped(face);
      } catch (error) {
        failures.push(error);
      }
      changed.resolve();
      changed = signalled();
    }
  };
  // A stopped run wakes the lanes that wait for a face.
  const wake = () => changed.resolve();
  signal?.addEventListener('abort', wake);
  try {
    await Promise.all(lanes.map(runLane));
  } finally {
    signal?.removeEventListener('abort', wake);
  }
  if (failures.length) throw failures[0];
}

/** A promise and the function that resolves it. */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
