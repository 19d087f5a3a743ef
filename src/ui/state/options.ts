import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { DEFAULT_OUTPUT_FORMAT, isOutputFormat, type OutputFormat } from '../../engine/formats.ts';
import { DEFAULT_QUALITY, QUALITIES, type Quality } from '../../engine/job.ts';

interface OptionsState {
  outputFormat: OutputFormat;
  quality: Quality;
  /** Keep the target's beard and moustache over the new face. */
  keepBeard: boolean;
  setOutputFormat(format: OutputFormat): void;
  setQuality(quality: Quality): void;
  setKeepBeard(keepBeard: boolean): void;
}

/** Output format, quality and the beard's choice, remembered between visits. */
export const useOptions = create<OptionsState>()(
  persist(
    (set) => ({
      outputFormat: DEFAULT_OUTPUT_FORMAT,
      quality: DEFAULT_QUALITY,
      keepBeard: false,
      setOutputFormat: (outputFormat) => set({ outputFormat }),
      setQuality: (quality) => set({ quality }),
      setKeepBeard: (keepBeard) => set({ keepBeard }),
    }),
    {
      name: 'faceswap-options',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ outputFormat, quality, keepBeard }) => ({ outputFormat, quality, keepBeard }),
      merge: (saved, current) => {
        const { outputFormat, quality, keepBeard } = (saved ?? {}) as Partial<OptionsState>;
        return {
          ...current,
          outputFormat: isOutputFormat(outputFormat) ? outputFormat : current.outputFormat,
          quality: quality && QUALITIES.includes(quality) ? quality : current.quality,
          keepBeard: typeof keepBeard === 'boolean' ? keepBeard : current.keepBeard,
        };
      },
    },
  ),
);
