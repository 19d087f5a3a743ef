/** The calm, always-visible reminder about consent. */
export function ConsentNote() {
  return (
    <p className="rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300">
      Only swap faces of people who have agreed to it, and never use a result to deceive or harm anyone.
    </p>
  );
}
