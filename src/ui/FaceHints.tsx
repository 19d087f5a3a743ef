import { hasBeard, HAIR_COVER, type FaceSummary } from '../engine/job.ts';
import { button, info, notice } from './classes.ts';
import { useOptions } from './state/options.ts';

/** What to know of the chosen source face before swapping: hair over much of it (strands may show), glasses (taken off). */
export function SourceHints({ face }: { face: FaceSummary | undefined }) {
  const hairCover = face?.hairCover ?? 0;
  return (
    <>
      {hairCover >= HAIR_COVER && (
        <p data-testid="source-hair-hint" className={`${notice} w-full px-3 py-2`}>
          Hair covers part of this face (about {Math.round(hairCover * 100)}%): strands may show in the swap. A photo with the face clear of hair swaps more cleanly.
        </p>
      )}
      {face?.glasses && (
        <p data-testid="source-glasses-hint" className={`${notice} w-full px-3 py-2`}>
          This face wears glasses: the swap takes them off and rebuilds the skin around the eyes, which can look smooth or uneven. A photo without glasses swaps more cleanly.
        </p>
      )}
    </>
  );
}

/**
 * A beard on the target faces to be replaced (`choice`, or all of them when null): the swap replaces it unless asked
 * to keep it, which the hint's button does.
 */
export function TargetBeardHint({ faces, choice }: { faces: readonly FaceSummary[]; choice: number | null }) {
  const keepBeard = useOptions((s) => s.keepBeard);
  const setKeepBeard = useOptions((s) => s.setKeepBeard);
  const bearded = faces.filter((face) => (choice === null || face.index === choice) && hasBeard(face)).length;
  if (keepBeard || bearded === 0) return null;
  const which = bearded > 1 ? 'Faces here have' : choice !== null || faces.length === 1 ? 'This face has' : 'A face here has';
  return (
    <div data-testid="target-beard-hint" className={`${info} flex w-full flex-wrap items-center justify-between gap-2 px-3 py-2`}>
      <p>{which} a beard: the swap replaces it with the source's face down to the jaw.</p>
      <button type="button" className={button.secondary} onClick={() => setKeepBeard(true)}>
        Keep the beard
      </button>
    </div>
  );
}
