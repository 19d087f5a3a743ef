/**
 * Warm-up passes (see warmUpSwap) run while a thread has nothing else to do, a few in its life: enough for the
 * JavaScript engine to compile a swap's code before the first real one, not so many that an idle page keeps a core
 * busy. A pass under way is not interrupted: work that arrives meanwhile waits for it (the first pass takes seconds of
 * CPU, the later ones well under one), and the passes left wait for the thread to be idle again.
 */
export class IdleWarmUp {
  private left: number;
  /** Bumped by each start: a loop whose number is no longer current ends. */
  private current = 0;

  constructor(
    passes: number,
    private readonly idle: () => boolean,
    /** How often an idle thread is looked for; also the wait before each pass, which lets queued messages in first. */
    private readonly pollMs = 250,
  ) {
    this.left = passes;
  }

  /**
   * Runs the passes left, each once the thread is idle, while they are `wanted` and until another `start`. Resolves
   * with how many it ran.
   */
  async start(pass: () => Promise<void>, wanted: () => boolean = () => true): Promise<number> {
    const run = ++this.current;
    let ran = 0;
    while (this.left > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      if (run !== this.current || !wanted()) break;
      if (!this.idle()) continue;
      this.left--;
      ran++;
      try {
        await pass();
      } catch {
        // A pass that fails would fail again: the real swap reports what is wrong.
        this.left = 0;
      }
    }
    return ran;
  }
}
