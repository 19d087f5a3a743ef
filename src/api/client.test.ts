import { describe, expect, it } from 'vitest';
import type { ImageRole, Outcome } from '../engine/errors.ts';
import type { FaceSummary, SwapRequest, SwapResult } from '../engine/job.ts';
import { createFaceSwap, toRequest } from './client.ts';
import type { Engine } from './engine.ts';
import { FaceSwapApiError } from './errors.ts';
import { resolveAddress, toEngineInput } from './image-input.ts';

/** An engine double that records its calls; `swap` waits until released so cancellation can be tested. */
function fakeEngine(options: { faces?: FaceSummary[]; swapGate?: Promise<void>; decodeGate?: Promise<void> } = {}) {
  const calls: string[] = [];
  let cancelled = false;
  const face: FaceSummary = { index: 0, box: { x: 1, y: 2, width: 30, height: 40 }, score: 0.9 };
  const api: Engine = {
    init: async () => ({ backend: 'wasm', threads: 1, outputFormats: ['png'] }) as never,
    decode: async (role: ImageRole, input, decodeOptions) => {
      const preview = decodeOptions?.preview ?? true;
      const notes = [...(preview ? [] : ['no preview']), ...(role === 'source' && decodeOptions?.sourceFaces === 'largest' ? ['largest face'] : [])];
      calls.push(`decode ${role} ${typeof input === 'string' ? input : (input as Blob).size}${notes.length ? ` (${notes.join(', ')})` : ''}`);
      await options.decodeGate;
      if (typeof input === 'string' && input === 'bad') return { ok: false, error: { code: 'INVALID_FORMAT', message: 'nope', image: role } };
      return { ok: true, value: { role, width: 10, height: 10, format: 'png', byteLength: 1, thumbnail: preview ? new Blob() : null } };
    },
    encode: async () => ({ ok: true, value: new Blob(['x']) }),
    analyse: async (role) => {
      calls.push(`analyse ${role}`);
      const faces = options.faces ?? [face];
      return faces.length ? { ok: true, value: faces } : { ok: false, error: { code: 'NO_FACE_DETECTED', message: `No face in the ${role} image.`, image: role } };
    },
    swap: async (request: SwapRequest): Promise<Outcome<SwapResult>> => {
      calls.push(`swap ${JSON.stringify(request)}`);
      await options.swapGate;
      if (cancelled) return { ok: false, error: { code: 'CANCELLED', message: 'Cancelled.' } };
      const blob = new Blob(['png'], { type: 'image/png' });
      return { ok: true, value: { jobId: 'job_1', blob, outputFormat: request.outputFormat, resolution: '10x10', width: 10, height: 10, processingTime: 12.4, facesDetected: 1, facesSwapped: [0], sourceEnlargement: 1.2, sourceHairCover: 0.08 } };
    },
    forget: async () => undefined,
    cancel: async () => {
      calls.push('cancel');
      cancelled = true;
    },
  };
  return { calls, engine: () => api };
}

