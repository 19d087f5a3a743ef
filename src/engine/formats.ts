import type { ImageFormat } from './image/sniff.ts';

/** Output formats of the seed API, described once. */
export type OutputFormat = 'png' | 'jpg' | 'webp';

export interface OutputFormatMeta {
  mime: string;
  extension: string;
  label: string;
  /** Encoder quality in [0, 1] for lossy formats. */
  quality?: number;
  /** What the sniffer reports for bytes of this format. */
  sniffed: ImageFormat;
}

export const OUTPUT_FORMATS: Record<OutputFormat, OutputFormatMeta> = {
  png: { mime: 'image/png', extension: 'png', label: 'PNG', sniffed: 'png' },
  jpg: { mime: 'image/jpeg', extension: 'jpg', label: 'JPG', quality: 0.92, sniffed: 'jpeg' },
  webp: { mime: 'image/webp', extension: 'webp', label: 'WebP', quality: 0.92, sniffed: 'webp' },
};

export const DEFAULT_OUTPUT_FORMAT: OutputFormat = 'png';

export function isOutputFormat(value: unknown): value is OutputFormat {
  return typeof value === 'string' && value in OUTPUT_FORMATS;
}

/** The download name of a result, `faceswap-<job id>.<ext>`. */
export function resultFileName(jobId: string, format: OutputFormat): string {
  return `faceswap-${jobId}.${OUTPUT_FORMATS[format].extension}`;
}
