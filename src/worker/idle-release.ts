/** A thread that has swapped no face for this long gives its working memory back: an idle page holds no working set. */
export const IDLE_MS = 30_000;

let timer: ReturnType<typeof setTimeout> | undefined;

/** Called after each piece of swap work: `release` runs once none has followed for {@link IDLE_MS}. */
export function releaseWhenIdle(release: () => void): void {
  clearTimeout(timer);
  timer = setTimeout(release, IDLE_MS);
}
