import { afterEach, describe, expect, it } from 'vitest';
import { bytes, clampedBytes, doubles, floats, floatsCopy, int16s, int32s, outsideScratch, releaseScratch, SCRATCH_MAX_BYTES, scratchBytesKept, scratchStep, setScratchLimit, uint16s, withScratch } from './scratch.ts';

/** Large enough to be scratch (over its 16 KB floor). */
const LARGE = 100_000;

describe('scratch memory', () => {
  afterEach(() => releaseScratch());

  it('reuses the memory of one piece of work for the next, zeroed again', () => {
    const first = withScratch(() => {
      const array = floats(LARGE);
      array.fill(7);
      return array;
    });
    withScratch(() => {
      const again = floats(LARGE);
      expect(again.buffer).toBe(first.buffer);
      expect(again.every((v) => v === 0)).toBe(true);
    });
  });

  it('gives each array of one piece of work its own memory, of every element type', () => {
    withScratch(() => {
      const arrays = [floats(LARGE), doubles(LARGE), int32s(LARGE), int16s(LARGE), uint16s(LARGE), bytes(LARGE), clampedBytes(LARGE), floats(3 * LARGE)];
      arrays.forEach((array, k) => array.fill(k + 1));
      arrays.forEach((array, k) => expect(array.every((v) => v === k + 1)).toBe(true));
      for (const array of arrays) expect(array.byteOffset % 8).toBe(0);
    });
  });

  it('frees nothing until the outermost piece of work is done', () => {
    withScratch(() => {
      const inner = withScratch(() => floats(LARGE).fill(3));
      floats(LARGE).fill(9);
      expect(inner.every((v) => v === 3)).toBe(true);
    });
  });

  it('makes ordinary arrays outside scratch work, and inside it where asked: later work leaves them alone', () => {
    const plain = floats(LARGE).fill(1);
    const kept = withScratch(() => outsideScratch(() => floatsCopy(floats(LARGE).fill(2))));
    withScratch(() => {
      for (let k = 0; k < 4; k++) floats(LARGE).fill(5);
    });
    expect(plain.every((v) => v === 1)).toBe(true);
    expect(kept.every((v) => v === 2)).toBe(true);
    expect(scratchBytesKept()).toBeGreaterThan(0);
  });

  it('keeps at most its 64 MB; past that, arrays are ordinary and as good', () => {
    const count = 12;
    withScratch(() => {
      const arrays = Array.from({ length: count }, (_, k) => floats(2 << 20).fill(k)); // 8 MB each, 96 MB in all
      expect(scratchBytesKept()).toBe(SCRATCH_MAX_BYTES);
      arrays.forEach((array, k) => expect(array[0] === k && array[array.length - 1] === k).toBe(true));
    });
  });

  it('keeps more where the thread allows it, and its 64 MB again once the limit is back', () => {
    setScratchLimit(96 << 20);
    try {
      withScratch(() => {
        for (let k = 0; k < 12; k++) floats(2 << 20).fill(k);
      });
      expect(scratchBytesKept()).toBe(96 << 20);
    } finally {
      setScratchLimit(SCRATCH_MAX_BYTES);
      releaseScratch();
    }
    withScratch(() => {
      for (let k = 0; k < 12; k++) floats(2 << 20).fill(k);
    });
    expect(scratchBytesKept()).toBe(SCRATCH_MAX_BYTES);
    releaseScratch();
  });

  it('frees a step\'s arrays for the steps after it, and leaves what was made before it alone', () => {
    withScratch(() => {
      const before = floats(LARGE).fill(1);
      let inStep: Float32Array = new Float32Array(0);
      const result = scratchStep(() => {
        inStep = floats(LARGE).fill(2);
        before[0] = 3;
        return inStep[1];
      });
      const after = floats(LARGE);
      expect(result).toBe(2);
      expect(after.buffer).toBe(inStep.buffer);
      expect(after.byteOffset).toBe(inStep.byteOffset);
      expect(after.every((v) => v === 0)).toBe(true);
      expect(before[0] === 3 && before.subarray(1).every((v) => v === 1)).toBe(true);
    });
    // Outside scratch work a step makes ordinary arrays, as ever.
    const plain = scratchStep(() => floats(LARGE).fill(4));
    expect(floats(LARGE).buffer).not.toBe(plain.buffer);
    expect(plain.every((v) => v === 4)).toBe(true);
  });

  it('gives its memory back when released, but not in the middle of a piece of work', () => {
    withScratch(() => {
      floats(LARGE);
      releaseScratch();
      expect(scratchBytesKept()).toBeGreaterThan(0);
    });
    releaseScratch();
    expect(scratchBytesKept()).toBe(0);
  });
});
