import { releaseScratch } from '../engine/scratch.ts';

/** A thread that has swapped no face for this long gives its scratch memory back: an idle page holds no working set. */
export const SCRATCH_IDLE_MS = 30_000;

let timer: ReturnType<typeof setTimeout> | undefined;

/** Called after each piece of swap work: the scratch memory goes once none has followed for {@link SCRATCH_IDLE_MS}. */
export function releaseScratchWhenIdle(): void {
  clearTimeout(timer);
  timer = setTimeout(releaseScratch, SCRATCH_IDLE_MS);
}
