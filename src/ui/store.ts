import { create } from 'zustand';
import { decodeInWorker, engineClient } from '../client/engine-client.ts';
import type { FaceSwapErrorInfo, ImageRole } from '../engine/errors.ts';
import type { ImageInput } from '../engine/image/input.ts';
import type { ImageFormat } from '../engine/image/sniff.ts';
import type { EngineInfo } from '../worker/api.ts';

/** One input picture as the UI shows it. Its pixels live in the worker; here only a preview URL. */
export interface ImageSlot {
  busy: boolean;
  /** Present once a picture decoded; kept when a later input fails, so nothing given is lost. */
  image?: { name: string; width: number; height: number; format: ImageFormat; byteLength: number; previewUrl: string };
  error?: FaceSwapErrorInfo;
}

interface StudioState {
  runtime?: EngineInfo;
  runtimeError?: string;
  slots: Record<ImageRole, ImageSlot>;
  startRuntime(): Promise<void>;
  loadImage(role: ImageRole, input: ImageInput, name: string): Promise<void>;
  clearImage(role: ImageRole): void;
  dismissError(role: ImageRole): void;
}

export const useStudio = create<StudioState>()((set, get) => {
  const patchSlot = (role: ImageRole, patch: Partial<ImageSlot>) =>
    set((state) => ({ slots: { ...state.slots, [role]: { ...state.slots[role], ...patch } } }));

  return {
    slots: { source: { busy: false }, target: { busy: false } },

    async startRuntime() {
      try {
        set({ runtime: await engineClient().init(), runtimeError: undefined });
      } catch (caught) {
        set({ runtimeError: caught instanceof Error ? caught.message : String(caught) });
      }
    },

    async loadImage(role, input, name) {
      patchSlot(role, { busy: true, error: undefined });
      const outcome = await decodeInWorker(role, input);
      if (!outcome.ok) {
        patchSlot(role, { busy: false, error: outcome.error });
        return;
      }
      const { thumbnail, width, height, format, byteLength } = outcome.value;
      const previous = get().slots[role].image;
      if (previous) URL.revokeObjectURL(previous.previewUrl);
      patchSlot(role, { busy: false, image: { name, width, height, format, byteLength, previewUrl: URL.createObjectURL(thumbnail) } });
    },

    clearImage(role) {
      const previous = get().slots[role].image;
      if (previous) URL.revokeObjectURL(previous.previewUrl);
      void engineClient().forget(role);
      patchSlot(role, { image: undefined, error: undefined });
    },

    dismissError(role) {
      patchSlot(role, { error: undefined });
    },
  };
});
