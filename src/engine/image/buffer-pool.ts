/**
 * Picture-sized buffers kept from one job to the next. A new buffer's pages are faulted in one by one as they are
 * first written, and Chromium gives a collected one's pages back to the system: on the speed bench's machine a new
 * 8 MB buffer (a 1080p picture) cost 30-45 ms, a kept one 3-4 ms. Jobs run on pictures of the same sizes over and
 * over (the same target with other sources, the next frame of a burst), so buffers are matched by exact size.
 *
 * A buffer taken holds whatever its last user left in it: whoever takes one writes every byte it reads.
 */
export class BufferPool<Buffer extends ArrayBufferLike> {
  private readonly spare: Buffer[] = [];

  /** `create` makes a new (zeroed) buffer of a size; at most `keep` buffers wait for the next job. */
  constructor(
    private readonly create: (bytes: number) => Buffer,
    private readonly keep: number,
  ) {}

  /** A buffer of exactly `bytes`: a kept one of that size, or a new one. */
  take(bytes: number): Buffer {
    const k = this.spare.findIndex((buffer) => buffer.byteLength === bytes);
    return k >= 0 ? this.spare.splice(k, 1)[0] : this.create(bytes);
  }

  /** Keeps a buffer its user is done with, dropping the longest kept past `keep`. */
  give(buffer: Buffer): void {
    this.spare.push(buffer);
    if (this.spare.length > this.keep) this.spare.shift();
  }

  /** Drops every kept buffer (an idle page holds no working set). */
  clear(): void {
    this.spare.length = 0;
  }
}
