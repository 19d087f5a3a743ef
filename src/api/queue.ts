import { cancelledError } from './errors.ts';

/** What a queued job may check between its engine calls. */
export interface JobContext {
  /** Throws CANCELLED when the job's signal has fired. */
  checkpoint(): void;
}

let tail: Promise<unknown> = Promise.resolve();

/**
 * Runs jobs one at a time. The engine keeps one source and one target picture per page and its `cancel()` stops
 * whatever it is doing, so jobs must not interleave. A job whose signal fires while it waits rejects at once with
 * CANCELLED and never runs; one that fires while it runs calls `cancelRunning` (the engine's cancel).
 */
export function exclusive<T>(work: (job: JobContext) => Promise<T>, signal: AbortSignal | undefined, cancelRunning: () => void): Promise<T> {
  const checkpoint = () => {
    if (signal?.aborted) throw cancelledError();
  };
  const run = async (): Promise<T> => {
    checkpoint();
    const onAbort = () => cancelRunning();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const value = await work({ checkpoint });
      checkpoint();
      return value;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  };
  const turn = tail.then(run, run);
  tail = turn.catch(() => undefined);
  if (!signal) return turn;
  const aborted = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(cancelledError());
    signal.addEventListener('abort', () => reject(cancelledError()), { once: true });
  });
  // The turn still runs to its end (it finds the signal fired and stops), so the queue keeps its order.
  turn.catch(() => undefined);
  return Promise.race([turn, aborted]);
}
