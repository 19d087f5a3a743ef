import type { ImageRole } from '../engine/errors.ts';
import { BufferPool } from '../engine/image/buffer-pool.ts';
import type { Raster } from '../engine/image/raster.ts';

/**
 * The worker's decoded pictures, one per role, and the buffers their pixels live in. A new buffer's pages fault in
 * one by one as the decoder writes them (30-45 ms for a 1080p picture on the speed bench's machine, four times that
 * at 4K), so a replaced picture's buffer is kept for the next decode of its size. A picture is replaced while it may
 * still be read (a swap or an analysis under way, a result encoded): its buffer is kept only once the last reader is
 * done with it, or its pixels would change under that reader.
 */
export class Pictures {
  /** Buffers free for the next decode: a source's and a target's. */
  readonly buffers = new BufferPool((bytes) => new ArrayBuffer(bytes), 2);
  private readonly stored = new Map<ImageRole, Raster>();
  /** Readers under way, by picture. */
  private readonly readers = new Map<Raster, number>();
  /** Pictures no longer stored whose readers are not all done. */
  private readonly replaced = new Set<Raster>();

  get(role: ImageRole): Raster | undefined {
    return this.stored.get(role);
  }

  /** Stores `raster` as the picture of `role`, in place of the one before. */
  store(role: ImageRole, raster: Raster): void {
    this.forget(role);
    this.stored.set(role, raster);
  }

  /** Drops the picture of `role`: its buffer is kept now, or when its last reader is done. */
  forget(role: ImageRole): void {
    const raster = this.stored.get(role);
    if (!raster) return;
    this.stored.delete(role);
    if (this.readers.has(raster)) this.replaced.add(raster);
    else this.discard(raster);
  }

  /**
   * Keeps the buffer of a picture nothing reads any more (one replaced, or a decode cancelled or failed before it was
   * stored) for the next decode of its size.
   */
  discard(raster: Raster): void {
    const { buffer, byteOffset, byteLength } = raster.data;
    // Only a buffer that is the picture's alone: a view into a larger one is not a picture-sized buffer.
    if (buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength) this.buffers.give(buffer);
  }

  /** Runs `read`, during which `rasters` keep their pixels even if replaced. */
  async reading<T>(rasters: readonly Raster[], read: () => Promise<T>): Promise<T> {
    for (const raster of rasters) this.readers.set(raster, (this.readers.get(raster) ?? 0) + 1);
    try {
      return await read();
    } finally {
      for (const raster of rasters) {
        const left = (this.readers.get(raster) ?? 1) - 1;
        if (left > 0) {
          this.readers.set(raster, left);
          continue;
        }
        this.readers.delete(raster);
        if (this.replaced.delete(raster)) this.discard(raster);
      }
    }
  }
}
