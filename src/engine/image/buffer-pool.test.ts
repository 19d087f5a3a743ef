import { describe, expect, it } from 'vitest';
import { BufferPool } from './buffer-pool.ts';

describe('BufferPool', () => {
  const pool = (keep: number) => new BufferPool((bytes) => new ArrayBuffer(bytes), keep);

  it('gives a kept buffer back only for its exact size, else a new zeroed one', () => {
    const buffers = pool(2);
    const kept = buffers.take(64);
    new Uint8Array(kept).fill(9);
    buffers.give(kept);
    const other = buffers.take(128);
    expect(other).not.toBe(kept);
    expect(other.byteLength).toBe(128);
    expect(new Uint8Array(other).every((v) => v === 0)).toBe(true);
    // As its last user left it.
    const again = buffers.take(64);
    expect(again).toBe(kept);
    expect(new Uint8Array(again)[0]).toBe(9);
    // Taken: not given to a second user until given back.
    expect(buffers.take(64)).not.toBe(kept);
  });

  it('keeps at most its number of buffers, dropping the longest kept, and none once cleared', () => {
    const buffers = pool(2);
    const [a, b, c] = [buffers.take(8), buffers.take(8), buffers.take(8)];
    buffers.give(a);
    buffers.give(b);
    buffers.give(c);
    expect(buffers.take(8)).toBe(b);
    expect(buffers.take(8)).toBe(c);
    expect([a, b, c]).not.toContain(buffers.take(8));
    buffers.give(a);
    buffers.clear();
    expect(buffers.take(8)).not.toBe(a);
  });
});
