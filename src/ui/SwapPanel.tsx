import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { button, card } from './classes.ts';
import { OutputOptions } from './OutputOptions.tsx';
import { useImages } from './state/images.ts';
import { useJob } from './state/job.ts';
import { SwapProgress } from './SwapProgress.tsx';
import { swapBlocker } from './swap-readiness.ts';

/** Step 3: options, the Swap button, progress, Cancel, and what went wrong. */
export function SwapPanel() {
  const blocker = useImages((s) => swapBlocker(s.slots.source, s.slots.target));
  const { status, error, swap, cancel } = useJob(useShallow((s) => ({ status: s.status, error: s.error, swap: s.swap, cancel: s.cancel })));
  const titleId = useId();
  const hintId = useId();
  const running = status === 'running';
  const unavailable = running || blocker !== null;

  return (
    <section aria-labelledby={titleId} className={card}>
      <h2 id={titleId} className="flex items-center gap-2 text-lg font-semibold">
        <span aria-hidden="true" className="flex size-6 items-center justify-center rounded-full bg-indigo-600 text-xs font-bold text-white">
          3
        </span>
        Swap
      </h2>
      <OutputOptions />
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="button"
          aria-disabled={unavailable}
          aria-describedby={blocker ? hintId : undefined}
          onClick={() => {
            if (!unavailable) void swap();
          }}
          className={`${button.primary} w-full sm:w-auto`}
        >
          Swap faces
        </button>
        {running && (
          <button type="button" onClick={cancel} className={`${button.secondary} w-full py-3 sm:w-auto`}>
            Cancel
          </button>
        )}
        {blocker && !running && (
          <p id={hintId} className="text-sm text-slate-600 dark:text-slate-400">
            {blocker}
          </p>
        )}
      </div>
      {running && <SwapProgress />}
      {status === 'cancelled' && (
        <p role="status" className="text-sm text-slate-700 dark:text-slate-300">
          Cancelled. Your pictures and options are unchanged; swap again when ready.
        </p>
      )}
      {status === 'failed' && error && (
        <p role="alert" data-testid="swap-error" data-code={error.code} className="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100">
          <code className="mr-1 font-semibold">{error.code}</code>
          {error.image ? `The swap stopped: see the message under the ${error.image} image.` : error.message}
        </p>
      )}
    </section>
  );
}
