import { useEffect, useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { button, card } from './classes.ts';
import { HistoryItem } from './HistoryItem.tsx';
import { useHistory } from './state/history.ts';

/** Recent results kept on this device: save again, delete one, clear all. */
export function HistoryPanel() {
  const { entries, loaded, problem, load, clear } = useHistory(
    useShallow((s) => ({ entries: s.entries, loaded: s.loaded, problem: s.problem, load: s.load, clear: s.clear })),
  );
  const [confirming, setConfirming] = useState(false);
  const titleId = useId();
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby={titleId} className={card} data-testid="history">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id={titleId} className="text-lg font-semibold">
          History
        </h2>
        {entries.length > 0 &&
          (confirming ? (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span>Delete all {entries.length} saved results?</span>
              <button
                type="button"
                className={button.danger}
                onClick={() => {
                  setConfirming(false);
                  void clear();
                }}
              >
                Delete all
              </button>
              <button type="button" className={button.quiet} onClick={() => setConfirming(false)}>
                Keep them
              </button>
            </div>
          ) : (
            <button type="button" className={button.secondary} onClick={() => setConfirming(true)}>
              Clear all
            </button>
          ))}
      </div>
      {problem && (
        <p role="status" className="text-sm text-amber-800 dark:text-amber-300">
          {problem}
        </p>
      )}
      {loaded && entries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Your results appear here. They are kept in this browser only, and survive a reload.</p>
      ) : (
        <ul className="grid grid-cols-1 gap-3 min-[420px]:grid-cols-2 md:grid-cols-3 lg:grid-cols-4">
          {entries.map((entry) => (
            <HistoryItem key={entry.jobId} entry={entry} />
          ))}
        </ul>
      )}
    </section>
  );
}
