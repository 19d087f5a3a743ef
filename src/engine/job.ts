import type { OutputFormat } from './formats.ts';

/** The seed's quality levels. */
export type Quality = 'standard' | 'high' | '4k';

export const QUALITIES: readonly Quality[] = ['standard', 'high', '4k'];
export const DEFAULT_QUALITY: Quality = 'high';

/** What to swap and how to write it. */
export interface SwapRequest {
  outputFormat: OutputFormat;
  quality: Quality;
  /** The target face to swap (0-based, in {@link FaceSummary} order); null or absent swaps every target face. */
  faceIndex?: number | null;
  /** The source face to use; absent takes the largest. */
  sourceFaceIndex?: number | null;
  /**
   * Keep the target's beard and moustache over the new face (default false: the new face is the source's down to the
   * jaw, and a beard shows only past it).
   */
  keepBeard?: boolean;
}

/** A detected face as pickers show it. Faces are ordered left to right by box centre, then top to bottom. */
export interface FaceSummary {
  index: number;
  box: { x: number; y: number; width: number; height: number };
  score: number;
  /** A source's faces only: the share of the face that hair covers, as a swap from it will report it ({@link SwapFields.sourceHairCover}). */
  hairCover?: number;
  /** A source's faces only: whether it wears glasses, which the swap takes off (rebuilding the skin around the eyes). */
  glasses?: boolean;
  /**
   * A target's faces only: the share of the face (0..1, to two decimals) that its beard or moustache covers, which a
   * swap replaces unless asked to keep it ({@link SwapRequest.keepBeard}).
   */
  beardCover?: number;
}

/** Stages of a swap, for progress. */
export type SwapPhase = 'models' | 'detect' | 'swap' | 'encode';

/** Progress of a stage: `done` of `total` steps finished. */
export type ProgressListener = (phase: SwapPhase, done: number, total: number) => void;

/** The seed's fields of a finished swap. */
export interface SwapFields {
  jobId: string;
  outputFormat: OutputFormat;
  /** "WxH" as in the seed. */
  resolution: string;
  width: number;
  height: number;
  /** Milliseconds from the request to the encoded result. */
  processingTime: number;
  /** Faces found in the target. */
  facesDetected: number;
  /** Indexes of the target faces swapped. */
  facesSwapped: number[];
  /**
   * How many times the source face is enlarged onto the largest face it replaces (the longer sides of their boxes, the
   * target's at the output's size), to two decimals. A face cannot be sharper than its source: from about
   * {@link SOFT_ENLARGEMENT} on, the new face looks softer than the picture around it.
   */
  sourceEnlargement: number;
  /**
   * The share of the source face (of its area, 0..1, to two decimals) that hair covers. The swap rebuilds it from the
   * mirrored side or the skin around, but strands can still show: from {@link HAIR_COVER} on, a result says so.
   */
  sourceHairCover: number;
}

/** The source enlargement from which a result is told it may look soft, and why. */
export const SOFT_ENLARGEMENT = 1.5;
/**
 * The source hair cover from which a result is told strands may show. Of the test photos, faces with hair over a
 * temple or a cheek measure 7-15 % (img3, img8, img12, img22, img23, img54-56); faces clear of it mostly under 3 %,
 * up to 6 % in coloured light (img27); a light wave at a temple, 4.5-5.5 % (img28, img43), is left unsaid.
 */
export const HAIR_COVER = 0.06;
/**
 * The beard cover from which the studio says a target face has a beard that the swap will replace (and how to keep
 * it). Of the test photos, beards and moustaches cover 12-28 % of the face; shaven faces and stubble, 0.
 */
export const BEARD_COVER = 0.05;

/** Whether a target face has a beard the studio speaks of ({@link BEARD_COVER}). */
export function hasBeard(face: FaceSummary): boolean {
  return (face.beardCover ?? 0) >= BEARD_COVER;
}

/** A finished swap as the worker returns it: the fields and the encoded picture. */
export interface SwapResult extends SwapFields {
  blob: Blob;
}
