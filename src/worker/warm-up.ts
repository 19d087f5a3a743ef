/**
 * Warm-up passes (see warmUpSwap) run while a thread has nothing else to do, a few in its life: enough for the
 * JavaScript engine to compile a swap's code before the first real one, not so many that an idle page keeps a core
 * busy. A pass's step under way is not interrupted: work that arrives meanwhile waits for it (the first pass takes
 * seconds of CPU, the later ones well under one). A pass of several steps asks between them whether it is still
 * wanted, and the passes left wait for the thread to be idle again.
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
   * Runs the passes left, each once the thread is idle, while they are `wanted` and until another `start`. A pass is
   * given `goOn`: whether the thread is still idle and the passes still wanted, for it to end early between steps.
   * It lets the messages that came meanwhile in first: a step's work chains promises only, which run before them.
   * Resolves with how many it ran.
   */
  async start(pass: (goOn: () => Promise<boolean>) => Promise<void>, wanted: () => boolean = () => true): Promise<number> {
    const run = ++this.current;
    const goOn = async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      return run === this.current && wanted() && this.idle();
    };
    let ran = 0;
    while (this.left > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      if (run !== this.current || !wanted()) break;
      if (!this.idle()) continue;
      this.left--;
      ran++;
      try {
        await pass(goOn);
      } catch {
        // A pass that fails would fail again: the real swap reports what is wrong.
        this.left = 0;
      }
    }
    return ran;
  }
}
