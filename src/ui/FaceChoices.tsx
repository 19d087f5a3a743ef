import { useShallow } from 'zustand/react/shallow';
import type { ImageRole } from '../engine/errors.ts';
import { BEARD_COVER, HAIR_COVER } from '../engine/job.ts';
import { button, info, notice } from './classes.ts';
import { useImages } from './state/images.ts';
import { useOptions } from './state/options.ts';

/**
 * What was found on the picture, in words; the "All faces" choice for the target; for the source, a word when hair
 * covers much of the chosen face (strands may show in the swap) or it wears glasses (taken off); for the target, a word when a face to be replaced
 * has a beard that the swap will replace (unless it is asked to keep it).
 */
export function FaceChoices({ role }: { role: ImageRole }) {
  const { hasImage, faces, detecting, choice } = useImages(
    useShallow((s) => ({ hasImage: !!s.slots[role].image, faces: s.slots[role].faces, detecting: s.slots[role].detecting, choice: s.slots[role].choice })),
  );
  const chooseFace = useImages((s) => s.chooseFace);
  const { keepBeard, setKeepBeard } = useOptions(useShallow((s) => ({ keepBeard: s.keepBeard, setKeepBeard: s.setKeepBeard })));
  if (!hasImage) return null;

  const count = faces?.length ?? 0;
  let message = '';
  if (detecting) message = 'Finding faces…';
  else if (count === 1) message = '1 face found.';
  else if (count > 1 && role === 'target') message = `${count} faces found. Click a face on the picture to replace only that one, or keep all:`;
  else if (count > 1) message = `${count} faces found. The largest is used; click another on the picture to use it instead.`;

  if (!message) return null;
  const chosenSource = role === 'source' && !detecting ? faces?.find((face) => face.index === choice) : undefined;
  const hairCover = chosenSource?.hairCover ?? 0;
  const bearded = role === 'target' && !detecting && !keepBeard ? (faces ?? []).filter((face) => (choice === null || face.index === choice) && (face.beardCover ?? 0) >= BEARD_COVER).length : 0;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <p role="status" className="text-slate-700 dark:text-slate-300" data-testid={`${role}-faces`} data-count={detecting ? '' : String(count)}>
        {message}
      </p>
      {hairCover >= HAIR_COVER && (
        <p data-testid="source-hair-hint" className={`${notice} w-full px-3 py-2`}>
          Hair covers part of this face (about {Math.round(hairCover * 100)}%): strands may show in the swap. A photo with the face clear of hair swaps more cleanly.
        </p>
      )}
      {chosenSource?.glasses && (
        <p data-testid="source-glasses-hint" className={`${notice} w-full px-3 py-2`}>
          This face wears glasses: the swap takes them off and rebuilds the skin around the eyes, which can look smooth or uneven. A photo without glasses swaps more cleanly.
        </p>
      )}
      {bearded > 0 && (
        <div data-testid="target-beard-hint" className={`${info} flex w-full flex-wrap items-center justify-between gap-2 px-3 py-2`}>
          <p>
            {bearded === 1 && (choice !== null || count === 1) ? 'This face has' : bearded === 1 ? 'A face here has' : 'Faces here have'} a beard: the swap replaces it with the source's face down to the jaw.
          </p>
          <button type="button" className={button.secondary} onClick={() => setKeepBeard(true)}>
            Keep the beard
          </button>
        </div>
      )}
      {role === 'target' && count > 1 && (
        <label className="inline-flex cursor-pointer items-center gap-2 rounded-full border border-slate-300 px-3 py-1 font-medium has-[:checked]:border-emerald-500 has-[:checked]:bg-emerald-50 has-[input:focus-visible]:outline-2 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-indigo-500 dark:border-slate-700 dark:has-[:checked]:bg-emerald-950">
          <input type="radio" name="target-face" value="all" checked={choice === null} onChange={() => chooseFace(role, null)} className="accent-emerald-600" />
          All faces
        </label>
      )}
    </div>
  );
}
