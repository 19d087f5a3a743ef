import { describe, expect, it } from 'vitest';
import { faceBytes } from '../../../test/faces.ts';
import { FaceSwapError } from '../errors.ts';
import { readImageInput, type FetchLike } from './input.ts';
import { MAX_FILE_BYTES } from './limits.ts';

const photo = faceBytes('img12.jpg');
const base64 = Buffer.from(photo).toString('base64');

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (caught) {
    expect(caught).toBeInstanceOf(FaceSwapError);
    return `${(caught as FaceSwapError).code}/${(caught as FaceSwapError).image}`;
  }
  return 'no error';
}

describe('readImageInput', () => {
  it('reads blobs, buffers, data URLs, bare and url-safe base64 to the same bytes', async () => {
    const inputs = [
      new Blob([photo]),
      photo.slice().buffer,
      `data:image/jpeg;base64,${base64}`,
      base64,
      `  ${base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}\n`,
    ];
    for (const input of inputs) expect(await readImageInput(input, 'source')).toEqual(photo);
  });

  it('fetches http(s) URLs and reports failures as FETCH_FAILED for the right image', async () => {
    const ok: FetchLike = async () => new Response(new Blob([photo]));
    expect(await readImageInput('https://example.test/a.jpg', 'target', ok)).toEqual(photo);
    const notFound: FetchLike = async () => new Response('gone', { status: 404 });
    expect(await codeOf(readImageInput('https://example.test/a.jpg', 'target', notFound))).toBe('FETCH_FAILED/target');
    const blocked: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    expect(await codeOf(readImageInput('https://example.test/a.jpg', 'source', blocked))).toBe('FETCH_FAILED/source');
  });

  it('stops reading a body that grows past the size limit, whatever the server declared', async () => {
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1 << 20;
        controller.enqueue(new Uint8Array(1 << 20));
      },
    });
    const liar: FetchLike = async () => new Response(endless, { headers: { 'content-length': '1000' } });
    expect(await codeOf(readImageInput('https://example.test/big.jpg', 'target', liar))).toBe('IMAGE_TOO_LARGE/target');
    expect(sent).toBeLessThan(MAX_FILE_BYTES + (4 << 20));
  });

  it('refuses text that is neither URL nor base64, and oversized base64 before decoding it', async () => {
    expect(await codeOf(readImageInput('just some words', 'source'))).toBe('INVALID_FORMAT/source');
    expect(await codeOf(readImageInput('A'.repeat(Math.ceil((MAX_FILE_BYTES * 4) / 3) + 8), 'target'))).toBe('IMAGE_TOO_LARGE/target');
    expect(await codeOf(readImageInput(new Blob([new Uint8Array(MAX_FILE_BYTES + 1)]), 'source'))).toBe('IMAGE_TOO_LARGE/source');
  });
});
