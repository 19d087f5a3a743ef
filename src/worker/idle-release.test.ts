import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { floats, releaseScratch, scratchBytesKept, withScratch } from '../engine/scratch.ts';
import { IDLE_MS, releaseWhenIdle } from './idle-release.ts';

describe('releaseWhenIdle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    releaseScratch();
  });

  it('gives the scratch memory back once no swap work has followed for a while', () => {
    withScratch(() => floats(1 << 20));
    releaseWhenIdle(releaseScratch);
    vi.advanceTimersByTime(IDLE_MS - 1000);
    withScratch(() => floats(1 << 20));
    releaseWhenIdle(releaseScratch);
    vi.advanceTimersByTime(IDLE_MS - 1000);
    expect(scratchBytesKept()).toBeGreaterThan(0);
    vi.advanceTimersByTime(2000);
    expect(scratchBytesKept()).toBe(0);
  });
});
