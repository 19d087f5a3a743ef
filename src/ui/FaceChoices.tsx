import { useShallow } from 'zustand/react/shallow';
import type { ImageRole } from '../engine/errors.ts';
import { SourceHints, TargetBeardHint } from './FaceHints.tsx';
import { useImages } from './state/images.ts';

/** What was found on the picture, in words, and what to know of the faces chosen; the "All faces" choice for the target. */
export function FaceChoices({ role }: { role: ImageRole }) {
  const { hasImage, faces, detecting, choice } = useImages(
    useShallow((s) => ({ hasImage: !!s.slots[role].image, faces: s.slots[role].faces, detecting: s.slots[role].detecting, choice: s.slots[role].choice })),
  );
  const chooseFace = useImages((s) => s.chooseFace);
  if (!hasImage) return null;

  const count = faces?.length ?? 0;
  let message = '';
  if (detecting) message = 'Finding faces…';
  else if (count === 1) message = '1 face found.';
  else if (count > 1 && role === 'target') message = `${count} faces found. Click a face on the picture to replace only that one, or keep all:`;
  else if (count > 1) message = `${count} faces found. The largest is used; click another on the picture to use it instead.`;

  if (!message) return null;
  return (
    <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
      <p role="status" className="text-slate-700 dark:text-slate-300" data-testid={`${role}-faces`} data-count={detecting ? '' : String(count)}>
        {message}
      </p>
      {!detecting && faces && (role === 'source' ? <SourceHints face={faces.find((face) => face.index === choice)} /> : <TargetBeardHint faces={faces} choice={choice} />)}
      {role === 'target' && count > 1 && (
        <label className="inline-flex cursor-pointer items-center gap-2 rounded-full border border-slate-300 px-3 py-1 font-medium has-[:checked]:border-emerald-500 has-[:checked]:bg-emerald-50 has-[input:focus-visible]:outline-2 has-[input:focus-visible]:outline-offset-2 has-[input:focus-visible]:outline-indigo-500 dark:border-slate-700 dark:has-[:checked]:bg-emerald-950">
          <input type="radio" name="target-face" value="all" checked={choice === null} onChange={() => chooseFace(role, null)} className="accent-emerald-600" />
          All faces
        </label>
      )}
    </div>
  );
}
