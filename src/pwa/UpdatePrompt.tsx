import { useState, useSyncExternalStore } from 'react';
import { applyUpdate, dismissPwaMessage, pwaState, subscribePwa } from './register.ts';

/**
 * A small snackbar at the bottom of the screen: offers to reload into a new version once it is downloaded, and says
 * once that the app now works offline. Mount it once, anywhere.
 */
export function UpdatePrompt() {
  const { needRefresh, offlineReady } = useSyncExternalStore(subscribePwa, pwaState);
  const [reloading, setReloading] = useState(false);
  if (!needRefresh && !offlineReady) return null;

  const button =
    'rounded-lg px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500';
  return (
    <div
      role="status"
      aria-label="App update"
      className="fixed inset-x-4 bottom-4 z-50 mx-auto flex max-w-md flex-wrap items-center gap-3 rounded-xl border border-slate-200 bg-white px-4 py-3 text-sm shadow-lg sm:inset-x-auto sm:right-4 dark:border-slate-700 dark:bg-slate-900"
    >
      <p className="min-w-0 flex-1 text-slate-700 dark:text-slate-200">
        {needRefresh ? 'A new version of Face Swap Studio is ready.' : 'Face Swap Studio now works offline.'}
      </p>
      <div className="flex gap-2">
        {needRefresh && (
          <button
            type="button"
            disabled={reloading}
            onClick={() => {
              setReloading(true);
              void applyUpdate();
            }}
            className={`${button} bg-indigo-600 text-white hover:bg-indigo-500 disabled:opacity-60`}
          >
            {reloading ? 'Reloading…' : 'Reload'}
          </button>
        )}
        <button
          type="button"
          onClick={dismissPwaMessage}
          className={`${button} text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800`}
        >
          {needRefresh ? 'Later' : 'OK'}
        </button>
      </div>
    </div>
  );
}
