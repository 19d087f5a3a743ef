import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { formatBytes } from '../ui/format-bytes.ts';
import { pwaState, subscribePwa } from './register.ts';
import { measureStorage, type StorageUsage } from './storage.ts';

interface Props {
  /** Deletes the saved history (IndexedDB). Without it, no "Clear history" button is shown. */
  onClearHistory?: () => void | Promise<void>;
}

/** What the app keeps on this device: its offline copy (models included) and everything else, with "Clear history". */
export function StorageInfo({ onClearHistory }: Props) {
  const [usage, setUsage] = useState<StorageUsage>();
  const [confirming, setConfirming] = useState(false);
  const [clearing, setClearing] = useState(false);
  // The precache fills after the first load: measure again once it is complete.
  const { offlineReady } = useSyncExternalStore(subscribePwa, pwaState);

  const refresh = useCallback(() => {
    measureStorage().then(setUsage, () => setUsage(undefined));
  }, []);
  useEffect(refresh, [refresh, offlineReady]);

  const clear = async () => {
    setClearing(true);
    try {
      await onClearHistory?.();
    } finally {
      setClearing(false);
      setConfirming(false);
      refresh();
    }
  };

  const button =
    'rounded-lg px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60';
  return (
    <section
      aria-label="Storage"
      className="flex flex-col gap-2 rounded-2xl border border-slate-200 bg-white p-4 text-sm shadow-sm dark:border-slate-800 dark:bg-slate-900"
    >
      <h2 className="text-base font-semibold">Storage on this device</h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-slate-700 dark:text-slate-300">
        <dt>Offline copy of the app</dt>
        <dd data-testid="storage-cached" className="text-right tabular-nums">
          {usage ? formatBytes(usage.cachedBytes) : '…'}
        </dd>
        <dt className="pl-3 text-slate-500 dark:text-slate-400">of which face models</dt>
        <dd data-testid="storage-models" className="text-right text-slate-500 tabular-nums dark:text-slate-400">
          {usage ? formatBytes(usage.modelBytes) : '…'}
        </dd>
        <dt>Everything this app stores</dt>
        <dd data-testid="storage-usage" className="text-right tabular-nums">
          {usage?.usage === undefined ? '—' : formatBytes(usage.usage)}
          {usage?.quota !== undefined && <span className="text-slate-500 dark:text-slate-400"> of {formatBytes(usage.quota)}</span>}
        </dd>
      </dl>
      <p className="text-xs text-slate-500 dark:text-slate-400">Nothing is uploaded: all of it stays in this browser.</p>
      {onClearHistory && (
        <div className="flex flex-wrap items-center gap-2">
          {confirming ? (
            <>
              <span className="text-slate-700 dark:text-slate-300">Delete every saved swap?</span>
              <button type="button" disabled={clearing} onClick={() => void clear()} className={`${button} bg-red-600 text-white hover:bg-red-500`}>
                {clearing ? 'Clearing…' : 'Delete history'}
              </button>
              <button
                type="button"
                disabled={clearing}
                onClick={() => setConfirming(false)}
                className={`${button} text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800`}
              >
                Cancel
              </button>
            </>
          ) : (
            <button
              type="button"
              onClick={() => setConfirming(true)}
              className={`${button} border border-slate-300 text-slate-800 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800`}
            >
              Clear history
            </button>
          )}
        </div>
      )}
    </section>
  );
}
