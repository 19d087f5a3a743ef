import { useEffect, useId, useRef } from 'react';
import { button, card } from './classes.ts';
import { CompareView } from './CompareView.tsx';
import { ResultAdvice } from './ResultAdvice.tsx';
import { ResultFields } from './ResultFields.tsx';
import { useJob } from './state/job.ts';

/** The latest result: large before/after view with zoom, the seed's fields, and Download. */
export function ResultPanel() {
  const result = useJob((s) => s.result);
  const download = useJob((s) => s.download);
  const titleId = useId();
  const heading = useRef<HTMLHeadingElement>(null);

  // A new result takes the reader (and the keyboard) to it.
  const jobId = result?.jobId;
  useEffect(() => {
    if (!jobId) return;
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth', block: 'start' });
  }, [jobId]);

  if (!result) return null;
  return (
    <section aria-labelledby={titleId} className={card} data-testid="result" data-job-id={result.jobId} data-faces-swapped={result.facesSwapped.join(',')}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id={titleId} ref={heading} tabIndex={-1} className="scroll-mt-4 text-lg font-semibold focus:outline-none">
          Result
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          <span className="font-mono text-xs text-slate-600 dark:text-slate-400" data-testid="result-file-name">
            {result.fileName}
          </span>
          <button type="button" onClick={() => void download()} className={button.primary}>
            <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5" fill="currentColor">
              <path d="M10 3a1 1 0 011 1v7.59l2.3-2.3a1 1 0 111.4 1.42l-4 4a1 1 0 01-1.4 0l-4-4a1 1 0 111.4-1.42l2.3 2.3V4a1 1 0 011-1zM4 15a1 1 0 011 1v1h10v-1a1 1 0 112 0v2a1 1 0 01-1 1H4a1 1 0 01-1-1v-2a1 1 0 011-1z" />
            </svg>
            Download
          </button>
        </div>
      </div>
      <CompareView key={result.jobId} after={result.url} before={result.beforeUrl} width={result.width} height={result.height} />
      <ResultFields result={result} />
      <ResultAdvice result={result} />
    </section>
  );
}
