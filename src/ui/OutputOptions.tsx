import { useShallow } from 'zustand/react/shallow';
import { OUTPUT_FORMATS, type OutputFormat } from '../engine/formats.ts';
import type { Quality } from '../engine/job.ts';
import { ChoiceGroup } from './ChoiceGroup.tsx';
import { useOptions } from './state/options.ts';
import { useRuntime } from './state/runtime.ts';

const QUALITY_OPTIONS: { value: Quality; label: string; hint: string }[] = [
  { value: 'standard', label: 'Standard', hint: 'Fastest' },
  { value: 'high', label: 'High', hint: 'Balanced (default)' },
  { value: '4k', label: '4K', hint: 'Sharpest, up to 3840 px' },
];

/** Output format and quality; formats this browser cannot write are offered disabled. */
export function OutputOptions() {
  const { outputFormat, quality, setOutputFormat, setQuality } = useOptions(
    useShallow((s) => ({ outputFormat: s.outputFormat, quality: s.quality, setOutputFormat: s.setOutputFormat, setQuality: s.setQuality })),
  );
  const writable = useRuntime((s) => s.info?.outputFormats);
  const formats = (Object.keys(OUTPUT_FORMATS) as OutputFormat[]).map((format) => ({
    value: format,
    label: OUTPUT_FORMATS[format].label,
    disabled: writable ? !writable.includes(format) : false,
  }));
  return (
    <div className="flex flex-wrap gap-x-6 gap-y-3">
      <ChoiceGroup legend="Output format" value={outputFormat} options={formats} onChange={setOutputFormat} />
      <ChoiceGroup legend="Quality" value={quality} options={QUALITY_OPTIONS} onChange={setQuality} />
    </div>
  );
}