describe('createFaceSwap', () => {
  it('imageSwap reads both pictures, then swaps with the seed defaults', async () => {
    const fake = fakeEngine();
    const client = createFaceSwap({ engine: fake.engine });
    const phases: string[] = [];
    const result = await client.imageSwap({ sourceImage: 'data:a', targetImage: new Blob(['abc']), onProgress: (phase, done, total) => phases.push(`${phase} ${done}/${total}`) });
    // The source's largest face is all the swap takes, and all the worker looks for.
    expect(fake.calls).toEqual(['decode source data:a (no preview, largest face)', 'decode target 3 (no preview)', `swap ${JSON.stringify({ outputFormat: 'png', quality: 'high', faceIndex: null, sourceFaceIndex: null, keepBeard: false })}`]);
    expect(phases).toEqual(['decode 0/2', 'decode 1/2', 'decode 2/2']);
    expect(result).toMatchObject({ success: true, jobId: 'job_1', resolution: '10x10', facesDetected: 1, sourceEnlargement: 1.2, sourceHairCover: 0.08, fileName: 'faceswap-job_1.png', outputFormat: 'png' });
    expect(result.outputUrl).toMatch(/^blob:/);
    expect(Number.isInteger(result.processingTime)).toBe(true);
    result.revoke();
  });

  it('imageSwap with a source face picked has every source face looked for', async () => {
    const fake = fakeEngine();
    await createFaceSwap({ engine: fake.engine }).imageSwap({ sourceImage: 'data:a', targetImage: 'data:b', sourceFaceIndex: 0 });
    expect(fake.calls.slice(0, 2)).toEqual(['decode source data:a (no preview)', 'decode target data:b (no preview)']);
  });

  it('imageSwap reads both pictures at once, and reports the source\'s failure first', async () => {
    let release!: () => void;
    const fake = fakeEngine({ decodeGate: new Promise((resolve) => (release = resolve)) });
    const client = createFaceSwap({ engine: fake.engine });
    const failure = client.imageSwap({ sourceImage: 'bad', targetImage: 'bad' }).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fake.calls).toEqual(['decode source bad (no preview, largest face)', 'decode target bad (no preview)']);
    release();
    expect(await failure).toMatchObject({ code: 'INVALID_FORMAT', image: 'source' });
  });

  it('setImage makes a preview', async () => {
    const fake = fakeEngine();
    const summary = await createFaceSwap({ engine: fake.engine }).setImage('target', 'data:t');
    expect(summary.thumbnail).toBeInstanceOf(Blob);
    expect(fake.calls).toEqual(['decode target data:t']);
  });

  it('rejects with the engine code and the image concerned', async () => {
    const client = createFaceSwap({ engine: fakeEngine({ faces: [] }).engine });
    const failure = await client.imageSwap({ sourceImage: 'data:a', targetImage: 'bad' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(FaceSwapApiError);
    expect(failure).toMatchObject({ code: 'INVALID_FORMAT', image: 'target', message: 'nope' });
    await expect(client.analyze('data:x')).rejects.toMatchObject({ code: 'NO_FACE_DETECTED', image: 'target' });
  });

  it('analyze reads into the target slot unless told, and lists the faces', async () => {
    const fake = fakeEngine();
    const client = createFaceSwap({ engine: fake.engine });
    expect(await client.analyze('data:x', { role: 'source' })).toHaveLength(1);
    expect(fake.calls).toEqual(['decode source data:x', 'analyse source']);
  });

  it('runs calls one at a time, in order', async () => {
    const fake = fakeEngine();
    const client = createFaceSwap({ engine: fake.engine });
    await Promise.all([client.setImage('source', 'data:1'), client.faces('source'), client.setImage('target', 'data:2'), client.faces('target')]);
    expect(fake.calls).toEqual(['decode source data:1', 'analyse source', 'decode target data:2', 'analyse target']);
  });

  it('an AbortSignal cancels the running swap through the engine, and skips a queued call', async () => {
    let release!: () => void;
    const fake = fakeEngine({ swapGate: new Promise((resolve) => (release = resolve)) });
    const client = createFaceSwap({ engine: fake.engine });
    const running = new AbortController();
    const queued = new AbortController();
    const swap = client.swap({ signal: running.signal });
    const analyse = client.faces('target', { signal: queued.signal });
    await new Promise((resolve) => setTimeout(resolve, 0));
    queued.abort();
    await expect(analyse).rejects.toMatchObject({ code: 'CANCELLED' });
    running.abort();
    await expect(swap).rejects.toMatchObject({ code: 'CANCELLED' });
    release();
    await client.info();
    await client.faces('target');
    expect(fake.calls.filter((call) => call.startsWith('analyse'))).toEqual(['analyse target']);
    expect(fake.calls).toContain('cancel');
  });

  it('a signal aborted before the call rejects at once', async () => {
    const fake = fakeEngine();
    const client = createFaceSwap({ engine: fake.engine });
    await expect(client.imageSwap({ sourceImage: 'a', targetImage: 'b', signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fake.calls).toEqual([]);
  });
});

describe('options and inputs', () => {
  it('refuses bad options with a code', () => {
    expect(() => toRequest({ outputFormat: 'gif' as never })).toThrow(expect.objectContaining({ code: 'INVALID_FORMAT' }));
    expect(() => toRequest({ quality: '8k' as never })).toThrow(FaceSwapApiError);
    expect(() => toRequest({ faceIndex: -1 })).toThrow(expect.objectContaining({ code: 'FACE_INDEX_OUT_OF_RANGE', image: 'target' }));
    expect(() => toRequest({ keepBeard: 'yes' as never })).toThrow(FaceSwapApiError);
    expect(toRequest({ faceIndex: 1, quality: '4k', outputFormat: 'webp' })).toEqual({ outputFormat: 'webp', quality: '4k', faceIndex: 1, sourceFaceIndex: null, keepBeard: false });
    expect(toRequest({ keepBeard: true })).toMatchObject({ keepBeard: true });
  });

  it('resolves page-relative paths and leaves the rest', () => {
    const base = 'https://app.example/studio/';
    expect(resolveAddress('/photos/a.jpg', base)).toBe('https://app.example/photos/a.jpg');
    expect(resolveAddress('./a.jpg', base)).toBe('https://app.example/studio/a.jpg');
    expect(resolveAddress(' https://x.example/a.jpg ', base)).toBe('https://x.example/a.jpg');
    const jpegBase64 = `/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U${'A'.repeat(40)}`;
    expect(resolveAddress(jpegBase64, base)).toBe(jpegBase64);
    expect(resolveAddress('/api/face', base)).toBe('https://app.example/api/face');
    expect(resolveAddress('iVBORw0KGgo=', base)).toBe('iVBORw0KGgo=');
  });

  it('wraps raw bytes in a Blob without detaching them', async () => {
    const bytes = new Uint8Array([1, 2, 3, 4]);
    const input = await toEngineInput(bytes.subarray(1, 3), 'source');
    expect(input).toBeInstanceOf(Blob);
    expect([...new Uint8Array(await (input as Blob).arrayBuffer())]).toEqual([2, 3]);
    expect(bytes.byteLength).toBe(4);
    await expect(toEngineInput(42 as never, 'target')).rejects.toMatchObject({ code: 'INVALID_FORMAT', image: 'target' });
  });
});
