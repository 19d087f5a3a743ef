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

const BEARD_OPTIONS: { value: 'replace' | 'keep'; label: string; hint: string }[] = [
  { value: 'replace', label: 'Replace', hint: "The new face is the source's down to the jaw (default)" },
  { value: 'keep', label: 'Keep', hint: "The new face wears the target's beard and moustache: more natural on a bearded face, a little less like the source" },
];

/** Output format, quality and the target's beard; formats this browser cannot write are offered disabled. */
export function OutputOptions() {
  const { outputFormat, quality, keepBeard, setOutputFormat, setQuality, setKeepBeard } = useOptions(
    useShallow((s) => ({ outputFormat: s.outputFormat, quality: s.quality, keepBeard: s.keepBeard, setOutputFormat: s.setOutputFormat, setQuality: s.setQuality, setKeepBeard: s.setKeepBeard })),
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
      <ChoiceGroup legend="Target's beard" value={keepBeard ? 'keep' : 'replace'} options={BEARD_OPTIONS} onChange={(choice) => setKeepBeard(choice === 'keep')} />
    </div>
  );
}
