import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared real photos (../shared/data/faces), read for tests and benches. */
export const facesDir = fileURLToPath(new URL('../../shared/data/faces/', import.meta.url));

export function faceBytes(name: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(readFileSync(`${facesDir}${name}`));
}
