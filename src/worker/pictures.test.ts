import { describe, expect, it } from 'vitest';
import type { Raster } from '../engine/image/raster.ts';
import { facesDir } from '../../test/faces.ts';
import { loadRaster } from '../../test/load-raster.ts';
import { Pictures } from './pictures.ts';

/** A decode as the worker does it: the photo's pixels written into a buffer from the store's pool. */
async function decode(pictures: Pictures, file: string): Promise<Raster> {
  const photo = await loadRaster(facesDir + file);
  const data = new Uint8ClampedArray(pictures.buffers.take(photo.data.byteLength));
  data.set(photo.data);
  return { width: photo.width, height: photo.height, data };
}

/** A promise and the function that settles it: a reader still under way. */
function pending(): { done: Promise<void>; finish: () => void } {
  let finish = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe('Pictures', () => {
  it('keeps a replaced picture’s buffer for the next decode of its size', async () => {
    const pictures = new Pictures();
    const first = await decode(pictures, 'img1.jpg');
    pictures.store('target', first);
    pictures.store('target', await decode(pictures, 'img1.jpg'));
    const third = await decode(pictures, 'img1.jpg');
    expect(third.data.buffer).toBe(first.data.buffer);
  });

  it('keeps a replaced picture’s pixels while it is read, and its buffer once the last reader is done', async () => {
    const pictures = new Pictures();
    const first = await decode(pictures, 'img1.jpg');
    const pixels = first.data.slice();
    pictures.store('source', first);
    const swap = pending();
    const analysis = pending();
    const swapping = pictures.reading([first], () => swap.done);
    const analysing = pictures.reading([first], () => analysis.done.then(() => Promise.reject(new Error('aborted'))));
    // The person drops another photo of the same size: its decode must not write over the one being read.
    pictures.store('source', await decode(pictures, 'img1.jpg'));
    const during = await decode(pictures, 'img1.jpg');
    expect(during.data.buffer).not.toBe(first.data.buffer);
    during.data.fill(0);
    expect(Buffer.compare(new Uint8Array(first.data.buffer), new Uint8Array(pixels.buffer))).toBe(0);
    swap.finish();
    await swapping;
    expect(pictures.buffers.take(first.data.byteLength)).not.toBe(first.data.buffer);
    // The last reader fails: its buffer is kept all the same.
    analysis.finish();
    await expect(analysing).rejects.toThrow('aborted');
    expect(pictures.buffers.take(first.data.byteLength)).toBe(first.data.buffer);
  });

  it('keeps a stored picture that is read, and gives back a decode that was never stored', async () => {
    const pictures = new Pictures();
    const stored = await decode(pictures, 'img3.jpg');
    pictures.store('target', stored);
    await pictures.reading([stored], async () => {});
    expect(pictures.get('target')).toBe(stored);
    expect(pictures.buffers.take(stored.data.byteLength)).not.toBe(stored.data.buffer);
    const cancelled = await decode(pictures, 'img1.jpg');
    pictures.discard(cancelled);
    expect(pictures.buffers.take(cancelled.data.byteLength)).toBe(cancelled.data.buffer);
  });

  it('keeps no buffer it does not own whole, and none once released', async () => {
    const pictures = new Pictures();
    const photo = await loadRaster(facesDir + 'img1.jpg');
    const shared = new Uint8ClampedArray(photo.data.byteLength + 4);
    const view: Raster = { ...photo, data: shared.subarray(4) };
    pictures.store('source', view);
    pictures.forget('source');
    expect(pictures.get('source')).toBeUndefined();
    expect(pictures.buffers.take(photo.data.byteLength)).not.toBe(shared.buffer);
    const kept = await decode(pictures, 'img1.jpg');
    pictures.store('target', kept);
    pictures.forget('target');
    pictures.buffers.clear();
    expect(pictures.buffers.take(kept.data.byteLength)).not.toBe(kept.data.buffer);
  });
});
