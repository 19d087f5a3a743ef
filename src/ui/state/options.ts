import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import { DEFAULT_OUTPUT_FORMAT, isOutputFormat, type OutputFormat } from '../../engine/formats.ts';
import { DEFAULT_QUALITY, QUALITIES, type Quality } from '../../engine/job.ts';

interface OptionsState {
  outputFormat: OutputFormat;
  quality: Quality;
  setOutputFormat(format: OutputFormat): void;
  setQuality(quality: Quality): void;
}

/** Output format and quality, remembered between visits. */
export const useOptions = create<OptionsState>()(
  persist(
    (set) => ({
      outputFormat: DEFAULT_OUTPUT_FORMAT,
      quality: DEFAULT_QUALITY,
      setOutputFormat: (outputFormat) => set({ outputFormat }),
      setQuality: (quality) => set({ quality }),
    }),
    {
      name: 'faceswap-options',
      storage: createJSONStorage(() => localStorage),
      partialize: ({ outputFormat, quality }) => ({ outputFormat, quality }),
      merge: (saved, current) => {
        const { outputFormat, quality } = (saved ?? {}) as Partial<OptionsState>;
        return {
          ...current,
          outputFormat: isOutputFormat(outputFormat) ? outputFormat : current.outputFormat,
          quality: quality && QUALITIES.includes(quality) ? quality : current.quality,
        };
      },
    },
  ),
);
