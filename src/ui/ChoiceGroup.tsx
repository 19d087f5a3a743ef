import { useId } from 'react';

interface Props<T extends string> {
  legend: string;
  value: T;
  options: readonly { value: T; label: string; disabled?: boolean; hint?: string }[];
  onChange(value: T): void;
}

/** A labelled row of radio buttons drawn as a segmented control; arrow keys move between them. */
export function ChoiceGroup<T extends string>({ legend, value, options, onChange }: Props<T>) {
  const name = useId();
  return (
    <fieldset className="flex min-w-0 flex-col gap-1.5">
      <legend className="mb-1.5 text-sm font-medium text-slate-800 dark:text-slate-200">{legend}</legend>
      <div className="inline-flex w-full rounded-xl bg-slate-100 p-1 sm:w-auto dark:bg-slate-800">
        {options.map((option) => (
          <label
            key={option.value}
            title={option.hint}
            className="relative flex-1 cursor-pointer rounded-lg px-3 py-1.5 text-center text-sm font-medium whitespace-nowrap text-slate-700 has-[:checked]:bg-white has-[:checked]:text-slate-950 has-[:checked]:shadow-sm has-[:disabled]:cursor-not-allowed has-[:disabled]:opacity-50 has-[input:focus-visible]:outline-2 has-[input:focus-visible]:outline-indigo-500 sm:flex-none dark:text-slate-300 dark:has-[:checked]:bg-slate-950 dark:has-[:checked]:text-white"
          >
            <input type="radio" name={name} value={option.value} checked={value === option.value} disabled={option.disabled} onChange={() => onChange(option.value)} className="absolute inset-0 m-0 size-full cursor-pointer appearance-none opacity-0 disabled:cursor-not-allowed" />
            {option.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
