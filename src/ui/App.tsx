import { useEffect } from 'react';
import { ConsentNote } from './ConsentNote.tsx';
import { ImageDrop } from './ImageDrop.tsx';
import { RuntimeBadge } from './RuntimeBadge.tsx';
import { useStudio } from './store.ts';
import { usePasteIntoSlot } from './usePasteIntoSlot.ts';

export function App() {
  const startRuntime = useStudio((s) => s.startRuntime);
  useEffect(() => {
    void startRuntime();
  }, [startRuntime]);
  usePasteIntoSlot();

  return (
    <div className="mx-auto flex min-h-screen max-w-5xl flex-col gap-6 px-4 py-6 sm:px-6">
      <header className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Face Swap Studio</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">Runs entirely in your browser. Your photos never leave this device.</p>
        </div>
        <RuntimeBadge />
      </header>
      <ConsentNote />
      <main className="grid gap-6 md:grid-cols-2">
        <ImageDrop role="source" title="Source face" hint="The face to use" />
        <ImageDrop role="target" title="Target image" hint="The picture where it goes" />
      </main>
    </div>
  );
}
