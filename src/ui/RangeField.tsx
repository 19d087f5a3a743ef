import { useId, type ReactNode } from 'react';

interface Props {
  label: string;
  min: number;
  max: number;
  step?: number;
  value: number;
  /** What a screen reader says for the value. */
  valueText: string;
  onChange(value: number): void;
  /** Shown after the slider (the value, for example). */
  children?: ReactNode;
}

/** A labelled slider in a row. */
export function RangeField({ label, min, max, step, value, valueText, onChange, children }: Props) {
  const id = useId();
  return (
    <div className="flex items-center gap-3">
      <label htmlFor={id} className="shrink-0 font-medium">
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        aria-valuetext={valueText}
        onChange={(event) => onChange(Number(event.target.value))}
        className="min-w-0 flex-1 accent-indigo-600"
      />
      {children}
    </div>
  );
}
