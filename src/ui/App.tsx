import { useEffect } from 'react';
import { StorageInfo } from '../pwa/StorageInfo.tsx';
import { UpdatePrompt } from '../pwa/UpdatePrompt.tsx';
import { ConsentNote } from './ConsentNote.tsx';
import { HistoryPanel } from './HistoryPanel.tsx';
import { ImageDrop } from './ImageDrop.tsx';
import { ResultPanel } from './ResultPanel.tsx';
import { RuntimeBadge } from './RuntimeBadge.tsx';
import { useHistory } from './state/history.ts';
import { useRuntime } from './state/runtime.ts';
import { SwapPanel } from './SwapPanel.tsx';
import { usePasteIntoSlot } from './usePasteIntoSlot.ts';

export function App() {
  const startRuntime = useRuntime((s) => s.start);
  const clearHistory = useHistory((s) => s.clear);
  useEffect(() => {
    void startRuntime();
  }, [startRuntime]);
  usePasteIntoSlot();

  return (
    <div className="mx-auto flex min-h-screen max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Face Swap Studio</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Runs entirely in your browser. Your photos never leave this device.</p>
        </div>
        <RuntimeBadge />
      </header>
      <main className="flex flex-col gap-6">
        <ConsentNote />
        <div className="grid gap-6 md:grid-cols-2">
          <ImageDrop role="source" step={1} title="Source face" hint="The face to use" />
          <ImageDrop role="target" step={2} title="Target image" hint="The picture where it goes" />
        </div>
        <SwapPanel />
        <ResultPanel />
        <HistoryPanel />
        <StorageInfo onClearHistory={clearHistory} />
      </main>
      <UpdatePrompt />
    </div>
  );
}
