import { describe, expect, it } from 'vitest';
import { IdleWarmUp } from './warm-up.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('IdleWarmUp', () => {
  it('runs its passes one after the other while the thread is idle, and no more in its life', async () => {
    const warmUp = new IdleWarmUp(3, () => true, 1);
    let running = 0;
    let most = 0;
    const pass = async () => {
      most = Math.max(most, ++running);
      await tick(2);
      running--;
    };
    expect(await warmUp.start(pass)).toBe(3);
    expect(most).toBe(1);
    expect(await warmUp.start(pass)).toBe(0);
  });

  it('waits for the thread to be idle before each pass', async () => {
    let busy = true;
    const warmUp = new IdleWarmUp(2, () => !busy, 1);
    const passes: number[] = [];
    const started = performance.now();
    const done = warmUp.start(async () => void passes.push(performance.now() - started));
    await tick(30);
    expect(passes).toEqual([]);
    busy = false;
    expect(await done).toBe(2);
    expect(passes[0]).toBeGreaterThanOrEqual(29);
  });

  it('ends once its passes are no longer wanted, keeping those left for a later start, which also takes over from an earlier one', async () => {
    const warmUp = new IdleWarmUp(4, () => true, 1);
    let ran = 0;
    const first = warmUp.start(
      async () => void ran++,
      () => ran < 1,
    );
    expect(await first).toBe(1);
    const second = warmUp.start(async () => void ran++);
    const third = warmUp.start(async () => void ran++);
    expect(await second).toBe(0);
    expect(await third).toBe(3);
    expect(ran).toBe(4);
  });

  it('tells a pass of several steps, between them and once messages that came meanwhile are in, whether the thread is still idle and the pass still wanted', async () => {
    let busy = false;
    let wanted = true;
    const warmUp = new IdleWarmUp(3, () => !busy, 1);
    const seen: boolean[][] = [];
    await warmUp.start(
      async (goOn) => {
        const before = await goOn();
        // Work that arrives during the pass's first step, as a message: let in once the step yields to them.
        if (seen.length === 0) setTimeout(() => (busy = true));
        if (seen.length === 1) setTimeout(() => (wanted = false));
        seen.push([before, await goOn()]);
        busy = false;
      },
      () => wanted,
    );
    expect(seen).toEqual([
      [true, false],
      [true, false],
    ]);
  });

  it('stops for good after a pass that fails', async () => {
    const warmUp = new IdleWarmUp(3, () => true, 1);
    expect(await warmUp.start(() => Promise.reject(new Error('no')))).toBe(1);
    expect(await warmUp.start(async () => {})).toBe(0);
  });
});
