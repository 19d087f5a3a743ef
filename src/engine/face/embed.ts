/**
 * Identity embeddings: the face is aligned by its 5 landmarks onto the recogniser's canonical template with a
 * least-squares similarity, resampled (bilinear, from the pyramid halving that fits), and the model's
 * descriptor is L2-normalised so that cosine similarity is a dot product.
 */
import type { InferenceBackend } from '../inference.ts';
import { affineScale, estimateSimilarity, warpToTensor, type Affine } from './affine.ts';
import { pickLevel, type Pyramid } from './pyramid.ts';

/** A face recogniser: model file, input side, value range, and where its 5-point template sits. */
export interface Embedder {
  /** Model file stem under public/models. */
  model: string;
  /** Input side in pixels (square NHWC RGB input). */
  size: number;
  /** The value range 0…255 maps to. */
  range: readonly [number, number];
  /** Length of the descriptor output, used to pick it among the model's outputs. */
  length: number;
  /** Scale of the template about the input centre (1 = ArcFace's tight crop; larger zooms out). */
  zoom: number;
}

/**
 * ArcFace's 5-point template for a 112×112 crop: image-left eye, image-right eye, nose tip, image-left
 * and image-right mouth corner (insightface's `arcface_dst`).
 */
export const ARCFACE_TEMPLATE: readonly number[] = [
  38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041,
];

/**
 * HSE FaceRes (1024-d, `global_pooling/Mean`), 224×224 input, values in [0, 255] as vladmandic/human
 * feeds it, aligned to the ArcFace template scaled ×2.
 */
export const FACERES: Embedder = { model: 'faceres', size: 224, range: [0, 255], length: 1024, zoom: 1 };

/**
 * Cosine similarity of two FACERES embeddings at or above which they are taken for the same person: the best
 * threshold on the development pairs (100 % of pairs.csv; 99.5 % of all 1830 pairs of the 61 photos).
 */
export const FACERES_SAME_PERSON = 0.63;

/** The recogniser the app uses (chosen by verification accuracy on the development pairs). */
export const DEFAULT_EMBEDDER: Embedder = FACERES;

/** The template for an embedder's input: ArcFace's, scaled to its side and zoomed about the centre. */
export function templateFor(embedder: Embedder): Float32Array {
  const s = embedder.size / 112;
  const out = new Float32Array(10);
  for (let i = 0; i < 10; i++) {
    const c = 56;
    out[i] = ((ARCFACE_TEMPLATE[i] - c) / embedder.zoom + c) * s;
  }
  return out;
}

/** The map from image px to the embedder's input that aligns `landmarks5` to its template. */
export function alignment(landmarks5: ArrayLike<number>, embedder: Embedder): Affine {
  return estimateSimilarity(landmarks5, templateFor(embedder));
}

/** The aligned model input for a face. */
export function embedInput(pyramid: Pyramid, landmarks5: ArrayLike<number>, embedder: Embedder): Float32Array {
  const toInput = alignment(landmarks5, embedder);
  const level = pickLevel(pyramid, toInput, affineScale(toInput));
  return warpToTensor(level.image, level.toOutput, embedder.size, embedder.size, { range: embedder.range });
}

/** Scales a vector to unit length (in place) and returns it. */
export function l2Normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const k = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  for (let i = 0; i < v.length; i++) v[i] *= k;
  return v;
}

/** Cosine similarity of two embeddings (−1…1; a dot product when both are unit length). */
export function cosineSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** The L2-normalised identity embedding of the face whose 5 landmarks are given (image px). */
export async function embedFace(
  backend: InferenceBackend,
  pyramid: Pyramid,
  landmarks5: ArrayLike<number>,
  embedder: Embedder = DEFAULT_EMBEDDER,
): Promise<Float32Array> {
  const data = embedInput(pyramid, landmarks5, embedder);
  const outputs = Object.values(await backend.run(embedder.model, { data, dims: [1, embedder.size, embedder.size, 3] }));
  const out = outputs.find((t) => t.data.length === embedder.length);
  if (!out) throw new Error(`${embedder.model}: no ${embedder.length}-d output`);
  return l2Normalize(Float32Array.from(out.data));
}
