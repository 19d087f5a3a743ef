/** How much this origin stores, and how much of it is the offline copy of the app. */
export interface StorageUsage {
  /** navigator.storage.estimate(): everything the origin stores (caches, IndexedDB, …), if the browser says. */
  usage?: number;
  quota?: number;
  /** Cache Storage: the service worker's offline copy, all of it. */
  cachedBytes: number;
  /** …of which the face models (`models/*.onnx`). */
  modelBytes: number;
}

const MODEL = /\/models\/[^/]+\.onnx$/;

async function responseBytes(response: Response): Promise<number> {
  const declared = Number(response.headers.get('content-length'));
  return Number.isFinite(declared) && declared > 0 ? declared : (await response.blob()).size;
}

export async function measureStorage(): Promise<StorageUsage> {
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  let cachedBytes = 0;
  let modelBytes = 0;
  if (typeof caches !== 'undefined') {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        if (!response) continue;
        const bytes = await responseBytes(response);
        cachedBytes += bytes;
        if (MODEL.test(new URL(request.url).pathname)) modelBytes += bytes;
      }
    }
  }
  return { usage: estimate?.usage, quota: estimate?.quota, cachedBytes, modelBytes };
}
