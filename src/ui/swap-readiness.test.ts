import { describe, expect, it } from 'vitest';
import type { ImageSlot } from './state/images.ts';
import { swapBlocker } from './swap-readiness.ts';

const empty: ImageSlot = { busy: false, detecting: false, choice: null, version: 0 };
const picture = { name: 'a.jpg', width: 10, height: 10, format: 'jpeg' as const, byteLength: 1, previewUrl: 'blob:x' };
const face = { index: 0, box: { x: 0, y: 0, width: 5, height: 5 }, score: 0.9 };
const loaded: ImageSlot = { ...empty, image: picture, faces: [face] };

describe('swapBlocker', () => {
  it('says what is missing, in order', () => {
    expect(swapBlocker(empty, empty)).toMatch(/source face \(1\) and a target image \(2\)/);
    expect(swapBlocker(empty, loaded)).toMatch(/source face/);
    expect(swapBlocker(loaded, empty)).toMatch(/target image/);
    expect(swapBlocker({ ...loaded, busy: true }, loaded)).toMatch(/Reading/);
    expect(swapBlocker(loaded, { ...loaded, faces: [] })).toMatch(/target image has no face/);
    expect(swapBlocker({ ...loaded, faces: [] }, loaded)).toMatch(/source image has no face/);
  });

  it('lets a swap start while faces are still being found, or once both have faces', () => {
    expect(swapBlocker(loaded, loaded)).toBeNull();
    expect(swapBlocker({ ...loaded, faces: undefined, detecting: true }, loaded)).toBeNull();
  });
});
