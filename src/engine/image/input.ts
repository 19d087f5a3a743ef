import { FaceSwapError, type ImageRole } from '../errors.ts';
import { MAX_FILE_BYTES } from './limits.ts';
import { checkFileSize } from './validate.ts';

/**
 * Every way a picture can be given: a File or Blob, raw bytes, or a string holding an http(s) or blob: URL,
 * a data URL, or bare base64.
 */
export type ImageInput = Blob | ArrayBuffer | Uint8Array | string;

export type FetchLike = (url: string, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Reads any {@link ImageInput} into bytes, refusing oversized input before reading all of it. */
export async function readImageInput(input: ImageInput, role: ImageRole, fetchFn: FetchLike = fetch, signal?: AbortSignal): Promise<Uint8Array> {
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (typeof input === 'string') return readString(input.trim(), role, fetchFn, signal);
  checkFileSize(input.size, role);
  return new Uint8Array(await input.arrayBuffer());
}

async function readString(text: string, role: ImageRole, fetchFn: FetchLike, signal?: AbortSignal): Promise<Uint8Array> {
  if (text === '') throw new FaceSwapError('INVALID_FORMAT', `The ${role} image is empty.`, role);
  if (/^data:/i.test(text)) return readDataUrl(text, role);
  if (/^(https?|blob):/i.test(text)) return readUrl(text, role, fetchFn, signal);
  return decodeBase64(text, role);
}

function readDataUrl(url: string, role: ImageRole): Uint8Array {
  const comma = url.indexOf(',');
  if (comma < 0) throw new FaceSwapError('INVALID_FORMAT', `The ${role} image's data URL has no data.`, role);
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  if (/;base64$/i.test(meta)) return decodeBase64(payload, role);
  const bytes = new TextEncoder().encode(decodeURIComponent(payload));
  checkFileSize(bytes.byteLength, role);
  return bytes;
}

function decodeBase64(text: string, role: ImageRole): Uint8Array {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const notAnImage = () => new FaceSwapError('INVALID_FORMAT', `The ${role} image is not a file, an http(s) URL, a data URL or base64 text.`, role);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(clean)) throw notAnImage();
  checkFileSize(Math.floor((clean.length * 3) / 4), role);
  let binary: string;
  try {
    binary = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, '='));
  } catch {
    throw notAnImage();
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function readUrl(url: string, role: ImageRole, fetchFn: FetchLike, signal?: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetchFn(url, { signal });
  } catch (caught) {
    if (signal?.aborted) throw new FaceSwapError('CANCELLED', 'Cancelled.', role);
    throw new FaceSwapError(
      'FETCH_FAILED',
      `Could not download the ${role} image from ${shortUrl(url)}: the site is unreachable or does not allow other sites to use its images (CORS). Download it and choose the file instead.`,
      role,
    );
  }
  if (!response.ok) {
    throw new FaceSwapError('FETCH_FAILED', `Could not download the ${role} image: ${shortUrl(url)} answered HTTP ${response.status}.`, role);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > 0) checkFileSize(declared, role);
  return readCapped(response, role);
}

/** Reads a body but stops as soon as it passes the size limit, whatever the server declared. */
async function readCapped(response: Response, role: ImageRole): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_FILE_BYTES) {
      await reader.cancel();
      checkFileSize(total, role);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

function shortUrl(url: string): string {
  try {
    const { protocol, host, pathname } = new URL(url);
    return protocol === 'blob:' ? 'a local blob' : `${host}${pathname.length > 40 ? `${pathname.slice(0, 37)}…` : pathname}`;
  } catch {
    return 'that address';
  }
}
