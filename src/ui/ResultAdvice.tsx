import { HAIR_COVER, SOFT_ENLARGEMENT } from '../engine/job.ts';
import { notice } from './classes.ts';
import type { ResultView } from './state/job.ts';

/**
 * What about the source photo limits this result, and how to do better: a soft face enlarged from a smaller source,
 * strands of hair that fell over the source face. Explained rather than left to look like a fault; nothing when
 * neither applies.
 */
export function ResultAdvice({ result }: { result: ResultView }) {
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
  if (notes.length === 0) return null;
  return (
    <ul className="flex flex-col gap-2">
      {notes.map((note) => (
        <li key={note.id} data-testid={note.id} className={`${notice} px-4 py-3 text-sm`}>
          {note.text}
        </li>
      ))}
    </ul>
  );
}
