import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes.ts';

describe('formatBytes', () => {
  it('names sizes in the largest unit that fits, with a decimal only below ten of it', () => {
    expect(formatBytes(312)).toBe('312 B');
    expect(formatBytes(820 * 1024)).toBe('820 KB');
    expect(formatBytes(1.44 * 1024 ** 2)).toBe('1.4 MB');
    expect(formatBytes(923 * 1024 ** 2)).toBe('923 MB');
    // A browser's storage quota: 10 GB, not "10240.0 MB".
    expect(formatBytes(10 * 1024 ** 3)).toBe('10 GB');
    expect(formatBytes(2.5 * 1024 ** 3)).toBe('2.5 GB');
  });
});
