import { create } from 'zustand';
import { FaceSwapApiError } from '../../api/index.ts';
import type { FaceSwapErrorInfo, ImageRole } from '../../engine/errors.ts';
import type { ImageFormat } from '../../engine/image/sniff.ts';
import type { FaceSummary } from '../../engine/job.ts';
import type { FaceSwapImage } from '../../api/index.ts';
import { studio } from '../studio-client.ts';
import { createUrl, releaseUrl, retainUrl } from './object-urls.ts';

/** A decoded picture as the UI shows it. Its pixels live in the worker; here only object URLs. */
export interface Picture {
  name: string;
  width: number;
  height: number;
  format: ImageFormat;
  byteLength: number;
  /** A small preview (long side 512 px). */
  previewUrl: string;
  /** The picture at full size, for the before/after view; known at once for files, made on demand otherwise. */
  fullUrl?: string;
}

/** One input picture: the latest good one, what its faces are, and the latest error about it. */
export interface ImageSlot {
  busy: boolean;
  /** Kept when a later input fails, so nothing given is lost. */
  image?: Picture;
  error?: FaceSwapErrorInfo;
  /** Undefined until analysed; empty when the picture has no face. */
  faces?: FaceSummary[];
  detecting: boolean;
  /** Target: the face to replace, null for all. Source: the face to use (the largest unless chosen). */
  choice: number | null;
  /** Increases with every picture given, so late answers about an older one are ignored. */
  version: number;
}

interface ImagesState {
  slots: Record<ImageRole, ImageSlot>;
  loadImage(role: ImageRole, input: FaceSwapImage, name: string): Promise<void>;
  clearImage(role: ImageRole): void;
  chooseFace(role: ImageRole, index: number | null): void;
  showError(role: ImageRole, error: FaceSwapErrorInfo): void;
  dismissError(role: ImageRole): void;
  /**
   * A full-size URL of the picture given as `version` (the caller then owns a reference: release it), encoding it in
   * the worker once when the input was not a file. Undefined when another picture has replaced it.
   */
  retainFullUrl(role: ImageRole, version: number): Promise<string | undefined>;
}

const emptySlot: ImageSlot = { busy: false, detecting: false, choice: null, version: 0 };

const largestFace = (faces: FaceSummary[]) =>
  faces.reduce((best, face) => (face.box.width * face.box.height > best.box.width * best.box.height ? face : best)).index;

const errorInfo = (caught: unknown, role: ImageRole): FaceSwapErrorInfo =>
  caught instanceof FaceSwapApiError ? { ...caught.toInfo(), image: caught.image ?? role } : { code: 'INTERNAL', message: String(caught), image: role };

function release(picture?: Picture) {
  releaseUrl(picture?.previewUrl);
  releaseUrl(picture?.fullUrl);
}

/** The two input pictures and the faces chosen on them. */
export const useImages = create<ImagesState>()((set, get) => {
  const patch = (role: ImageRole, update: Partial<ImageSlot>) => set((state) => ({ slots: { ...state.slots, [role]: { ...state.slots[role], ...update } } }));
  const current = (role: ImageRole, version: number) => get().slots[role].version === version;

  async function detectFaces(role: ImageRole, version: number) {
    try {
      const faces = await studio.faces(role);
      if (!current(role, version)) return;
      patch(role, { faces, detecting: false, choice: role === 'source' && faces.length > 0 ? largestFace(faces) : null });
    } catch (caught) {
      if (!current(role, version)) return;
      const error = errorInfo(caught, role);
      patch(role, { faces: error.code === 'NO_FACE_DETECTED' ? [] : undefined, detecting: false, error: error.code === 'CANCELLED' ? undefined : error });
    }
  }

  return {
    slots: { source: emptySlot, target: emptySlot },

    async loadImage(role, input, name) {
      const version = get().slots[role].version + 1;
      patch(role, { busy: true, error: undefined, version });
      try {
        const summary = await studio.setImage(role, input);
        release(get().slots[role].image);
        const image: Picture = {
          name,
          width: summary.width,
          height: summary.height,
          format: summary.format,
          byteLength: summary.byteLength,
          previewUrl: createUrl(summary.thumbnail),
          fullUrl: input instanceof Blob ? createUrl(input) : undefined,
        };
        if (!current(role, version)) {
          release(image);
          return;
        }
        patch(role, { busy: false, image, faces: undefined, detecting: true, choice: null });
        await detectFaces(role, version);
      } catch (caught) {
        if (!current(role, version)) return;
        const error = errorInfo(caught, role);
        patch(role, { busy: false, error: error.code === 'CANCELLED' ? undefined : error });
      }
    },

    clearImage(role) {
      release(get().slots[role].image);
      void studio.clearImage(role);
      set((state) => ({ slots: { ...state.slots, [role]: { ...emptySlot, version: state.slots[role].version + 1 } } }));
    },

    chooseFace(role, index) {
      patch(role, { choice: index });
    },

    showError(role, error) {
      patch(role, { error });
    },

    dismissError(role) {
      patch(role, { error: undefined });
    },

    async retainFullUrl(role, version) {
      const { image } = get().slots[role];
      if (!image || !current(role, version)) return undefined;
      if (image.fullUrl) return retainUrl(image.fullUrl);
      try {
        const blob = await studio.encode(role, 'jpg');
        const now = get().slots[role];
        if (!now.image || !current(role, version)) return undefined;
        const fullUrl = now.image.fullUrl ?? createUrl(blob);
        patch(role, { image: { ...now.image, fullUrl } });
        return retainUrl(fullUrl);
      } catch {
        return undefined;
      }
    },
  };
});
