import { HAIR_COVER, SOFT_ENLARGEMENT } from '../engine/job.ts';
import { button, info, notice } from './classes.ts';
import { useJob, type ResultView } from './state/job.ts';
import { useOptions } from './state/options.ts';

/**
 * What about the pictures limits this result, and how to do better: a soft face enlarged from a smaller source,
 * strands of hair that fell over the source face; and a target's beard replaced, which one click keeps. Explained
 * rather than left to look like a fault; nothing when none applies.
 */
export function ResultAdvice({ result }: { result: ResultView }) {
  const setKeepBeard = useOptions((s) => s.setKeepBeard);
  const running = useJob((s) => s.status === 'running');
  const notes: { id: string; text: string }[] = [];
  if (result.sourceEnlargement >= SOFT_ENLARGEMENT) {
    notes.push({
      id: 'softness-note',
      text: `The source face is smaller than the face it replaces: it was enlarged ${result.sourceEnlargement.toFixed(1)}×, so the new face may look softer than the rest of the picture. A larger, sharper photo of the source face gives a crisper result.`,
    });
  }
  if (result.sourceHairCover >= HAIR_COVER) {
    notes.push({
      id: 'hair-note',
      text: `Hair covers part of the source face (about ${Math.round(result.sourceHairCover * 100)}%). Those parts are rebuilt from the other side of the face or the skin around, but strands may still show. A photo with the face clear of hair swaps more cleanly.`,
    });
  }
  if (notes.length === 0 && !result.beardReplaced) return null;
  const keepBeard = () => {
    setKeepBeard(true);
    void useJob.getState().swap();
  };
  return (
    <ul className="flex flex-col gap-2">
      {notes.map((note) => (
        <li key={note.id} data-testid={note.id} className={`${notice} px-4 py-3 text-sm`}>
          {note.text}
        </li>
      ))}
      {result.beardReplaced && (
        <li data-testid="beard-note" className={`${info} flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm`}>
          <p>The target's beard was replaced with the source's face down to the jaw, so it shows only past it.</p>
          <button type="button" className={button.secondary} aria-disabled={running} onClick={() => !running && keepBeard()}>
            Swap again, keeping the beard
          </button>
        </li>
      )}
    </ul>
  );
}
