import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { floats, releaseScratch, scratchBytesKept, withScratch } from '../engine/scratch.ts';
import { releaseScratchWhenIdle, SCRATCH_IDLE_MS } from './idle-scratch.ts';

describe('releaseScratchWhenIdle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    releaseScratch();
  });

  it('gives the scratch memory back once no swap work has followed for a while', () => {
    withScratch(() => floats(1 << 20));
    releaseScratchWhenIdle();
    vi.advanceTimersByTime(SCRATCH_IDLE_MS - 1000);
    withScratch(() => floats(1 << 20));
    releaseScratchWhenIdle();
    vi.advanceTimersByTime(SCRATCH_IDLE_MS - 1000);
    expect(scratchBytesKept()).toBeGreaterThan(0);
    vi.advanceTimersByTime(2000);
    expect(scratchBytesKept()).toBe(0);
  });
});
